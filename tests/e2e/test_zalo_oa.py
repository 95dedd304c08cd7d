"""The agency's Zalo Official Account through the real OA adapter over HTTP against the OA
stand-in: events by signed webhook, answered at once and handled after; options as buttons
(numbered where a template cannot hold them); files in and out; the 7-day window."""

from __future__ import annotations

import asyncio
import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.settings import SettingsError
from storage.roster import Listed
from tests.conftest import FIRST_REFRESH, OAChat, OAStarter, RunningBot, make_settings
from tests.e2e.test_zalo import free_port
from tests.standins.zalo_oa_api import ZaloOAStandIn, event_key, mac

UNIT = "soctrang-snv-cchc"


async def join_with_code(chat: OAChat, bot: RunningBot, unit_code: str, name: str) -> str:
    unit = await bot.services.units.by_code(unit_code)
    assert unit is not None
    invite = await bot.services.invites.create(unit.id)
    await chat.send(f"THAM GIA {invite.code}")
    await chat.send(name)
    return chat.text(await chat.send("Chuyên viên"))


async def test_a_pledge_through_the_oa_with_buttons(
    start_oa_bot: OAStarter, oa: ZaloOAStandIn
) -> None:
    bot = await start_oa_bot(today="20/11/2024")  # the Sở Xây dựng 2024 plan is open
    chat = OAChat(oa, "3001000000000000001", "Khang")
    joined = await join_with_code(chat, bot, "sxd-2024-tt", "Đỗ Minh Khang")
    assert "Đỗ Minh Khang, Chuyên viên" in joined
    await chat.send("/pledge")
    await chat.pick("Giấy khen")
    checklist = chat.messages()[-1]
    criterion = "Hoàn thành xuất sắc nhiệm vụ được giao năm 2024."
    # A criterion too long for a button's title: the whole checklist numbered instead.
    assert not checklist.buttons and f"1. ☐ {criterion}" in checklist.text
    (ticked,) = await chat.send("1")
    assert ticked.text.startswith(f"Đã chọn: ☑ {criterion}")  # the change, not the list again
    # What follows fits a template: buttons.
    assert [title for title, _ in ticked.buttons] == ["☑ 1", "☐ 2", "☐ 3", "Tiếp tục ›"]
    review = chat.text(await chat.pick("Tiếp tục"))
    assert "Xem lại trước khi gửi" in review and f"• {criterion}" in review
    ack = chat.text(await chat.pick("Gửi đăng ký"))
    assert "Đã ghi nhận đăng ký thi đua, mã TD-2024-0001" in ack
    assert await bot.services.db.fetch_value("SELECT count(*) FROM pledges") == 1
    # More options than a template holds: numbered, and the number picks.
    await chat.send("/campaigns")
    listed = chat.text(await chat.pick("Xem tất cả phong trào"))
    assert "  6. " in listed and not chat.messages()[-1].buttons


async def initiative_until_files(chat: OAChat) -> str:
    """/initiative from its title to the files step; returns what the files step says."""
    await chat.send("/initiative")
    await chat.send("Phần mềm nhắc hạn hồ sơ một cửa")
    await chat.pick("thủ tục hành chính")
    await chat.pick("Không có đồng tác giả")
    for answer in ("15/03/2026", "Nhắc cán bộ trước hạn", "Mạng nội bộ", "Giảm trễ hạn"):
        await chat.send(answer)
    return chat.text(await chat.send("Trung tâm Phục vụ hành chính công"))


