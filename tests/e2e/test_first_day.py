"""A newcomer's first day on Zalo, where the trips were: the desk greeted at its desk, options
numbered once, no dead end after files, a number typed with no list open."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from tests.conftest import BotStarter, Chat, ZaloChat
from tests.e2e.helpers import join_by_picking
from tests.e2e.test_initiatives import PDF, fill_until_files, send_file
from tests.e2e.test_initiatives import UNIT as INITIATIVE_UNIT
from tests.e2e.test_zalo import initiative_until_coauthors, join_with_code
from tests.standins.telegram_api import TelegramStandIn, User
from tests.standins.zalo_api import ZaloStandIn, ZaloUser

DESK = ZaloUser("de5c0000000000aa", "Văn phòng")


async def test_the_desk_is_greeted_at_its_desk_and_helped_with_its_commands(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    await start_zalo_bot(ADMIN_IDS=f"zalo:{DESK.id}")
    desk = ZaloChat(zalo, DESK)
    welcome = desk.text(await desk.send("/start"))
    assert "cơ quan nào" not in welcome and "Thành phố Cần Thơ" not in welcome  # no unit tree
    assert "Văn phòng Sở" in welcome and "Xem xét sáng kiến, đăng ký" in welcome
    helped = desk.text(await desk.send("help"))
    assert "/pledge" in helped  # the staff's commands, and the desk's
    for command in ("/review", "/nominations", "/stats", "/export", "/invite", "/roster"):
        assert command in helped
    # Staff see only theirs.
    member = ZaloChat(zalo, ZaloUser("3e3be500000000aa", "Lan"))
    staff_help = member.text(await member.send("help"))
    assert "/pledge" in staff_help and "/review" not in staff_help


async def test_a_members_commitments_are_the_plans_for_individuals_numbered_once(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot = await start_zalo_bot(today="20/11/2024")  # the Sở Xây dựng 2024 plan is open
    member = ZaloChat(zalo, ZaloUser("3e3be500000000ab", "Khang"))
    await join_with_code(member, bot, "sxd-2024-tt", "Đỗ Minh Khang")
    await member.send("/pledge")
    checklist = member.text(await member.pick("Giấy khen"))
    criterion = "Hoàn thành xuất sắc nhiệm vụ được giao năm 2024."
    # Each commitment once, as the option that ticks it; none of the plan's content for agencies.
    assert checklist.count(criterion) == 1 and f"1. ☐ {criterion}" in checklist
    assert "☐ 1." not in checklist and "Gắn công tác thi đua khen thưởng" not in checklist
    ticked = member.text(await member.send("1"))
    assert f"☑ {criterion}" in ticked and ticked.count(criterion) == 1
    # An option's words typed, without diacritics, pick it: not kept as a commitment.
    review = member.text(await member.send("tiep tuc"))
    assert f"• {criterion}" in review and "Xem lại trước khi gửi" in review
    assert "Đã thêm cam kết riêng" not in review


async def test_a_number_typed_with_no_list_open_is_not_kept_as_a_question(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    await start_zalo_bot(ADMIN_IDS=f"zalo:{DESK.id}")
    desk = ZaloChat(zalo, DESK)
    nothing = desk.text(await desk.send("/review"))
    assert "Không có sáng kiến hay đăng ký nào đang chờ" in nothing  # a reply with no options
    answered = desk.text(await desk.send("2"))
    assert "Không có danh sách nào đang mở" in answered and "chưa hiểu" not in answered
    asked = desk.text(await desk.send("/questions"))
    assert "Chưa có câu hỏi nào bot không trả lời được" in asked


async def test_a_coauthor_typed_without_diacritics_is_matched_to_the_staff_list(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot = await start_zalo_bot()
    author = ZaloChat(zalo, ZaloUser("3e3be500000000ac", "Hà"))
    await join_with_code(author, bot, "soctrang-snv-cchc", "Mai Thanh Hà")
    await initiative_until_coauthors(author)
    asked = author.text(await author.send("Quach Thi Bich Ngan; Phong CCHC; 30"))
    # Diacritics aside, the name is on the staff list: offered to confirm, not taken silently.
    assert "«Quach Thi Bich Ngan»" in asked and "Quách Thị Bích Ngân — Chuyên viên" in asked
    typed = author.text(await author.send("dong y"))  # words where a choice is wanted
    assert "chọn một dòng" in typed
    share = author.text(await author.pick("Quách Thị Bích Ngân"))
    assert "Đồng tác giả đã chiếm 30%" in share
    for answer in ("70", "15/03/2026", "Nhắc cán bộ trước hạn", "Mạng nội bộ", "Giảm trễ hạn"):
        await author.send(answer)
    await author.send("Phòng Cải cách hành chính")
    review = author.text(await author.pick("Xong"))
    assert "Quách Thị Bích Ngân — Phòng Cải cách hành chính — 30%" in review
    await author.pick("Gửi sáng kiến")
    row = await bot.services.db.fetch_one(
        "SELECT full_name, unit_name FROM initiative_authors WHERE position = 1"
    )
    assert row is not None and tuple(row) == ("Quách Thị Bích Ngân", "Phòng Cải cách hành chính")


async def test_a_coauthor_kept_as_typed_when_not_the_listed_person(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot = await start_zalo_bot()
    author = ZaloChat(zalo, ZaloUser("3e3be500000000ad", "Hà"))
    await join_with_code(author, bot, "soctrang-snv-cchc", "Mai Thanh Hà")
    await initiative_until_coauthors(author)
    await author.send("Quach Thi Bich Ngan; Sở Tư pháp; 30\nTrần Văn Bình; Phòng KSTT; 20")
    share = author.text(await author.pick("giữ"))
    assert "Đồng tác giả đã chiếm 50%" in share  # Bình is on no list: nothing asked
    date = author.text(await author.send("50"))
    assert "dd/mm/yyyy" in date
    person = await bot.services.persons.find("zalo", author.user.id)
    assert person is not None
    kept = (await bot.services.conversations.load(person.id)).data["coauthors"]
    assert [a["full_name"] for a in kept] == ["Quach Thi Bich Ngan", "Trần Văn Bình"]


async def test_the_audit_sheet_is_in_words_only(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    desk = Chat(standin, User(990001, "Thư"))
    await start_bot(ADMIN_IDS=str(desk.user.id))
    await join_by_picking(chat, INITIATIVE_UNIT, "Nguyễn Thị Mai", "Chuyên viên")
    await fill_until_files(chat, standin)
    saved = await send_file(chat, standin, "de-an.pdf", PDF)
    (review,) = await chat.tap(saved, "Xong")
    await chat.tap(review, "Gửi sáng kiến")
    await desk.send("/export 52/KH-UBND")
    await standin.wait_until(lambda: any(d[1].startswith("thi-dua-") for d in standin.documents))
    _, _, content = next(d for d in standin.documents if d[1].startswith("thi-dua-"))
    sheet = load_workbook(io.BytesIO(content))["Nhật ký thay đổi"]
    (row,) = [r for r in sheet.iter_rows(min_row=2, values_only=True)]
    words = " ".join(str(cell) for cell in row[1:])
    assert row[2] == "Telegram" and row[4] == "SK-2026-0001"
    assert "Lĩnh vực: cải cách thủ tục hành chính" in words
    assert "Tác giả: Nguyễn Thị Mai (50%), Trần Văn Bình (30%), Lý Thị Cúc (20%)" in words
    assert "Tệp đính kèm: de-an.pdf" in words
    # No codes: no snake_case values or field names, no checksums, no campaign id.
    assert not re.search(r"[a-z]+_[a-z]+|[0-9a-f]{64}|soctrang-cchc", words), words
