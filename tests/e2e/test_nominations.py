"""From an accepted pledge to what the Council receives: the proposal by tapping, the quota as
it fills, the nominee list (Excel, the usual columns) and the draft cover submission (Word)."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import load_workbook

from tests.conftest import BotStarter, Chat
from tests.e2e.helpers import join_by_invite
from tests.e2e.test_pledges import register
from tests.standins.telegram_api import TelegramStandIn, User

DESK = 910006


async def test_nominations_to_the_council(start_bot: BotStarter, standin: TelegramStandIn) -> None:
    bot = await start_bot(ADMIN_IDS=str(DESK))
    member = Chat(standin, User(730001, "Mai"))
    await join_by_invite(member, bot, "soctrang-snv-cchc", "Nguyễn Thị Mai", "Chuyên viên")
    await register(member, "Bằng khen (UBND tỉnh)", ["☐ 1", "☐ 3"])
    desk = Chat(standin, User(DESK, "Thư"))
    (waiting,) = await desk.send("/review")
    (detail,) = await desk.tap(waiting, "📝 TD-2026-0001 · Bằng khen (UBND tỉnh)")
    _, detail = await desk.tap(detail, "✅ Tiếp nhận")
    (proposed,) = await desk.tap(detail, "🏅 Đề nghị Bằng khen (UBND tỉnh)")
    assert "Đã đề nghị TD-2026-0001 cho Bằng khen (UBND tỉnh): 1/10 cá nhân, kỳ 2026" in (
        proposed.text
    )

    (listing,) = await desk.send("/nominations soc trang 52/KH-UBND")
    assert "Đề nghị khen thưởng — Sóc Trăng – CCHC 2021-2030 — năm thi đua 2026" in listing.text
    assert "Bằng khen (UBND tỉnh) cho cá nhân (hằng năm): 1/10" in listing.text
    assert "TD-2026-0001 — Nguyễn Thị Mai (Phòng Cải cách hành chính)" in listing.text

    before = len(standin.documents)
    await desk.tap(listing, "📊 Danh sách trình Hội đồng (Excel)")
    await standin.wait_until(lambda: len(standin.documents) > before)
    _, name, content = standin.documents[-1]
    assert name == "danh-sach-de-nghi-soctrang-cchc-2021-2030-nam-2026.xlsx"
    sheet = load_workbook(io.BytesIO(content))["Danh sách đề nghị"]
    header, row = list(sheet.iter_rows(values_only=True))[:2]
    assert header == (
        "STT",
        "Họ và tên / Tập thể",
        "Chức vụ",
        "Đơn vị",
        "Hình thức khen thưởng",
        "Thành tích tóm tắt",
    )
    assert row[:5] == (1, "Nguyễn Thị Mai", "Chuyên viên", "Phòng Cải cách hành chính",
                       "Bằng khen (UBND tỉnh)")  # fmt: skip
    assert "cung ứng dịch vụ công" in str(row[5])

    before = len(standin.documents)
    await desk.tap(listing, "📝 Dự thảo tờ trình (Word)")
    await standin.wait_until(lambda: len(standin.documents) > before)
    _, name, content = standin.documents[-1]
    assert name == "du-thao-to-trinh-soctrang-cchc-2021-2030-nam-2026.docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "DỰ THẢO" in text and "TỜ TRÌNH" in text
    assert "Căn cứ Kế hoạch 52/KH-UBND;" in text
    assert "Bằng khen (UBND tỉnh): 1 cá nhân;" in text

    # Staff cannot reach any of it, by command or forged button.
    (refused,) = await member.send("/nominations")
    assert "Danh sách" not in refused.text
    (forged,) = await member.tap_data(refused, "nx:soctrang-cchc-2021-2030")
    assert "Danh sách đề nghị" not in forged.text