async def test_files_in_and_out_an_initiative_with_a_pdf_and_the_desks_workbook(
    start_oa_bot: OAStarter, oa: ZaloOAStandIn
) -> None:
    port = free_port()
    desk = OAChat(oa, "3009000000000000009", "Văn phòng")
    bot = await start_oa_bot(
        ADMIN_IDS=f"zalo_oa:{desk.user.id}",
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
    )
    mai = OAChat(oa, "3001000000000000002", "Mai")
    await join_with_code(mai, bot, "soctrang-vpubnd-hcc", "Nguyễn Thị Mai")
    files_step = await initiative_until_files(mai)
    assert "PDF" in files_step and "Trên Zalo tôi chỉ nhận được ảnh" not in files_step
    pdf = b"%PDF-1.7\n" + "Đề án nhắc hạn".encode() * 200
    saved = mai.text(await mai.send_file("de-an.pdf", pdf))
    assert "Đã nhận tệp de-an.pdf" in saved
    photo = mai.text(await mai.send_image(b"\xff\xd8\xff\xe0" + b"\x00" * 2048))
    assert "Đã nhận tệp anh-zalo-" in photo
    await mai.pick("Xong")
    assert "mã SK-2026-0001" in mai.text(await mai.pick("Gửi sáng kiến"))
    initiative = await bot.services.records.initiatives.by_ref("SK-2026-0001")
    assert initiative is not None
    assert [a.mime_type for a in initiative.attachments] == ["application/pdf", "image/jpeg"]

    # The desk opens it: the PDF comes back as a file and the picture as a picture (as a chart
    # from /stats does), each uploaded to Zalo, then sent.
    await desk.send("/review")
    await desk.pick("SK-2026-0001")
    files = await desk.pick("Tải tệp đính kèm")
    assert [m.file for m in files if m.file] == ["de-an.pdf"]
    assert [m.image for m in files if m.image] == [initiative.attachments[1].file_name]
    # The workbook: Zalo's upload takes PDF and Word only, so an Excel file is a download button.
    assert "Đang lập tệp Excel" in desk.text(await desk.send("/export 52/KH-UBND"))
    await oa.wait_until(lambda: any(".xlsx" in t for t, _ in desk.messages()[-1].buttons))
    buttons = desk.messages()[-1].raw["attachment"]["payload"]["buttons"]
    (download,) = [b for b in buttons if b["type"] == "oa.open.url"]
    assert download["title"].startswith("📥 thi-dua-soctrang-cchc-2021-2030")
    url = download["payload"]["url"]
    async with httpx.AsyncClient() as client:
        workbook = await client.get(url)
    assert workbook.status_code == 200 and workbook.content.startswith(b"PK")


async def test_a_call_without_zalos_signature_is_refused_and_nothing_is_stored(
    start_oa_bot: OAStarter, oa: ZaloOAStandIn
) -> None:
    bot = await start_oa_bot()
    user = oa.user("3001000000000000003")
    event = oa.event(user, "user_send_text", text="/help")
    body = json.dumps(event).encode()
    assert oa.webhook is not None
    async with httpx.AsyncClient() as client:
        for signature in ("", "mac=" + "0" * 64, f"mac={hashlib.sha256(body).hexdigest()}"):
            refused = await client.post(
                oa.webhook, content=body, headers={"X-ZEvent-Signature": signature}
            )
            assert refused.status_code == 401
        # Signed with the app secret instead of the OA secret key: what some libraries do.
        wrong_key = mac(oa.app_id, body, event["timestamp"], oa.app_secret)
        refused = await client.post(
            oa.webhook, content=body, headers={"X-ZEvent-Signature": f"mac={wrong_key}"}
        )
        assert refused.status_code == 401
        # The body changed after signing.
        good = mac(oa.app_id, body, event["timestamp"], oa.secret_key)
        tampered = body.replace(b"/help", b"/my")
        refused = await client.post(
            oa.webhook, content=tampered, headers={"X-ZEvent-Signature": f"mac={good}"}
        )
        assert refused.status_code == 401
    assert await bot.services.db.fetch_value("SELECT count(*) FROM inbox") == 0
    user.last_interaction = oa.now()
    task = oa.deliver(event)  # Zalo's own call, signed: taken and answered once
    await asyncio.wait_for(task, 10)
    await oa.wait_until(lambda: event_key(event) in oa.handled)
    assert await bot.services.db.fetch_value("SELECT count(*) FROM inbox") == 1
    assert len(oa.messages_to(user)) == 1


async def test_a_slow_answer_does_not_make_zalo_send_again(
    start_oa_bot: OAStarter, oa: ZaloOAStandIn
) -> None:
    await start_oa_bot()
    oa.retry_scale = 0.001  # Zalo's schedule (30 s, 5 min …) in milliseconds
    oa.send_delay = 2.2  # the answer takes longer than Zalo waits for the webhook's 200
    chat = OAChat(oa, "3001000000000000004")
    event = oa.send_text(chat.user, "/help")
    await oa.wait_until(lambda: event_key(event) in oa.handled, 15)
    posts = [d for d in oa.deliveries if d.key == event_key(event)]
    assert len(posts) == 1 and posts[0].status == 200 and posts[0].seconds < 1.0
    assert len(chat.messages()) == 1  # answered, after the webhook had its 200


async def test_zalo_sending_an_event_again_gets_one_answer(
    start_oa_bot: OAStarter, oa: ZaloOAStandIn
) -> None:
    bot = await start_oa_bot()
    oa.retry_scale = 0.001
    oa.lose_answers = 1  # the bot's 200 is lost on the way: Zalo sends the event again
    chat = OAChat(oa, "3001000000000000005")
    event = oa.event(chat.user, "user_send_text", text="/help")
    chat.user.last_interaction = oa.now()
    await asyncio.wait_for(oa.deliver(event), 10)
    posts = [d for d in oa.deliveries if d.key == event_key(event)]
    assert [d.attempt for d in posts] == [0, 1] and all(d.status == 200 for d in posts)
    await oa.wait_until(lambda: event_key(event) in oa.handled)
    await chat.send("/campaigns")  # after both: a person's updates stay in order
    assert sum("/deadlines" in m.text for m in chat.messages()) == 1
    assert await bot.services.db.fetch_value("SELECT count(*) FROM inbox") == 2


