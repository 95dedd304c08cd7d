"""Reminders 7, 3 and 1 days before a deadline, from 08:00, to whom it concerns and who has not
yet done it; once each, across restarts and two schedulers; muted from the reminder itself;
cancelled by the desk the day before; moved with a moved deadline. Sóc Trăng's year closes on
31/12/2026 (its registration runs to then); the date is pinned, the hour given."""

from __future__ import annotations

import asyncio
from datetime import datetime
from functools import partial
from pathlib import Path

from bot.domain.campaign import Campaign, Deadline
from run_bot import open_services
from tests.conftest import BotStarter, Chat, RunningBot, make_settings
from tests.e2e.helpers import join_by_invite, join_by_picking
from tests.e2e.test_pledges import CCHC_UNIT, register
from tests.standins.telegram_api import TelegramStandIn, User

DESK = 910004


def at(bot: RunningBot, day: str, hour: int, minute: int = 0) -> datetime:
    d, m, y = (int(x) for x in day.split("/"))
    return datetime(y, m, d, hour, minute, tzinfo=bot.services.clock.zone)


async def received(standin: TelegramStandIn, chat: Chat, count: int) -> list[str]:
    await standin.wait_until(lambda: len(standin.messages_to(chat.user.id)) >= count)
    return [m.text for m in standin.messages_to(chat.user.id)]


async def test_reminders_before_the_year_closes(
    start_bot: BotStarter, standin: TelegramStandIn, tmp_path: Path
) -> None:
    bot = await start_bot(today="23/12/2026", ADMIN_IDS=str(DESK))
    mai = Chat(standin, User(700001, "Mai"))
    lan = Chat(standin, User(700002, "Lan"))
    hung = Chat(standin, User(700003, "Hùng"))
    for chat, name in ((mai, "Nguyễn Thị Mai"), (lan, "Trần Thị Lan"), (hung, "Lê Văn Hùng")):
        await join_by_picking(chat, CCHC_UNIT, name, "Chuyên viên")
    await register(lan, "Bằng khen (UBND tỉnh)", [], own="Số hoá")  # Lan has: not reminded

    # The desk sees tomorrow's reminders.
    desk = Chat(standin, User(DESK, "Thư"))
    (plan,) = await desk.send("/reminders")
    assert "Nhắc hạn sẽ gửi ngày 24/12/2026" in plan.text
    assert "Kết thúc năm thi đua (bình xét khen thưởng hằng năm) — Sóc Trăng – CCHC 2021-2030: " \
        "trước 7 ngày, tới 2 người" in plan.text  # fmt: skip

    await bot.shutdown()
    bot = await start_bot(today="24/12/2026", ADMIN_IDS=str(DESK))
    reminders = bot.services.reminders
    assert await reminders.send_due(at(bot, "24/12/2026", 7, 59)) == 0  # not before 08:00
    before = {c.user.id: len(standin.messages_to(c.user.id)) for c in (mai, lan, hung)}
    assert await reminders.send_due(at(bot, "24/12/2026", 8)) == 2
    text = (await received(standin, mai, before[mai.user.id] + 1))[-1]
    assert text.startswith("⏰ Còn 7 ngày: Kết thúc năm thi đua")
    assert "đến hết ngày 31/12/2026" in text and "chưa đăng ký thi đua năm 2026" in text
    await received(standin, hung, before[hung.user.id] + 1)
    reminder = standin.messages_to(hung.user.id)[-1]
    assert reminder.button_labels() == ["📝 Đăng ký thi đua", "🔕 Tắt nhắc hạn phong trào này"]
    (muted,) = await hung.tap(reminder, "🔕 Tắt nhắc hạn phong trào này")
    assert "Đã tắt nhắc hạn của Sóc Trăng – CCHC 2021-2030" in muted.text
    assert len(standin.messages_to(lan.user.id)) == before[lan.user.id]

    # Never twice: again the same day, after a restart, at 21:00 (never at night either).
    assert await reminders.send_due(at(bot, "24/12/2026", 15)) == 0
    await bot.shutdown()
    bot = await start_bot(today="24/12/2026", ADMIN_IDS=str(DESK))
    assert await bot.services.reminders.send_due(at(bot, "24/12/2026", 9)) == 0
    await bot.shutdown()

    # 3 days before, two schedulers at once (two instances on one store): one reminder, to
    # Mai only (Hùng muted it).
    bot = await start_bot(today="28/12/2026", ADMIN_IDS=str(DESK))
    other = await open_services(make_settings(tmp_path, TODAY="28/12/2026"))
    try:
        counts = await asyncio.gather(
            bot.services.reminders.send_due(at(bot, "28/12/2026", 8)),
            other.reminders.send_due(at(bot, "28/12/2026", 8)),
        )
    finally:
        await other.close()
    assert sorted(counts) == [0, 1]
    assert "Còn 3 ngày" in (await received(standin, mai, before[mai.user.id] + 2))[-1]

    # The desk cancels the next one (1 day before) the day before.
    (plan,) = await desk.send("/reminders")
    assert "Nhắc hạn sẽ gửi ngày 29/12/2026" in plan.text or "không có nhắc hạn" in plan.text
    await bot.shutdown()
    bot = await start_bot(today="29/12/2026", ADMIN_IDS=str(DESK))
    (plan,) = await desk.send("/reminders")
    assert "trước 1 ngày, tới 1 người" in plan.text
    (cancelled,) = await desk.tap(plan, "✖ Huỷ: Kết thúc năm thi đua (bình xét khen…")
    assert "Đã huỷ nhắc" in cancelled.text
    await bot.shutdown()
    bot = await start_bot(today="30/12/2026", ADMIN_IDS=str(DESK))
    assert await bot.services.reminders.send_due(at(bot, "30/12/2026", 8)) == 0
    await bot.shutdown()

    # Down on the day, back the next: that day's reminders only, never a day late.
    bot = await start_bot(today="31/12/2026", ADMIN_IDS=str(DESK))
    assert await bot.services.reminders.send_due(at(bot, "31/12/2026", 10)) == 0


