"""Tried as an attacker would: an invitation plus a unit button, stale and forged buttons, files
built to stall the bot, private records asked for in a group, files that lie about their type."""

from __future__ import annotations

import hashlib
import time

from tests.conftest import BotStarter, Chat, RunningBot
from tests.e2e.helpers import join_by_picking, last
from tests.e2e.test_desk import DESK, ENV, upload
from tests.e2e.test_initiatives import UNIT as INITIATIVE_UNIT
from tests.e2e.test_initiatives import fill_until_files, send_file
from tests.standins.telegram_api import SentMessage, TelegramStandIn, User

CCHC = ["Tỉnh Sóc Trăng", "Sở Nội vụ", "Phòng Cải cách hành chính"]


async def invite(bot: RunningBot, unit_code: str, role: str) -> str:
    unit = await bot.services.units.by_code(unit_code)
    assert unit is not None
    return (await bot.services.invites.create(unit.id, max_uses=1, role=role)).code  # type: ignore[arg-type]


async def test_a_head_invitation_then_another_unit_grants_nothing(
    start_bot: BotStarter, chat: Chat
) -> None:
    bot = await start_bot()
    code = await invite(bot, "soctrang-snv-cchc", "unit_head")
    (welcome, _ask_name) = await chat.send(f"/start inv_{code}")
    # A unit button from an old message, or forged: another unit in the middle of the join.
    (asked_again,) = await chat.tap_data(welcome, "u:p:soctrang-snv-vp")
    assert "họ và tên" in asked_again.text
    await chat.send("Kẻ Mạo Danh")
    joined = await chat.send("Trưởng phòng")
    assert "sẽ được trưởng đơn vị hoặc Văn phòng Sở xác nhận" in chat.text(joined)
    person = await bot.services.persons.find("telegram", str(chat.user.id))
    target = await bot.services.units.by_code("soctrang-snv-vp")
    assert person is not None and target is not None
    assert (person.unit_id, person.role, person.confirmed) == (target.id, "staff", False)
    # The head's link was not spent by that detour: it still serves its own unit once.
    checked = await bot.services.invites.check(code)
    assert not isinstance(checked, str) and checked.uses == 0


async def test_a_staff_invitation_then_another_unit_needs_confirmation(
    start_bot: BotStarter, chat: Chat
) -> None:
    bot = await start_bot()
    code = await invite(bot, "soctrang-snv-cchc", "staff")
    (welcome, _ask) = await chat.send(f"/start inv_{code}")
    await chat.tap_data(welcome, "u:p:soctrang-snv-vp")
    await chat.send("Lê Văn Tám")
    await chat.send("Chuyên viên")
    person = await bot.services.persons.find("telegram", str(chat.user.id))
    assert person is not None and not person.confirmed and person.role == "staff"


async def test_a_head_link_opened_twice_is_not_burnt(start_bot: BotStarter, chat: Chat) -> None:
    bot = await start_bot()
    code = await invite(bot, "soctrang-snv-cchc", "unit_head")
    await chat.send(f"/start inv_{code}")
    await chat.send(f"/start inv_{code}")
    await chat.send("Phạm Quốc Hùng")
    done = await chat.send("Trưởng phòng")
    assert "Phạm Quốc Hùng, Trưởng phòng — Phòng Cải cách hành chính" in chat.text(done)
    person = await bot.services.persons.find("telegram", str(chat.user.id))
    assert person is not None and person.role == "unit_head" and person.confirmed


async def test_every_pledge_button_at_every_other_step_is_stale(
    start_bot: BotStarter, chat: Chat
) -> None:
    bot = await start_bot()
    code = await invite(bot, "soctrang-snv-cchc", "unit_head")  # a head also sees the kind step
    await chat.send(f"/start inv_{code}")
    await chat.send("Phạm Quốc Hùng")
    await chat.send("Trưởng phòng")
    buttons = ["pg:k:individual", "pg:t:0", "pg:x:0", "pg:n", "pg:ok", "pg:et", "pg:ec"]
    valid_at = {
        "kind": {"pg:k:individual"},
        "title": {"pg:t:0"},
        "commit": {"pg:n"},  # the plan sets no criteria for individuals: nothing to tick
        "review": {"pg:ok", "pg:et", "pg:ec"},
    }

    async def tap_every_other(step: str, message: SentMessage) -> None:
        for data in buttons:
            if data not in valid_at[step]:
                answer = await chat.tap_data(message, data)
                assert "tin nhắn cũ" in answer[0].text, (step, data)
                assert "Xin lỗi" not in chat.text(answer), (step, data)

    (kinds,) = await chat.send("/pledge")
    await tap_every_other("kind", kinds)
    (titles,) = await chat.tap(kinds, "Cá nhân")
    await tap_every_other("title", titles)
    (checklist,) = await chat.tap(titles, "Bằng khen")
    await tap_every_other("commit", checklist)  # pg:ok with nothing ticked among them
    *_, checklist = await chat.send("Số hoá 100% hồ sơ một cửa")
    (review,) = await chat.tap(checklist, "Tiếp tục")
    await tap_every_other("review", review)
    assert await bot.services.db.fetch_value("SELECT count(*) FROM pledges") == 0


