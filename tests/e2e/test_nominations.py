"""From accepted pledges to what the Council receives, by tapping only: the secretariat's
proposal and a unit head's (taken by the desk), the quota as it fills, the list closed (and
then frozen), the nominee list (Excel, the usual columns) and the draft cover submission."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import load_workbook

from tests.conftest import BotStarter, Chat
from tests.e2e.helpers import join_by_invite
from tests.e2e.test_pledges import register
from tests.standins.telegram_api import SentMessage, TelegramStandIn, User

DESK = 910006
UNIT = "soctrang-snv-cchc"
AWARD = "Bằng khen (UBND tỉnh)"


async def notice_to(standin: TelegramStandIn, chat: Chat, text: str) -> SentMessage:
    await standin.wait_until(lambda: any(text in m.text for m in standin.messages_to(chat.user.id)))
    return next(m for m in reversed(standin.messages_to(chat.user.id)) if text in m.text)


async def test_a_year_of_nominations_by_tapping(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    running = await start_bot(ADMIN_IDS=str(DESK))
    bot_desk = Chat(standin, User(DESK, "Thư"))
    mai = Chat(standin, User(730001, "Mai"))
    lan = Chat(standin, User(730002, "Lan"))
    head = Chat(standin, User(730003, "Hùng"))
    await join_by_invite(mai, running, UNIT, "Nguyễn Thị Mai", "Chuyên viên")
    await join_by_invite(lan, running, UNIT, "Võ Thị Lan", "Chuyên viên")
    await join_by_invite(head, running, UNIT, "Phạm Quốc Hùng", "Trưởng phòng", head=True)
    await register(mai, AWARD, [], own="Giải quyết đúng hạn 100% hồ sơ")
    await register(lan, AWARD, [], own="Số hoá toàn bộ hồ sơ lưu trữ")

    # The desk accepts both; Mai's is proposed at once, under the pledge it just accepted.
    for ref in ("TD-2026-0001", "TD-2026-0002"):
        (waiting,) = await bot_desk.send("/review")
        (detail,) = await bot_desk.tap(waiting, f"📝 {ref}")
        _, detail = await bot_desk.tap(detail, "✅ Tiếp nhận")
        if ref == "TD-2026-0001":
            (proposed,) = await bot_desk.tap(detail, f"🏅 Đề nghị {AWARD}")
            assert f"Đã đề nghị {ref} cho {AWARD}: 1/10 cá nhân, kỳ 2026" in proposed.text

    # The unit head proposes Lan from his unit's list; the desk is told and takes it.
    (mine,) = (await head.send("/my"))[-1:]
    (unit_list,) = await head.tap(mine, "👥 Đăng ký của đơn vị")
    (lan_pledge,) = await head.tap(unit_list, "TD-2026-0002 · Võ Thị Lan")
    (suggested,) = await head.tap(lan_pledge, f"🏅 Đề xuất khen thưởng: {AWARD}")
    assert "Đã gửi Văn phòng Sở đề xuất" in suggested.text
    told = await notice_to(standin, bot_desk, "Phạm Quốc Hùng đề xuất")
    (listing,) = await bot_desk.tap(told, "Mở danh sách đề nghị")
    assert "Đơn vị đề xuất, chờ Văn phòng Sở (1)" in listing.text
    assert f"TD-2026-0002 — Võ Thị Lan (Phòng Cải cách hành chính) → {AWARD}" in listing.text
    assert f"{AWARD} cho cá nhân (hằng năm): 1/10" in listing.text
    (lan_detail,) = await bot_desk.tap(listing, "📨 TD-2026-0002 · Võ Thị Lan")
    (taken,) = await bot_desk.tap(lan_detail, f"✅ Nhận đề xuất của đơn vị: {AWARD}")
    assert f"Đã đề nghị TD-2026-0002 cho {AWARD}: 2/10 cá nhân, kỳ 2026" in taken.text
    await notice_to(standin, head, "Văn phòng Sở đã đưa TD-2026-0002 (Võ Thị Lan)")

    # Closed for the Council: nothing moves until it is reopened.
    (listing,) = await bot_desk.tap(taken, "« Danh sách đề nghị")
    assert f"{AWARD} cho cá nhân (hằng năm): 2/10" in listing.text
    assert "TD-2026-0001 — Nguyễn Thị Mai (Phòng Cải cách hành chính)" in listing.text
    assert "📊 Danh sách trình Hội đồng (Excel)" not in listing.button_labels()
    close = "🔒 Chốt danh sách năm 2026 để trình Hội đồng"
    (asked,) = await bot_desk.tap(listing, close)  # closing says first what it freezes
    assert "Chốt danh sách năm 2026 để trình Hội đồng?" in asked.text
    assert f"{AWARD} — hằng năm 2026: 2" in asked.text
    assert "Đăng ký thi đua năm này còn mở đến hết ngày 31/12/2026" in asked.text
    (listing,) = await bot_desk.tap(asked, "« Chưa chốt, quay lại")
    assert "🔓 Đang lập danh sách" in listing.text
    (asked,) = await bot_desk.tap(listing, close)
    closed_now, listing = await bot_desk.tap(asked, "🔒 Đồng ý chốt danh sách")
    assert "Đã chốt danh sách đề nghị năm 2026" in closed_now.text
    assert "🔒 Đã chốt ngày 22/11/2026 (Văn phòng Sở)" in listing.text
    (mai_detail,) = await bot_desk.tap(listing, "🏅 TD-2026-0001 · Nguyễn Thị Mai")
    (frozen,) = await bot_desk.tap(mai_detail, f"🏅 Đã đề nghị {AWARD} — bỏ đề nghị")
    assert "đã chốt để trình Hội đồng, nên không sửa được TD-2026-0001" in frozen.text
    (listing,) = await bot_desk.tap(frozen, "« Danh sách đề nghị")

    before = len(standin.documents)
    await bot_desk.tap(listing, "📊 Danh sách trình Hội đồng (Excel)")
    await standin.wait_until(lambda: len(standin.documents) > before)
    _, name, content = standin.documents[-1]
    assert name == "danh-sach-de-nghi-soctrang-cchc-2021-2030-nam-2026.xlsx"
    sheet = load_workbook(io.BytesIO(content))["Danh sách đề nghị"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "SỞ NỘI VỤ TỈNH SÓC TRĂNG"
    assert rows[1][0] == "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
    assert "(Kèm theo Tờ trình số      /TTr-SNV" in str(rows[3][0])
    header = rows.index(("STT", "Họ và tên / Tập thể", "Chức vụ", "Đơn vị",
                         "Hình thức khen thưởng", "Thành tích tóm tắt"))  # fmt: skip
    unit = "Phòng Cải cách hành chính, Sở Nội vụ tỉnh Sóc Trăng"
    assert [r[:5] for r in rows[header + 1 : header + 3]] == [
        (1, "Nguyễn Thị Mai", "Chuyên viên", unit, AWARD),
        (2, "Võ Thị Lan", "Chuyên viên", unit, AWARD),
    ]
    assert rows[header + 1][5] == "(chưa có báo cáo thành tích)"  # not the pledge's wording
    assert rows[header + 3][1] == "Tổng cộng: 2 trường hợp (2 cá nhân)"

    before = len(standin.documents)
    await bot_desk.tap(listing, "📝 Dự thảo tờ trình (Word)")
    await standin.wait_until(lambda: len(standin.documents) > before)
    _, name, content = standin.documents[-1]
    assert name == "du-thao-to-trinh-soctrang-cchc-2021-2030-nam-2026.docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "TỜ TRÌNH" in text
    assert "Căn cứ Kế hoạch số 52/KH-UBND ngày 06 tháng 4 năm 2022 của UBND tỉnh Sóc Trăng" in text
    assert f"- {AWARD}: 2 cá nhân;" in text
    assert "đề nghị khen thưởng 2 trường hợp, gồm 2 cá nhân, cụ thể:" in text
    assert "tập thể" not in text.split("cụ thể:")[0].split("đề nghị khen thưởng")[-1]

    # Reopened, a proposal can be withdrawn again and the quota frees up.
    reopened, listing = await bot_desk.tap(listing, "🔓 Mở lại danh sách")
    assert "Đã mở lại danh sách đề nghị năm 2026" in reopened.text
    (mai_detail,) = await bot_desk.tap(listing, "🏅 TD-2026-0001 · Nguyễn Thị Mai")
    (withdrawn,) = await bot_desk.tap(mai_detail, f"🏅 Đã đề nghị {AWARD} — bỏ đề nghị")
    assert "Đã bỏ đề nghị khen thưởng cho TD-2026-0001" in withdrawn.text
    (listing,) = await bot_desk.tap(withdrawn, "« Danh sách đề nghị")
    assert f"{AWARD} cho cá nhân (hằng năm): 1/10" in listing.text

    # Staff reach none of it, by command or forged button; a head cannot suggest for others.
    (refused,) = await mai.send("/nominations")
    assert "Danh sách" not in refused.text
    for forged in ("nx:soctrang-cchc-2021-2030:2026", "nc:soctrang-cchc-2021-2030:2026"):
        (answer,) = await mai.tap_data(refused, forged)
        assert "chỉ dành cho Văn phòng Sở" in answer.text
    (not_head,) = await mai.tap_data(refused, "hs:2:1")
    assert "Danh sách đề nghị" not in not_head.text and "Đã gửi" not in not_head.text
