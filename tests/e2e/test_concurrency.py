"""Many people at once: updates handled concurrently, each person's in order, nothing twice."""

from __future__ import annotations

import asyncio
import json

from tests.conftest import BotStarter, Chat, RunningBot
from tests.e2e.helpers import join_by_invite, last
from tests.e2e.test_pledges import register
from tests.standins.telegram_api import TelegramStandIn, User

UNIT = "soctrang-snv-cchc"


async def test_the_same_update_delivered_twice_at_once_is_handled_once(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    bot = await start_bot()
    await join_by_invite(chat, bot, UNIT, "Võ Thị Lan", "Chuyên viên")
    messages = await chat.send("/pledge")
    await chat.tap(last(messages), "Bằng khen")
    *_, checklist = await chat.send("Số hoá 100% hồ sơ")
    (review,) = await chat.tap(checklist, "Tiếp tục")
    before = len(standin.messages_to(chat.user.id))
    tap = standin.tap(chat.user, review, "Gửi đăng ký")
    standin.redeliver(tap)  # the same update again, in the same batch
    await standin.wait_until(lambda: tap in standin.handled)
    await chat.send("/help")  # handled after both deliveries: each person's updates in order
    (ack, _help) = standin.messages_to(chat.user.id)[before:]
    assert "mã TD-2026-0001" in ack.text
    assert await pledge_count(bot) == 1


async def pledge_count(bot: RunningBot) -> int:
    return int(await bot.services.db.fetch_value("SELECT count(*) FROM pledges"))


async def test_fifty_people_pledging_at_the_same_time(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    bot = await start_bot()
    people = [Chat(standin, User(620000 + n, f"Người {n}")) for n in range(50)]

    async def pledge(chat: Chat, n: int) -> str:
        await join_by_invite(chat, bot, UNIT, f"Nguyễn Văn Số {n}", "Chuyên viên")
        return await register(chat, "Bằng khen", [], own="Giải quyết đúng hạn hồ sơ")

    acks = await asyncio.gather(*(pledge(chat, n) for n, chat in enumerate(people)))
    refs = {ack.split("mã ")[1].split()[0].rstrip(".,") for ack in acks}
    assert len(refs) == 50
    rows = await bot.services.db.fetch_all(
        "SELECT p.ref, p.commitments, p.own_commitments, pe.full_name "
        "FROM pledges p JOIN people pe ON pe.id = p.person_id"
    )
    assert len(rows) == 50 and {r["ref"] for r in rows} == refs
    # Nothing to tick in this plan for individuals: each typed their own, kept whole.
    assert all(r["commitments"] == "[]" for r in rows)
    assert all(json.loads(r["own_commitments"]) == ["Giải quyết đúng hạn hồ sơ"] for r in rows)
    for n, chat in enumerate(people):
        texts = [m.text for m in standin.messages_to(chat.user.id)]
        # Each person's answers came in the order they wrote: joined, then pledged, acked last.
        joined = next(i for i, t in enumerate(texts) if f"Nguyễn Văn Số {n}, Chuyên viên" in t)
        assert joined < len(texts) - 1 and "mã TD-2026-" in texts[-1]
