"""Deadlines as an .ics file a phone's calendar opens: one all-day event per deadline, on its
last day, with an alarm at 08:00 the day before; each says the plan and what to do."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from bot.domain.campaign import Campaign
from bot.i18n import Messages, as_plain
from bot.services.dates_said import due_said
from bot.services.safe_files import file_text

# The alarm: 08:00 on the day before the last day (an all-day event starts at 00:00).
ALARM_BEFORE = timedelta(hours=16)


def deadline_calendar(
    campaigns: list[Campaign], t: Messages, today: date, stamp: datetime, name: str
) -> bytes:
    """Every deadline of these campaigns from this emulation year on, as given by the plan or
    set in the campaign file."""
    from icalendar import Alarm, Calendar, Event  # 90 ms to import: only when asked for

    calendar = Calendar()
    calendar.add("prodid", "-//Thi dua bot//thidua//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", file_text(name))
    for c in campaigns:
        plan = f"{c.plan.kind} {c.plan.number}" if c.plan.number else f"{c.plan.kind} – {c.issuer}"
        first_year = c.emulation_year(today)
        for o in c.occurrences():
            # A deadline the plan gives only as a month or a year has no day to put it on.
            if not o.exact or o.last_day.year < first_year or o.days_left(today) < 0:
                continue
            when = as_plain(due_said(t, o))
            todo = t.plain(f"calendar.todo_{o.deadline.kind}")
            event = Event()
            event.add("uid", f"{c.id}-{o.deadline.key}-{o.due.isoformat()}@thidua")
            event.add("dtstamp", stamp)
            event.add("dtstart", o.last_day)
            event.add("dtend", o.last_day + timedelta(days=1))
            event.add("summary", file_text(f"⏰ {o.deadline.label} — {c.short_title}"))
            event.add(
                "description",
                file_text(
                    t.plain("calendar.description", when=when, todo=todo, plan=plan,
                            campaign=c.title)
                ),
            )  # fmt: skip
            event.add("transp", "TRANSPARENT")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", file_text(f"{o.deadline.label} — {when}"))
            alarm.add("trigger", -ALARM_BEFORE)
            event.add_component(alarm)
            calendar.add_component(event)
    return bytes(calendar.to_ical())


def write_calendar(content: bytes, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path
