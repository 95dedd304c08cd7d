"""/deadlines hands over an .ics file a phone's calendar opens: the deadlines that concern the
person, all-day on their last day, an alarm at 08:00 the day before, in Vietnamese."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar

from tests.conftest import BotStarter, Chat
from tests.e2e.helpers import join_by_picking
from tests.e2e.test_pledges import CCHC_UNIT
from tests.standins.telegram_api import TelegramStandIn


def events(content: bytes) -> dict[date, dict[str, object]]:
    calendar = Calendar.from_ical(content)
    found = {}
    for event in calendar.walk("VEVENT"):
        (alarm,) = event.walk("VALARM")
        found[event.decoded("dtstart")] = {
            "summary": str(event["summary"]),
            "description": str(event["description"]),
            "end": event.decoded("dtend"),
            "alarm": alarm.decoded("trigger"),
        }
    return found


async def test_my_deadlines_as_a_calendar_file(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    await start_bot()
    await join_by_picking(chat, CCHC_UNIT, "Nguyễn Thị Mai", "Chuyên viên")
    (deadlines,) = await chat.send("/deadlines")
    before = len(standin.documents)
    sent = await chat.tap(deadlines, "📅 Thêm các hạn vào lịch điện thoại")
    assert "8 giờ sáng hôm trước" in Chat.text(sent)
    await standin.wait_until(lambda: len(standin.documents) > before)
    _, name, content = standin.documents[-1]
    assert name == "han-thi-dua-cua-toi.ics"
    found = events(content)
    # Sóc Trăng's year closes on 31/12 each year through 2030; nothing already past.
    assert min(found) == date(2026, 12, 31) and max(found) == date(2030, 12, 31)
    year_end = found[date(2026, 12, 31)]
    assert year_end["summary"] == (
        "⏰ Kết thúc năm thi đua (bình xét khen thưởng hằng năm) — Sóc Trăng – CCHC 2021-2030"
    )
    assert "đến hết ngày 31/12/2026" in str(year_end["description"])
    assert "Theo Kế hoạch 52/KH-UBND" in str(year_end["description"])
    assert year_end["end"] == date(2027, 1, 1) and year_end["alarm"] == -timedelta(hours=16)


async def test_a_campaign_calendar_with_a_dossier_due_before_a_day(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    await start_bot(today="05/01/2026")
    (deadlines,) = await chat.send("/deadlines 127/KH-SXD")
    before = len(standin.documents)
    await chat.tap(deadlines, "📅 Thêm các hạn vào lịch điện thoại")
    await standin.wait_until(lambda: len(standin.documents) > before)
    _, name, content = standin.documents[-1]
    assert name == "han-thi-dua-cantho-sxd-cchc-2021-2025.ics"
    found = events(content)
    # "Trước ngày 15/01/2026": the last day is the 14th, for the 2025 dossiers.
    assert list(found) == [date(2026, 1, 14)]
    assert "trước ngày 15/01/2026: gửi hồ sơ đề nghị khen thưởng" in str(
        found[date(2026, 1, 14)]["description"]
    )
