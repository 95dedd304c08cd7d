"""Bad input, restarts, redelivered updates, old buttons, flood limits and blocked users."""

from __future__ import annotations

from pathlib import Path

from bot.engine.events import OutgoingFile
from bot.services.records import Notice
from tests.conftest import BotStarter, Chat
from tests.standins.telegram_api import TelegramStandIn


async def test_restart_mid_flow_continues_where_it_was(start_bot: BotStarter, chat: Chat) -> None:
    bot = await start_bot()
    welcome = await chat.send("/start")
    (province,) = await chat.tap(welcome[-1], "Tỉnh An Giang")
    (agency,) = await chat.tap(province, "Sở Tư pháp")
    (_ask_name,) = await chat.tap(agency, "Văn phòng Sở")
    await bot.shutdown()
    await start_bot()  # a new process on the same database
    (ask_position,) = await chat.send("Phạm Thu Hà")
    assert "Chức vụ" in ask_position.text
    done = await chat.send("Văn thư")
    assert "Phạm Thu Hà, Văn thư — Văn phòng Sở" in done[0].text
    # An old button still works after the restart: callback data carries its meaning.
    (again,) = await chat.tap(province, "Sở Tư pháp")
    assert "Sở Tư pháp tỉnh An Giang" in again.text


async def test_redelivered_update_is_answered_once(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    await start_bot()
    await chat.send("/campaigns")
    update_id = standin.updates[-1]["update_id"]
    count = len(standin.messages_to(chat.user.id))
    standin.redeliver(update_id)
    await chat.send("/help")  # the next message proves the redelivery was consumed
    assert len(standin.messages_to(chat.user.id)) == count + 1


async def test_bad_input_gets_a_clear_message_and_loses_nothing(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    await start_bot()
    welcome = await chat.send("/start")
    (province,) = await chat.tap(welcome[-1], "Thành phố Hồ Chí Minh")
    (district,) = await chat.tap(province, "UBND Quận 11")
    (_ask_name,) = await chat.tap(district, "Tôi làm việc tại UBND Quận 11")
    (too_long,) = await chat.send("A" * 10_000)
    assert "10000 ký tự" in too_long.text and "4096" in too_long.text
    (digits,) = await chat.send("12345")
    assert "Họ và tên cần từ 2 đến 100 ký tự" in digits.text
    (emoji,) = await chat.send("🙂 Ngô Bảo Châu 🙂")
    assert "Chức vụ" in emoji.text  # still in the flow: nothing typed before was lost
    (unknown,) = await chat.send("/frobnicate")
    assert "chưa có lệnh /frobnicate" in unknown.text
    before = len(standin.messages_to(chat.user.id))
    standin.send_document(chat.user, "bao-cao.pdf")
    (file_reply,) = await standin.replies(chat.user.id, before)
    assert "chưa cần tệp" in file_reply.text
    done = await chat.send("Chuyên viên <i>chính</i>")
    assert "🙂 Ngô Bảo Châu 🙂, Chuyên viên <i>chính</i> — UBND Quận 11" in done[0].text
    (cancel,) = await chat.send("/cancel")
    assert cancel.text == "Không có thao tác nào đang dở."


async def test_old_or_forged_buttons_get_a_note(start_bot: BotStarter, chat: Chat) -> None:
    await start_bot()
    (listing,) = await chat.send("/campaigns")
    (gone,) = await chat.tap_data(listing, "cp:removed-campaign")
    assert "Không tìm thấy phong trào này" in gone.text
    (stale,) = await chat.tap_data(listing, "zz:whatever")
    assert "tin nhắn cũ" in stale.text
    (lang,) = await chat.tap_data(listing, "lg:fr")
    assert "tin nhắn cũ" in lang.text


async def test_flood_limit_is_waited_out(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    await start_bot()
    standin.flood[chat.user.id] = 1
    (answer,) = await chat.send("/help")
    assert "Tôi có thể giúp anh/chị" in answer.text


async def test_a_user_who_blocked_the_bot_does_not_break_it(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    await start_bot()
    standin.blocked.add(chat.user.id)
    update_id = standin.send_text(chat.user, "/campaigns")
    await standin.wait_until(lambda: update_id in standin.handled)
    assert standin.messages_to(chat.user.id) == []
    standin.blocked.clear()
    (answer,) = await chat.send("/help")
    assert "/deadlines" in answer.text


async def test_a_broken_notice_fails_alone_and_the_rest_are_delivered(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn, tmp_path: Path
) -> None:
    bot = await start_bot()
    await chat.send("/help")
    person = await bot.services.persons.find("telegram", str(chat.user.id))
    assert person is not None
    gone = OutgoingFile("bao-cao.xlsx", tmp_path / "deleted-meanwhile.xlsx")
    before = len(standin.messages_to(chat.user.id))
    await bot.services.records.notify(
        [Notice(person, "Tệp của anh/chị", [], [gone]), Notice(person, "Thông báo sau", [])]
    )
    await standin.wait_until(
        lambda: any(m.text == "Thông báo sau" for m in standin.messages_to(chat.user.id)[before:])
    )
    failed = await bot.services.outbox.failures()
    assert failed[0] == 1 and "FileNotFoundError" in failed[1][0].error
