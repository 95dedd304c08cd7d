"""A unit's staff list before anyone joins: the secretariat gets it as Excel, fills it in and
sends it back; mistakes come back with their row; people who join are matched to their line
(and still confirmed by their head), and everyone on the list counts as "not registered"."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.conftest import BotStarter, Chat
from tests.standins.telegram_api import SentMessage, TelegramStandIn, User

DESK = 910011


async def upload(chat: Chat, standin: TelegramStandIn, name: str, data: bytes) -> SentMessage:
    before = len(standin.messages_to(chat.user.id))
    update_id = standin.send_document(chat.user, name, data)
    await standin.wait_until(lambda: update_id in standin.handled)
    (answer,) = standin.messages_to(chat.user.id)[before:]
    return answer


async def test_staff_list_by_excel_and_matched_on_joining(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    bot = await start_bot(ADMIN_IDS=str(DESK))
    desk = Chat(standin, User(DESK, "Thư"))

    # The demo organisation's lists come in the sheet, each unit with its code.
    before = len(standin.documents)
    sent, *_ = await desk.send("/roster")
    assert "Danh sách cán bộ: 36 người ở 12 đơn vị, 0 người đã tham gia bot" in sent.text
    await standin.wait_until(lambda: len(standin.documents) > before)
    _, name, content = standin.documents[-1]
    assert name == "danh-sach-can-bo.xlsx"
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Danh sách cán bộ"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Mã đơn vị", "Đơn vị", "Họ và tên", "Chức vụ", "Điện thoại / email",
                       "Đã tham gia bot")  # fmt: skip
    assert ("soctrang-snv-cchc", "Phòng Cải cách hành chính", "Tô Minh Nhựt", "Chuyên viên",
            None, "chưa (có trong danh sách cán bộ)") in rows  # fmt: skip
    # A unit without a list has an empty row to fill in.
    assert ("soctrang-vpubnd-hcc", "Trung tâm Phục vụ hành chính công", None, None, None,
            None) in rows  # fmt: skip

    # Filled in by the clerk, with two mistakes: nothing is loaded, each row is named.
    sheet.append(["soctrang-vpubnd-hcc", "", "Trịnh Công Sơn Hà", "Chuyên viên", "0912 345 678"])
    sheet.append(["soctrang-vpubnd-hcc", "", "Lữ Thị Kim Oanh", "Văn thư", ""])
    sheet.append(["so-khong-co", "", "Người Lạ", "Chuyên viên", ""])
    sheet.append(["soctrang-snv-cchc", "", "12345", "", ""])
    wrong = len(rows) + 3
    buffer = io.BytesIO()
    workbook.save(buffer)
    refused = await upload(desk, standin, "danh-sach-can-bo.xlsx", buffer.getvalue())
    assert "có 2 dòng chưa đúng, nên chưa nạp gì" in refused.text
    assert f"• Dòng {wrong}: không có đơn vị mã «so-khong-co»" in refused.text
    assert f"• Dòng {wrong + 1}: họ và tên cần có chữ cái" in refused.text
    sheet.delete_rows(wrong, 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    loaded = await upload(desk, standin, "danh-sach-can-bo.xlsx", buffer.getvalue())
    assert loaded.text == (
        "✅ Đã nạp danh sách cán bộ: thêm 2 người, cập nhật 36 người, "
        "bỏ 0 người không còn trong danh sách."
    )
    # Someone who left is deleted from the sheet: the sheet is the unit's whole list.
    gone = next(n for n, r in enumerate(sheet.iter_rows(values_only=True), 1)
                if r[2] == "Kim Minh Tuấn")  # fmt: skip
    sheet.delete_rows(gone, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    again = await upload(desk, standin, "danh-sach-can-bo.xlsx", buffer.getvalue())
    assert "thêm 0 người, cập nhật 37 người, bỏ 1 người" in again.text
    unit = await bot.services.units.by_code("soctrang-snv-vp")
    assert unit is not None
    names = [x.full_name for x in await bot.services.roster.of_units([unit.id])]
    assert "Kim Minh Tuấn" not in names and "Lâm Văn Khải" in names
    garbage = await upload(desk, standin, "danh-sach.xlsx", b"PK not really a workbook")
    assert "không đọc được như một tệp Excel" in garbage.text

    # Someone joins by picking the unit and types her name without diacritics: her line is
    # offered, she takes it, her position comes from the list, and her head still confirms.
    ha = Chat(standin, User(731001, "Hà"))
    welcome = (await ha.send("/start"))[-1]
    current = welcome
    for label in ("Tỉnh Sóc Trăng", "Văn phòng UBND tỉnh Sóc Trăng",
                  "Trung tâm Phục vụ hành chính công"):  # fmt: skip
        (current,) = await ha.tap(current, label)
    (offer,) = await ha.send("trinh cong son ha")
    assert "Danh sách cán bộ của Trung tâm Phục vụ hành chính công có tên này" in offer.text
    (typed,) = await ha.send("Chuyên viên")
    assert "vui lòng chọn một dòng ở trên" in typed.text
    joined = await ha.tap(offer, "✔ Trịnh Công Sơn Hà — Chuyên viên")
    assert "✅ Đã ghi nhận: Trịnh Công Sơn Hà, Chuyên viên — Trung tâm Phục vụ hành chính công" in (
        joined[0].text
    )
    assert any("sẽ được trưởng đơn vị hoặc Văn phòng Sở xác nhận" in m.text for m in joined)
    await standin.wait_until(
        lambda: any("tên có trong danh sách cán bộ" in m.text for m in standin.messages_to(DESK))
    )
    # The same line cannot be taken twice: the next one with that name types a position.
    other = Chat(standin, User(731002, "Hà 2"))
    unit = await bot.services.units.by_code("soctrang-vpubnd-hcc")
    assert unit is not None
    invite = await bot.services.invites.create(unit.id)
    await other.send(f"/start inv_{invite.code}")
    (asked,) = await other.send("Trịnh Công Sơn Hà")
    assert "Chức vụ hoặc vị trí công tác" in asked.text
    (stale,) = await other.tap_data(asked, f"jr:{(await _line_id(bot, 'Trịnh Công Sơn Hà'))}")
    assert "không còn dùng được" in stale.text or "đã hết hiệu lực" in stale.text
    await other.send("Chuyên viên")

    # The desk turns Hà down: her line waits for the right person again.
    request = next(m for m in standin.messages_to(DESK) if "Trịnh Công Sơn Hà" in m.text)
    await desk.tap(request, "✖ Không thuộc đơn vị")
    assert (await bot.services.roster.matching(unit.id, "Trịnh Công Sơn Hà"))[0].person_id is None


async def _line_id(bot: object, name: str) -> int:
    from tests.conftest import RunningBot

    assert isinstance(bot, RunningBot)
    unit = await bot.services.units.by_code("soctrang-vpubnd-hcc")
    assert unit is not None
    lines = await bot.services.roster.of_units([unit.id])
    return next(line.id for line in lines if line.full_name == name)
