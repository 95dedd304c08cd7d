"""Initiatives (sáng kiến) over Telegram: co-authors and shares, dates, files checked and kept
with their SHA-256, every bad input answered clearly without losing the draft."""

from __future__ import annotations

import hashlib

from tests.conftest import BotStarter, Chat
from tests.e2e.helpers import join_by_picking
from tests.standins.telegram_api import SentMessage, TelegramStandIn

UNIT = ["Tỉnh Sóc Trăng", "Văn phòng UBND tỉnh Sóc Trăng", "Trung tâm Phục vụ hành chính công"]
PDF = b"%PDF-1.4\n" + "Đề án nhắc hạn hồ sơ một cửa".encode() * 200


async def fill_until_files(chat: Chat, standin: TelegramStandIn) -> SentMessage:
    """The initiative form up to the files step, with the bad answers a person might give."""
    messages = await chat.send("/initiative")
    assert "Gửi sáng kiến</b> — Sóc Trăng – CCHC 2021-2030" in messages[0].html
    (short,) = await chat.send("ab")
    assert short.text == "Nội dung cần ít nhất 5 ký tự, có chữ hoặc số. Anh/chị vui lòng nhập lại:"
    before = len(standin.messages_to(chat.user.id))
    standin.send_photo(chat.user, b"\xff\xd8 not wanted here")
    await standin.wait_until(lambda: len(standin.messages_to(chat.user.id)) >= before + 2)
    photo_replies = standin.messages_to(chat.user.id)[before:]
    assert "chưa cần tệp" in photo_replies[0].text and "Tên sáng kiến" in photo_replies[1].text
    (areas,) = await chat.send("Phần mềm nhắc hạn <hồ sơ> một cửa & liên thông")
    (coauthors,) = await chat.tap(areas, "cải cách thủ tục hành chính")
    assert "Họ tên; Đơn vị; Tỷ lệ %" in coauthors.text
    (wrong,) = await chat.send("Trần Văn Bình, Phòng CCHC, 30")
    assert "Dòng 1 chưa đúng dạng" in wrong.text
    (share,) = await chat.send(
        "Trần Văn Bình; Phòng Kiểm soát TTHC; 30%\nLý Thị Cúc | Sở Nội vụ | 20"
    )
    assert "Đồng tác giả đã chiếm 50%" in share.text and "nhập 50" in share.text
    (sum_wrong,) = await chat.send("60")
    assert sum_wrong.text.startswith("Tổng tỷ lệ là 110% (anh/chị 60% + đồng tác giả 50%)")
    (date,) = await chat.send("50")
    assert "dd/mm/yyyy" in date.text
    (future,) = await chat.send("01/01/2027")
    assert "không thể sau hôm nay (22/11/2026)" in future.text
    (not_date,) = await chat.send("tháng ba")
    assert "Chưa đúng dạng ngày" in not_date.text
    await chat.send("15/03/2026")
    (too_long,) = await chat.send("Nội dung " * 400)
    assert "vượt giới hạn 3000 ký tự" in too_long.text and "Nội dung Nội dung" in too_long.text
    await chat.send("Phần mềm gửi tin nhắn nhắc cán bộ một cửa ba ngày trước hạn trả kết quả.")
    await chat.send("Máy tính nối mạng nội bộ và tài khoản Zalo/Telegram của cán bộ")
    await chat.send("Hồ sơ trễ hạn giảm 80% trong quý I/2026")
    (files,) = await chat.send("Trung tâm Phục vụ hành chính công tỉnh")
    assert "tối đa 5 tệp, mỗi tệp 10 MB" in files.text
    return files


async def send_file(
    chat: Chat,
    standin: TelegramStandIn,
    name: str,
    content: bytes,
    declared_size: int | None = None,
) -> SentMessage:
    before = len(standin.messages_to(chat.user.id))
    update_id = standin.send_document(chat.user, name, content, declared_size)
    await standin.wait_until(lambda: update_id in standin.handled)
    return standin.messages_to(chat.user.id)[before:][0]


async def test_initiative_with_two_coauthors_and_a_pdf(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    bot = await start_bot()
    await join_by_picking(chat, UNIT, "Nguyễn Thị Mai", "Chuyên viên")
    await fill_until_files(chat, standin)
    exe = await send_file(chat, standin, "cong-cu.exe", b"MZ")
    assert "không thuộc loại được nhận" in exe.text
    huge = await send_file(chat, standin, "ban-ve.pdf", b"%PDF", declared_size=50 * 1024 * 1024)
    assert "lớn hơn 10 MB" in huge.text
    saved = await send_file(chat, standin, "de-an.pdf", PDF)
    assert "Đã nhận tệp de-an.pdf" in saved.text and "1/5" in saved.text
    (review,) = await chat.tap(saved, "Xong")
    assert "Nguyễn Thị Mai — Trung tâm Phục vụ hành chính công — 50%" in review.text
    assert "Trần Văn Bình — Phòng Kiểm soát TTHC — 30%" in review.text
    assert "Lý Thị Cúc — Sở Nội vụ — 20%" in review.text
    assert "&lt;hồ sơ&gt; một cửa &amp; liên thông" in review.html
    (ask,) = await chat.tap(review, "Ngày áp dụng")
    assert "Ngày sáng kiến được áp dụng lần đầu" in ask.text
    (review,) = await chat.send("16/03/2026")  # one field changed, straight back to the review
    assert "Ngày áp dụng lần đầu: 16/03/2026" in review.text
    (done,) = await chat.tap(review, "Gửi sáng kiến")
    assert "Đã ghi nhận sáng kiến, mã SK-2026-0001" in done.text
    initiative = await bot.services.records.initiatives.by_ref("SK-2026-0001")
    assert initiative is not None and [a.share for a in initiative.authors] == [50, 30, 20]
    (attachment,) = initiative.attachments
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest() and attachment.size == len(PDF)
    assert bot.services.files.read(attachment) == PDF
    (mine,) = await chat.send("/my")
    assert "SK-2026-0001 — Phần mềm nhắc hạn <hồ sơ> một cửa & liên thông — Đã gửi" in mine.text


async def test_another_command_or_cancel_in_the_middle_asks_first(
    start_bot: BotStarter, chat: Chat
) -> None:
    await start_bot()
    await join_by_picking(chat, UNIT, "Phan Thanh Sơn", "Chuyên viên")
    await chat.send("/initiative")
    await chat.send("Tổ công nghệ số cộng đồng")
    (ask,) = await chat.send("/pledge")
    assert "đang soạn dở một bản nháp" in ask.text
    (areas,) = await chat.tap(ask, "Tiếp tục soạn")
    assert "lĩnh vực cải cách hành chính nào" in areas.text
    (help_,) = await chat.send("/help")  # reading help does not lose the draft
    assert "/deadlines" in help_.text
    (coauthors,) = await chat.tap(areas, "chính quyền số")
    assert "đồng tác giả" in coauthors.text
    (confirm,) = await chat.send("/cancel")
    assert "Những gì đã nhập trong bản nháp sẽ mất" in confirm.text
    (cancelled,) = await chat.tap(confirm, "Huỷ bản nháp")
    assert cancelled.text == "Đã huỷ thao tác đang làm."
    (stale,) = await chat.tap(coauthors, "Không có đồng tác giả")
    assert "tin nhắn cũ" in stale.text
    await chat.send("/initiative")
    (ask,) = await chat.send("/pledge")
    (titles,) = await chat.tap(ask, "Bỏ nháp, mở /pledge")
    assert "chọn danh hiệu" in titles.text
