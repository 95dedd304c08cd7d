"""Sóc Trăng's 2021–2030 plan is registered, judged and awarded each year: a 2026 pledge is
read-only in 2027, where a new one starts from last year's commitments; quotas and figures
count within their year (or phase)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from bot.services.records import RecordService
from tests.conftest import BotStarter, Chat
from tests.e2e.helpers import join_by_picking, last
from tests.e2e.test_pledges import CCHC_UNIT, register
from tests.standins.telegram_api import TelegramStandIn, User

DESK = 910003


async def test_a_pledge_per_emulation_year(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    bot = await start_bot(ADMIN_IDS=str(DESK))
    await join_by_picking(chat, CCHC_UNIT, "Nguyễn Thị Mai", "Chuyên viên")
    text = await register(chat, "Bằng khen (UBND tỉnh)", [], own="Số hoá hồ sơ")
    assert "mã TD-2026-0001" in text and "đến hết ngày 31/12/2026" in text
    await bot.shutdown()

    bot = await start_bot(today="10/01/2027", ADMIN_IDS=str(DESK))
    (mine,) = await chat.send("/my")
    assert "TD-2026-0001 — năm 2026" in mine.text
    (detail,) = await chat.tap(mine, "TD-2026-0001")
    assert "năm thi đua 2026" in detail.text
    assert "Đã hết hạn đăng ký ngày 31/12/2026" in detail.text and detail.button_labels() == []
    (locked,) = await chat.tap_data(detail, "pe:1")
    assert "không còn sửa hoặc rút được" in locked.text

    # A new year: last year's commitments offered, reviewed, sent as the 2027 pledge.
    offer = last(await chat.send("/pledge"))
    assert "Năm 2026 anh/chị đã đăng ký «Bằng khen (UBND tỉnh)» với 1 cam kết" in offer.text
    (review,) = await chat.tap(offer, "📋 Dùng lại cam kết năm 2026")
    assert "Xem lại trước khi gửi" in review.text and "Số hoá hồ sơ" in review.text
    (saved,) = await chat.tap(review, "Gửi đăng ký")
    assert "mã TD-2027-0001" in saved.text and "đến hết ngày 31/12/2027" in saved.text
    (mine,) = await chat.send("/my")
    assert "TD-2026-0001 — năm 2026" in mine.text and "TD-2027-0001 — năm 2027" in mine.text

    # The desk's figures are this year's.
    desk = Chat(standin, User(DESK, "Thư"))
    (figures,) = await desk.send("/stats 52/KH-UBND")
    assert "năm thi đua 2027" in figures.text and "Đã đăng ký cá nhân 1/" in figures.text
    await desk.send("/export 52/KH-UBND")
    # The chart of /stats and the workbook each come when ready, in either order.
    await standin.wait_until(lambda: any(d[1].startswith("thi-dua-") for d in standin.documents))
    _, name, content = next(d for d in standin.documents if d[1].startswith("thi-dua-"))
    assert name.startswith("thi-dua-soctrang-cchc-2021-2030-nam-2027-")
    sheet = load_workbook(io.BytesIO(content))["Đăng ký cá nhân"]
    assert [(row[0], row[1]) for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("TD-2027-0001", 2027)
    ]

    # Yearly quotas count in the pledge's year; phase quotas in the phase its year falls in.
    campaign = await bot.services.catalog.get("soctrang-cchc-2021-2030")
    assert campaign is not None
    flags = [a.form for a in campaign.awards].index("Cờ thi đua")
    assert RecordService.award_period(campaign, 0, 2026) == "2026"
    assert RecordService.award_period(campaign, flags, 2024) == "Giai đoạn 5 năm 2021-2025"
    assert RecordService.award_period(campaign, flags, 2027) == "Giai đoạn 10 năm 2021-2030"


async def test_registration_closes_on_the_day_the_file_sets_each_year(
    start_bot: BotStarter, chat: Chat
) -> None:
    bot = await start_bot()
    campaign = await bot.services.catalog.get("soctrang-cchc-2021-2030")
    assert campaign is not None
    yearly = campaign.model_copy(update={"registration_until": "31/03"})
    window = yearly.registration_window_for(2027)
    assert (window.start, window.end) == (date(2027, 1, 1), date(2027, 3, 31))
    assert yearly.registration_window_for(2030).end.isoformat() == "2030-03-31"
    assert campaign.registration_window_for(2026).end.isoformat() == "2026-12-31"
    assert campaign.period.end is not None
    assert campaign.emulation_year(campaign.period.end.replace(year=2031)) == 2030


async def test_a_campaign_past_its_period_still_receives_dossiers(
    start_bot: BotStarter, chat: Chat
) -> None:
    bot = await start_bot(today="05/01/2026")
    (listing,) = await chat.send("/campaigns")
    collecting = listing.text.split("Hết thời gian thi đua, đang nhận hồ sơ")[1]
    assert collecting.split("Đã kết thúc")[0].count("Cần Thơ") == 1
    campaign = await bot.services.catalog.get("cantho-sxd-cchc-2021-2025")
    assert campaign is not None
    assert campaign.state_on(date(2026, 1, 5)) == "collecting"  # dossiers due before 15/01
    assert campaign.state_on(date(2026, 1, 15)) == "ended"
    assert campaign.state_on(date(2025, 6, 1)) == "running"