async def test_a_moved_deadline_moves_its_reminders(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    bot = await start_bot(today="01/12/2026")
    mai = Chat(standin, User(700011, "Mai"))
    await join_by_picking(mai, CCHC_UNIT, "Nguyễn Thị Mai", "Chuyên viên")
    campaigns = bot.services.campaigns

    async def register_by(day: str) -> Campaign:
        campaign = await campaigns.get("soctrang-cchc-2021-2030")
        assert campaign is not None
        deadline = Deadline(key="registration", kind="registration", label="Hạn đăng ký",
                            date=day)  # fmt: skip
        keep = [d for d in campaign.deadlines if d.key != "registration"]
        moved = campaign.model_copy(update={"deadlines": [*keep, deadline]})
        await campaigns.upsert(moved, None)
        return moved

    await register_by("10/12/2026")
    reminders = bot.services.reminders
    # "Trước ngày 10/12": the last day is the 9th, a week before that the 2nd.
    assert [o.days_before for o, _ in await reminders.due_on(datetime(2026, 12, 2).date())] == [7]
    await register_by("15/12/2026")  # moved: nothing on the 2nd any more; the 7th instead
    assert await reminders.due_on(datetime(2026, 12, 2).date()) == []
    before = len(standin.messages_to(mai.user.id))
    assert await reminders.send_due(at(bot, "07/12/2026", 8)) == 1
    text = (await received(standin, mai, before + 1))[-1]
    assert text.startswith("⏰ Còn 7 ngày: Hạn đăng ký — trước ngày 15/12/2026")


async def test_a_head_reminded_of_waiting_pledges_confirms_them_at_once(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    bot = await start_bot(today="01/12/2026")
    head = Chat(standin, User(700021, "Hùng"))
    await join_by_invite(head, bot, "soctrang-snv-cchc", "Phạm Quốc Hùng", "Trưởng phòng", True)
    members = [Chat(standin, User(700022 + n, f"Người {n}")) for n in range(2)]
    for n, member in enumerate(members):
        await join_by_invite(member, bot, "soctrang-snv-cchc", f"Thành viên {n}", "Chuyên viên")
        await register(member, "Bằng khen (UBND tỉnh)", [], own="Số hoá hồ sơ")
    await bot.shutdown()

    bot = await start_bot(today="03/12/2026")
    assert await bot.services.reminders.send_due(at(bot, "03/12/2026", 9)) == 0  # 2 days: early
    await bot.shutdown()
    bot = await start_bot(today="05/12/2026")
    before = len(standin.messages_to(head.user.id))
    assert await bot.services.reminders.send_due(at(bot, "05/12/2026", 9)) == 1
    await received(standin, head, before + 1)
    reminder = standin.messages_to(head.user.id)[-1]
    assert "2 đăng ký thi đua của thành viên đơn vị đã chờ anh/chị xác nhận hơn 3 ngày" in (
        reminder.text
    )
    assert await bot.services.reminders.send_due(at(bot, "05/12/2026", 10)) == 0  # once
    (listing,) = await head.tap(reminder, "👥 Đăng ký của đơn vị")
    (done,) = await head.tap(listing, "✔ Xác nhận cả 2 đăng ký đang chờ")
    assert done.text == "Đã xác nhận 2 đăng ký; từng người đăng ký đã được báo."
    for member in members:
        await standin.wait_until(partial(told, standin, member))


def told(standin: TelegramStandIn, chat: Chat) -> bool:
    return any(
        "đã được trưởng đơn vị Phạm Quốc Hùng xác nhận" in m.text
        for m in standin.messages_to(chat.user.id)
    )
