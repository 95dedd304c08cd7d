"""The same bot on Zalo, where Vietnamese civil servants are: every flow through the real Zalo
adapter over HTTP against the Zalo stand-in — numbered options, plain text within 2000
characters, one update per poll, duplicates answered once, invitations typed as a code."""

from __future__ import annotations

import asyncio
import re
import socket
from pathlib import Path

import httpx

from tests.conftest import BotStarter, RunningBot, ZaloChat, zalo_on_webhook
from tests.standins.zalo_api import ZaloStandIn, ZaloUser, update_key

UNIT_PATH = ["Tỉnh Sóc Trăng", "Sở Nội vụ", "Phòng Cải cách hành chính"]
UNIT = "soctrang-snv-cchc"


async def join_with_code(
    chat: ZaloChat, bot: RunningBot, unit_code: str, name: str, head: bool = False
) -> str:
    """Join a unit as a Zalo user does: the invitation code typed after THAM GIA."""
    unit = await bot.services.units.by_code(unit_code)
    assert unit is not None
    invite = await bot.services.invites.create(unit.id, role="unit_head" if head else "staff")
    await chat.send(f"THAM GIA {invite.code}")
    await chat.send(name)
    return chat.text(await chat.send("Trưởng phòng" if head else "Chuyên viên"))


async def initiative_until_coauthors(chat: ZaloChat) -> None:
    """/initiative through title and reform area, to the co-authors."""
    await chat.send("/initiative")
    await chat.send("Phần mềm nhắc hạn hồ sơ một cửa")
    await chat.pick("thủ tục hành chính")


async def initiative_until_date(chat: ZaloChat) -> None:
    """/initiative through title, reform area and co-authors, to the date it was applied."""
    await initiative_until_coauthors(chat)
    await chat.pick("Không có đồng tác giả")


async def initiative_until_files(chat: ZaloChat) -> str:
    """From the date to the files step; returns what the files step says."""
    for answer in ("15/03/2026", "Nhắc cán bộ trước hạn", "Mạng nội bộ", "Giảm trễ hạn"):
        await chat.send(answer)
    return chat.text(await chat.send("Trung tâm Phục vụ hành chính công"))


async def pledge_by_numbers(chat: ZaloChat, own: str = "Số hoá 100% hồ sơ") -> str:
    """/pledge through to the acknowledgment, each option picked by its number (Sóc Trăng's
    plan sets no criteria for individuals: the commitment is typed)."""
    await chat.send("/pledge")
    await chat.pick("Bằng khen")
    await chat.send(own)
    await chat.pick("Tiếp tục")
    return chat.text(await chat.pick("Gửi đăng ký"))


async def join_by_numbers(chat: ZaloChat, name: str, position: str) -> str:
    welcome = await chat.send("Xin chào")
    assert "1. Thành phố Cần Thơ" in chat.text(welcome) or "Chào" in chat.text(welcome)
    await chat.send("/start")
    out_of_range = chat.text(await chat.send("9"))  # five places were listed
    assert "chọn một số từ 1 đến 5" in out_of_range
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
    added = chat.text(await chat.send("Giải quyết đúng hạn 100% hồ sơ"))
    assert "Đã thêm cam kết riêng: Giải quyết đúng hạn 100% hồ sơ" in added
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
    unit = await bot.services.units.by_code(UNIT)
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