async def until(bot: RunningBot, sql: str, expected: object, seconds: float = 10) -> None:
    """Wait for the outbox's sender to have done its part (it tells no one when it is done)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while (value := await bot.services.db.fetch_value(sql)) != expected:
        assert loop.time() < deadline, f"{sql}: {value!r}, not {expected!r}"
        await asyncio.sleep(0.02)


def at(bot: RunningBot, day: str, hour: int) -> datetime:
    d, m, y = (int(x) for x in day.split("/"))
    return datetime(y, m, d, hour, tzinfo=bot.services.clock.zone)


async def test_reminders_outside_the_window_wait_or_go_by_zns_and_nothing_is_lost(
    start_oa_bot: OAStarter, oa: ZaloOAStandIn
) -> None:
    oa.zns_templates["353985"] = {"ten_nguoi_nhan", "noi_dung"}
    env = {"ZALO_ZNS_TEMPLATE_NOTICE": "353985"}
    desk = OAChat(oa, "3009000000000000008", "Văn phòng")
    env["ADMIN_IDS"] = f"zalo_oa:{desk.user.id}"
    bot = await start_oa_bot(today="16/12/2026", **env)
    unit = await bot.services.units.by_code(UNIT)
    assert unit is not None
    await bot.services.roster.load([Listed(unit.id, "Tô Minh Nhựt", "Chuyên viên", "0912 345 678")])
    lan = OAChat(oa, "3001000000000000006", "Lan")
    await join_with_code(lan, bot, UNIT, "Võ Thị Lan")
    nhut = OAChat(oa, "3001000000000000007", "Nhựt")
    invite = await bot.services.invites.create(unit.id)
    await nhut.send(f"THAM GIA {invite.code}")
    await nhut.send("To Minh Nhut")
    assert "Tô Minh Nhựt, Chuyên viên" in nhut.text(await nhut.pick("Tô Minh Nhựt"))
    await bot.shutdown()

    # Eight days on, neither has written to the OA: a reminder cannot reach them there.
    oa.advance(timedelta(days=8))
    bot = await start_oa_bot(today="24/12/2026", **env)
    seen_lan = len(lan.messages())
    assert await bot.services.reminders.send_due(at(bot, "24/12/2026", 8)) == 2
    await until(bot, "SELECT count(*) FROM outbox WHERE state = 'waiting'", 1)
    await until(bot, "SELECT count(*) FROM outbox WHERE via = 'zns'", 1)
    (zns,) = oa.zns_sent
    assert zns["phone"] == "84912345678" and zns["template_id"] == "353985"
    assert zns["template_data"]["ten_nguoi_nhan"] == "Tô Minh Nhựt"
    assert zns["template_data"]["noi_dung"].startswith("⏰ Còn 7 ngày")
    assert len(lan.messages()) == seen_lan  # nothing sent where Zalo would refuse it
    progress = desk.text(await desk.send("/outbox"))
    assert "1 chờ người nhận nhắn lại" in progress and "1 đã gửi qua ZNS" in progress
    await bot.shutdown()

    # Four days later a second reminder waits with the first; Lan writes: both, in one message.
    oa.advance(timedelta(days=4))
    bot = await start_oa_bot(today="28/12/2026", **env)
    assert await bot.services.reminders.send_due(at(bot, "28/12/2026", 8)) == 2
    await until(bot, "SELECT count(*) FROM outbox WHERE state = 'waiting'", 2)
    answer = await lan.send("xin chao")
    assert answer  # her own answer first
    await oa.wait_until(lambda: "nhắc hạn gửi anh/chị" in lan.messages()[-1].text)
    summary = lan.messages()[-1].text
    assert summary.startswith("⏰ 2 nhắc hạn gửi anh/chị trong lúc anh/chị chưa nhắn")
    assert "Còn 7 ngày" in summary and "Còn 3 ngày" in summary
    await until(bot, "SELECT count(*) FROM outbox WHERE state IN ('waiting', 'pending')", 0)
    states = await bot.services.db.fetch_all(
        "SELECT state, via FROM outbox WHERE person_id = (SELECT person_id FROM accounts "
        "WHERE external_id = ?) ORDER BY id",
        (lan.user.id,),
    )
    assert [(r[0], r[1]) for r in states] == [
        ("sent", "summed_up"),
        ("sent", "summed_up"),
        ("sent", None),  # the summary
    ]


async def test_a_sticker_is_answered_and_the_oas_own_echoes_and_receipts_are_not(
    start_oa_bot: OAStarter, oa: ZaloOAStandIn
) -> None:
    bot = await start_oa_bot()
    chat = OAChat(oa, "3001000000000000011", "Tú")
    welcome = await chat.follow()  # a newcomer to the OA is welcomed as by /start
    assert "Xin chào" in chat.text(welcome) and any(m.buttons for m in welcome)
    for name in ("oa_send_text", "user_seen_message", "user_received_message"):
        await asyncio.wait_for(oa.deliver(oa.event(chat.user, name, text="đã gửi")), 10)
    sticker = {"type": "sticker", "payload": {"id": "abc", "url": "https://zalo.example/s"}}
    answer = chat.text(await chat.send_event("user_send_sticker", attachments=[sticker]))
    assert "Tôi chỉ đọc được tin nhắn chữ" in answer
    assert await bot.services.db.fetch_value("SELECT count(*) FROM inbox") == 2  # follow, sticker
    # Leaving the OA: it cannot write to them first any more (their notices go elsewhere).
    assert await bot.services.persons.last_seen("zalo_oa", chat.user.id) is not None
    left = oa.unfollow(chat.user)
    await oa.wait_until(lambda: event_key(left) in oa.handled)
    assert await bot.services.persons.last_seen("zalo_oa", chat.user.id) is None


async def test_a_broadcast_past_zalos_rate_limit_reaches_everyone_once(
    start_oa_bot: OAStarter, oa: ZaloOAStandIn
) -> None:
    desk = OAChat(oa, "3009000000000000007", "Văn phòng")
    bot = await start_oa_bot(ADMIN_IDS=f"zalo_oa:{desk.user.id}")
    unit = await bot.services.units.by_code(UNIT)
    assert unit is not None
    followers = [OAChat(oa, f"30040000000000{n:05d}") for n in range(8)]
    for n, follower in enumerate(followers):
        person = await bot.services.people.identify("zalo_oa", follower.user.id)
        await bot.services.people.join(person, unit, f"Cán bộ {n}", "Chuyên viên", "staff")
        follower.user.last_interaction = oa.now()
    await desk.send("/announce")
    await desk.pick("Sóc Trăng – CCHC 2021-2030")
    oa.rate_limit = (4, 0.4)  # Zalo's calls per app, past which it answers -32
    await desk.pick("Gửi")

    def told(chat: OAChat) -> int:
        return sum("Sóc Trăng" in m.text for m in chat.messages())

    await oa.wait_until(lambda: all(told(f) for f in followers), 20)
    assert [told(f) for f in followers] == [1] * len(followers)
    assert -32 in oa.refused


async def test_tokens_are_refreshed_before_they_expire_across_restarts(
    start_oa_bot: OAStarter, oa: ZaloOAStandIn
) -> None:
    bot = await start_oa_bot(today="22/11/2026")
    assert oa.refreshes == [FIRST_REFRESH]  # the first refresh, at start-up
    await bot.shutdown()
    bot = await start_oa_bot(today="22/11/2026")  # the stored token is good: no refresh
    assert len(oa.refreshes) == 1
    await bot.shutdown()
    # A day later (Zalo's clock too) the access token has under an hour of its 25 left.
    oa.advance(timedelta(days=1))
    bot = await start_oa_bot(today="23/11/2026")
    assert len(oa.refreshes) == 2 and oa.refreshes[1] != FIRST_REFRESH  # the rotated one
    chat = OAChat(oa, "3001000000000000012")
    assert await chat.send("/help")  # answered with the new token
    assert -220 not in oa.refused and -216 not in oa.refused  # never refused on the way
    stored = await bot.services.db.fetch_value("SELECT refresh_token FROM oa_tokens")
    assert stored in oa.refresh_tokens


def test_the_oa_needs_its_four_settings_together(tmp_path: Path) -> None:
    partial = {"ZALO_OA_APP_ID": "4291763606161179100", "ZALO_OA_SECRET_KEY": "k" * 16}
    with pytest.raises(SettingsError) as refused:
        make_settings(tmp_path, **partial)
    assert str(refused.value) == (
        "ZALO_OA_APP_SECRET, ZALO_OA_REFRESH_TOKEN must be set with the other ZALO_OA_ settings "
        "(the OA needs its app ID, OA secret key, app secret and refresh token)"
    )
    settings = make_settings(
        tmp_path, **partial, ZALO_OA_APP_SECRET="s" * 16, ZALO_OA_REFRESH_TOKEN="r" * 16
    )
    assert settings.zalo_oa and settings.zalo_oa_api_url == "https://openapi.zalo.me"
    assert settings.zalo_oauth_url == "https://oauth.zaloapp.com"
