"""The same bot on Zalo, where Vietnamese civil servants are: every flow through the real Zalo
adapter over HTTP against the Zalo stand-in — numbered options, plain text within 2000
characters, one update per poll, duplicates answered once, invitations typed as a code."""

from __future__ import annotations

from tests.conftest import BotStarter, ZaloChat
from tests.standins.zalo_api import ZaloStandIn, ZaloUser, update_key

UNIT_PATH = ["Tỉnh Sóc Trăng", "Sở Nội vụ", "Phòng Cải cách hành chính"]


async def join_by_numbers(chat: ZaloChat, name: str, position: str) -> str:
    welcome = await chat.send("Xin chào")
    assert "1. Thành phố Cần Thơ" in chat.text(welcome) or "Chào" in chat.text(welcome)
    await chat.send("/start")
    for label in UNIT_PATH:
        await chat.pick(label)
    await chat.send(name)
    return chat.text(await chat.send(position))


async def test_a_pledge_from_start_to_reference_on_zalo(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot = await start_zalo_bot()
    chat = ZaloChat(zalo, ZaloUser("8f3a9c0d12e4b5a6", "Lan"))
    joined = await join_by_numbers(chat, "Trần Thị Lan", "Chuyên viên")
    assert "Trần Thị Lan, Chuyên viên — Phòng Cải cách hành chính" in joined
    # Words, not commands: the answer offers the pledge as a numbered option.
    offer = chat.text(await chat.send("dang ky thi dua"))
    assert "1." in offer
    await chat.pick("Đăng ký")
    titles = chat.text(zalo.messages_to(chat.user)[-1:])
    assert "Bằng khen" in titles
    await chat.pick("Bằng khen")
    ticked = chat.text(await chat.pick("☐ 1"))
    assert "☑ 1" in ticked
    review = chat.text(await chat.pick("Tiếp tục"))
    assert "Xem lại trước khi gửi" in review
    ack = chat.text(await chat.pick("Gửi đăng ký"))
    assert "Đã ghi nhận đăng ký thi đua, mã TD-2026-0001" in ack
    assert "<b>" not in ack and "&amp;" not in ack
    mine = chat.text(await chat.send("my"))  # a command typed without the slash
    assert "TD-2026-0001" in mine
    assert await bot.services.db.fetch_value("SELECT count(*) FROM pledges") == 1


async def test_a_message_delivered_twice_is_answered_once(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    await start_zalo_bot()
    user = ZaloUser("a1b2c3d4e5f60718")
    update = zalo.send_text(user, "/help")
    zalo.deliver_again(update)
    key = update_key(update)
    await zalo.wait_until(lambda: key in zalo.handled)
    chat = ZaloChat(zalo, user)
    await chat.send("/campaigns")  # after both deliveries: a person's updates stay in order
    texts = [m.text for m in zalo.messages_to(user)]
    assert sum("/deadlines" in t for t in texts) == 1


async def test_joining_with_an_invitation_code_typed_on_zalo(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot = await start_zalo_bot()
    unit = await bot.services.units.by_code("soctrang-snv-cchc")
    assert unit is not None
    invite = await bot.services.invites.create(unit.id, role="unit_head")
    chat = ZaloChat(zalo, ZaloUser("c0ffee0000000001", "Hùng"))
    invited = chat.text(await chat.send(f"tham gia {invite.code.lower()}"))
    assert "được mời tham gia Phòng Cải cách hành chính" in invited
    await chat.send("Phạm Quốc Hùng")
    done = chat.text(await chat.send("Trưởng phòng"))
    assert "Phạm Quốc Hùng, Trưởng phòng — Phòng Cải cách hành chính" in done
    head = await bot.services.persons.find("zalo", chat.user.id)
    assert head is not None and head.role == "unit_head" and head.confirmed


async def test_long_answers_are_split_within_2000_plain_characters(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    await start_zalo_bot()
    chat = ZaloChat(zalo, ZaloUser("d00d00d00d00d00d"))
    await chat.send("/start")
    await chat.pick("Tỉnh Sóc Trăng")
    for question in ("tieu chi ca nhan soc trang", "/deadlines", "/campaigns"):
        answer = await chat.send(question)
        assert answer and all(1 <= len(m.text) <= 2000 for m in answer)