async def test_a_unit_head_confirms_a_pledge_by_the_number_under_the_notice(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot = await start_zalo_bot()
    head = ZaloChat(zalo, ZaloUser("4ead000000000001", "Hùng"))
    await join_with_code(head, bot, UNIT, "Phạm Quốc Hùng", head=True)
    member = ZaloChat(zalo, ZaloUser("3e3be50000000002", "Lan"))
    await join_with_code(member, bot, UNIT, "Võ Thị Lan")
    assert "mã TD-2026-0001" in await pledge_by_numbers(member, "Đúng hạn 100%")
    # The head's notice arrives from the outbox with its option numbered; "1" opens the list.
    await zalo.wait_until(
        lambda: any("cần anh/chị xác nhận" in m.text for m in zalo.messages_to(head.user))
    )
    listing = head.text(await head.send("1"))
    assert "TD-2026-0001" in listing and "Võ Thị Lan" in listing
    await head.pick("TD-2026-0001")
    confirmed = head.text(await head.pick("Xác nhận"))
    assert "TD-2026-0001" in confirmed
    await zalo.wait_until(
        lambda: any(
            "xác nhận" in m.text and "TD-2026-0001" in m.text for m in zalo.messages_to(member.user)
        )
    )
    assert await bot.services.db.fetch_value("SELECT status FROM pledges") == "confirmed"


async def test_a_picture_sent_on_zalo_is_an_initiative_attachment(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot = await start_zalo_bot()
    chat = ZaloChat(zalo, ZaloUser("1a2b3c4d5e6f7081", "Mai"))
    await join_with_code(chat, bot, "soctrang-vpubnd-hcc", "Nguyễn Thị Mai")
    await initiative_until_date(chat)
    no_such_day = chat.text(await chat.send("31/02/2026"))
    assert "Không có ngày 31/02/2026" in no_such_day
    files = await initiative_until_files(chat)
    assert "Trên Zalo tôi chỉ nhận được ảnh" in files  # documents cannot reach a Zalo bot
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 2048
    before = len(zalo.messages_to(chat.user))
    key = update_key(zalo.send_image(chat.user, jpeg))
    await zalo.wait_until(lambda: key in zalo.handled)
    saved = chat.text(zalo.messages_to(chat.user)[before:])
    assert "Đã nhận tệp anh-zalo-" in saved
    await chat.pick("Xong")
    ack = chat.text(await chat.pick("Gửi sáng kiến"))
    assert "mã SK-2026-0001" in ack
    initiative = await bot.services.records.initiatives.by_ref("SK-2026-0001")
    assert initiative is not None and initiative.attachments[0].mime_type == "image/jpeg"


async def test_the_webhook_takes_only_calls_with_the_secret(
    zalo: ZaloStandIn, tmp_path: Path
) -> None:
    async with zalo_on_webhook(zalo, tmp_path, "s3cret-of-the-agency") as (hook, _, services):
        assert zalo.webhook == ("https://bot.sonv.example.gov.vn/zalo/hook", "s3cret-of-the-agency")
        user = ZaloUser("7e57000000000001")
        update = {"event_name": "message.text.received", "message": zalo.message(user, "/help")}
        async with httpx.AsyncClient() as client:
            for headers in ({}, {"X-Bot-Api-Secret-Token": "guess-guess"}):
                refused = await client.post(hook, json=update, headers=headers)
                assert refused.status_code == 403
            assert await services.db.fetch_value("SELECT count(*) FROM inbox") == 0
            good = {"X-Bot-Api-Secret-Token": "s3cret-of-the-agency"}
            wrapped = {"event_name": "message.text.received", "message": zalo.message(user, "hi")}
            for body in (update, {"ok": True, "result": wrapped}):  # bare and wrapped bodies
                assert (await client.post(hook, json=body, headers=good)).status_code == 200
            await client.post(hook, json=update, headers=good)  # Zalo sends it once more
        await zalo.wait_until(lambda: update_key(wrapped) in zalo.handled)
        texts = [m.text for m in zalo.messages_to(user)]
        assert sum("/deadlines" in t for t in texts) == 1  # /help answered once
    assert zalo.rejected == []


async def test_the_secretariat_reviews_on_zalo_and_a_blocked_member_is_marked(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    desk_user = ZaloUser("de5c000000000001", "Văn phòng")
    bot = await start_zalo_bot(ADMIN_IDS=f"zalo:{desk_user.id}")
    member = ZaloChat(zalo, ZaloUser("3e3be50000000003", "Lan"))
    await join_with_code(member, bot, UNIT, "Võ Thị Lan")
    assert "TD-2026-0001" in await pledge_by_numbers(member)
    desk = ZaloChat(zalo, desk_user)
    listing = desk.text(await desk.send("review"))
    assert "TD-2026-0001" in listing
    await desk.pick("TD-2026-0001")
    accepted = desk.text(await desk.pick("Tiếp nhận"))
    assert "TD-2026-0001" in accepted
    told = "TD-2026-0001"
    await zalo.wait_until(lambda: sum(told in m.text for m in zalo.messages_to(member.user)) >= 2)
    # The member blocks the bot: the next notice fails with 403 and marks them unreachable.
    zalo.blocked.add(member.user.id)
    await desk.send("/announce")
    await desk.pick("Sóc Trăng – CCHC 2021-2030")
    await desk.pick("Gửi")
    person = await bot.services.persons.find("zalo", member.user.id)
    assert person is not None
    await zalo.wait_until(lambda: "sendMessage" in zalo.calls[-1:], 10)
    for _ in range(100):  # the sender notes it after the refused call
        person = await bot.services.persons.find("zalo", member.user.id)
        if person is not None and person.unreachable:
            break
        await asyncio.sleep(0.02)
    assert person is not None and person.unreachable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_files_reach_zalo_as_signed_links(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    port = free_port()
    desk_user = ZaloUser("de5c000000000002", "Văn phòng")
    await start_zalo_bot(
        ADMIN_IDS=f"zalo:{desk_user.id}",
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
    )
    desk = ZaloChat(zalo, desk_user)
    preparing = desk.text(await desk.send("/export 52/KH-UBND"))
    assert "Đang lập tệp Excel" in preparing
    await zalo.wait_until(lambda: any(".xlsx: http" in m.text for m in zalo.messages_to(desk_user)))
    notice = next(m.text for m in zalo.messages_to(desk_user) if ".xlsx: http" in m.text)
    match = re.search(r"(http://127\.0\.0\.1:\d+/files/\S+)", notice)
    assert match is not None and "/data/" not in notice  # a link, never a server path
    link = match.group(1)
    async with httpx.AsyncClient() as client:
        workbook = await client.get(link)
        assert workbook.status_code == 200 and workbook.content.startswith(b"PK")
        assert "attachment" in workbook.headers["content-disposition"]
        forged = re.sub(
            r"/files/(\d+)/(\w)", lambda m: f"/files/{m[1]}/{'0' if m[2] != '0' else '1'}", link
        )
        assert (await client.get(forged)).status_code == 403
        # An address is a share's id, never a path: the database is not reachable by one.
        _share, expires, signature = link.rsplit("/", 3)[1:]
        database = f"http://127.0.0.1:{port}/files/{expires}/{signature}/bot.sqlite3"
        assert (await client.get(database)).status_code in (400, 404)


async def test_a_document_uploaded_on_the_page_joins_the_zalo_draft(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    port = free_port()
    bot = await start_zalo_bot(
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", WEBHOOK_LISTEN=f"127.0.0.1:{port}"
    )
    chat = ZaloChat(zalo, ZaloUser("0b1ec7000000000a", "Mai"))
    await join_with_code(chat, bot, "soctrang-vpubnd-hcc", "Nguyễn Thị Mai")
    await initiative_until_date(chat)
    files = await initiative_until_files(chat)
    match = re.search(r"(http://127\.0\.0\.1:\d+/upload/\S+)", files)
    assert match is not None, files
    page = match.group(1)
    pdf = b"%PDF-1.7\n" + "Đề án".encode() * 100
    async with httpx.AsyncClient() as client:
        form = await client.get(page)
        assert form.status_code == 200 and 'type="file"' in form.text
        before = len(zalo.messages_to(chat.user))
        sent = await client.post(page, files={"file": ("de-an.pdf", pdf, "application/pdf")})
        told = chat.text(zalo.messages_to(chat.user)[before:])
        assert "Đã nhận tệp de-an.pdf" in told
        assert sent.status_code == 200 and "Đã nhận tệp de-an.pdf" in sent.text  # as the chat
        forged = page.rsplit("/", 1)[0] + "/someone-else"
        assert (await client.post(forged, files={"file": ("x.pdf", pdf)})).status_code == 403
    await chat.pick("Xong")
    assert "mã SK-2026-0001" in chat.text(await chat.pick("Gửi sáng kiến"))
    initiative = await bot.services.records.initiatives.by_ref("SK-2026-0001")
    assert initiative is not None and initiative.attachments[0].file_name == "de-an.pdf"


async def test_several_coauthors_on_one_line_where_enter_sends(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot = await start_zalo_bot()
    chat = ZaloChat(zalo, ZaloUser("1a2b3c4d5e6f7099", "Mai"))
    await join_with_code(chat, bot, "soctrang-vpubnd-hcc", "Nguyễn Thị Mai")
    await initiative_until_coauthors(chat)
    share = chat.text(
        await chat.send("Trần Văn Bình; Phòng Kiểm soát TTHC; 30%; Lý Thị Cúc; Sở Nội vụ; 20")
    )
    assert "Đồng tác giả đã chiếm 50%" in share
    person = await bot.services.persons.find("zalo", chat.user.id)
    assert person is not None
    draft = (await bot.services.conversations.load(person.id)).data
    assert [a["full_name"] for a in draft["coauthors"]] == ["Trần Văn Bình", "Lý Thị Cúc"]