async def test_a_forged_campaign_outside_the_persons_units_is_refused(
    start_bot: BotStarter, chat: Chat
) -> None:
    bot = await start_bot()
    await join_by_picking(chat, CCHC, "Võ Thị Lan", "Chuyên viên")
    (first,) = await chat.send("/help")
    (refused,) = await chat.tap_data(first, "pg:cantho-sxd-cchc-2021-2025")
    assert "chưa mở đăng ký" in refused.text
    (refused,) = await chat.tap_data(first, "in:c:angiang-cchc-2021")
    assert "Sóc Trăng" not in refused.text
    drafts = "SELECT count(*) FROM conversations WHERE flow IS NOT NULL"
    assert await bot.services.db.fetch_value(drafts) == 0


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


async def test_files_built_to_stall_the_bot_are_refused_while_others_are_answered(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    await start_bot(**ENV)
    desk = Chat(standin, User(DESK))
    other = Chat(standin, User(920001))
    deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    many = "id: x\nitems: [" + ",".join("x" for _ in range(400_000)) + "]\n"
    for name, text, reason in (
        ("bomb.yaml", BOMB, "50000"),
        ("deep.yaml", deep, "30"),
        ("many.yaml", many, "50000"),
    ):
        started = time.monotonic()
        (refused,) = await upload(desk, standin, name, text)
        assert "chưa hợp lệ" in refused.text and reason in refused.text, name
        assert time.monotonic() - started < 10, name  # bounded, not the 15-61 s it took
        (help_answer,) = await other.send("/help")
        assert "/deadlines" in help_answer.text
    before = len(standin.messages_to(DESK))
    update_id = standin.send_document(
        desk.user, "big.yaml", b"a: b\n" * (2 * 1024 * 1024), omit_size=True
    )
    await standin.wait_until(lambda: update_id in standin.handled)
    (too_big,) = standin.messages_to(DESK)[before:]
    assert "quá lớn" in too_big.text or "lớn hơn" in too_big.text


async def test_private_records_are_not_shown_in_a_group(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    await start_bot()
    await join_by_picking(chat, CCHC, "Võ Thị Lan", "Chuyên viên")
    group = -100777
    update_id = standin.send_text(chat.user, "/my", group=group)
    await standin.wait_until(lambda: update_id in standin.handled)
    (answer,) = standin.messages_to(group)
    assert "tin nhắn riêng" in answer.text and "https://t.me/ThiDuaTestBot" in answer.text
    assert "Võ Thị Lan" not in answer.text


async def test_attachments_are_checked_by_content_and_named_safely(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    bot = await start_bot()
    await join_by_picking(chat, INITIATIVE_UNIT, "Nguyễn Thị Mai", "Chuyên viên")
    await fill_until_files(chat, standin)
    elf = await send_file(chat, standin, "report.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 64)
    assert "không đúng loại như tên tệp" in elf.text
    empty = await send_file(chat, standin, "trong.pdf", b"")
    assert "rỗng" in empty.text
    pdf = b"%PDF-1.7\n" + "thật".encode()
    saved = await send_file(chat, standin, "../../../../etc/bao-cao.pdf", pdf)
    assert "Đã nhận tệp bao-cao.pdf" in saved.text and "etc" not in saved.text
    (review,) = await chat.tap(saved, "Xong")
    (ack,) = await chat.tap(review, "Gửi sáng kiến")
    assert "mã SK-2026-0001" in ack.text
    initiative = await bot.services.records.initiatives.by_ref("SK-2026-0001")
    assert initiative is not None
    (attachment,) = initiative.attachments
    assert attachment.file_name == "bao-cao.pdf"
    assert attachment.sha256 == hashlib.sha256(pdf).hexdigest()


async def test_stickers_voice_and_locations_get_an_answer(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    await start_bot()
    shapes: dict[str, dict[str, object]] = {
        "sticker": {
            "file_id": "s1",
            "file_unique_id": "us1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        },
        "voice": {"file_id": "v1", "file_unique_id": "uv1", "duration": 3},
        "location": {"latitude": 9.6, "longitude": 105.97},
        "contact": {"phone_number": "0912345678", "first_name": "Lan"},
    }
    for kind, body in shapes.items():
        before = len(standin.messages_to(chat.user.id))
        sent = standin.send_other(chat.user, kind, body)
        await standin.wait_until(lambda sent=sent: sent in standin.handled)  # type: ignore[misc]
        (answer,) = standin.messages_to(chat.user.id)[before:]
        assert "Tôi chỉ đọc được tin nhắn chữ" in answer.text, kind
    assert last(standin.messages_to(chat.user.id)).button_labels()
