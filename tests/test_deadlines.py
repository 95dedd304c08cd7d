"""Deadlines with a pinned today: days left, next yearly occurrence around year ends."""

from __future__ import annotations

from datetime import date

from bot.domain.campaign import Campaign
from bot.services.definition_files import read_campaign
from bot.services.importer import SEED_CAMPAIGNS


def seed(slug: str) -> Campaign:
    return read_campaign(SEED_CAMPAIGNS / f"{slug}.yaml")


def next_dossier(c: Campaign, today: date) -> tuple[date, int, int | None] | None:
    for o in c.next_occurrences(today):
        if o.deadline.kind == "dossier":
            return o.due, o.days_left(today), o.emulation_year
    return None


def test_can_tho_dossier_rolls_to_the_next_year_after_its_last_day() -> None:
    c = seed("cantho-sxd-cchc-2021-2025")
    assert next_dossier(c, date(2024, 12, 31)) == (date(2025, 1, 15), 14, 2024)
    assert next_dossier(c, date(2025, 1, 14)) == (date(2025, 1, 15), 0, 2024)  # last day
    assert next_dossier(c, date(2025, 1, 15)) == (date(2026, 1, 15), 364, 2025)
    assert next_dossier(c, date(2026, 1, 15)) is None
    (past,) = [
        o for o in c.last_past_occurrences(date(2026, 1, 15)) if o.deadline.kind == "dossier"
    ]
    assert past.due == date(2026, 1, 15)


def test_2024_plan_open_until_30_11_and_dossier_before_01_12() -> None:
    c = seed("sxd-cchc-2024")
    assert c.state_on(date(2024, 11, 30)) == "running"
    assert c.state_on(date(2024, 12, 1)) == "ended"
    assert c.state_on(date(2024, 1, 10)) == "upcoming"
    assert next_dossier(c, date(2024, 11, 29)) == (date(2024, 12, 1), 1, None)
    assert next_dossier(c, date(2024, 12, 1)) is None


def test_soc_trang_year_end_recurs_through_2030() -> None:
    c = seed("soctrang-cchc-2021-2030")
    first = c.next_occurrences(date(2026, 12, 31))[0]
    assert (first.deadline.key, first.due, first.days_left(date(2026, 12, 31))) == (
        "year_end",
        date(2026, 12, 31),
        0,
    )
    after = c.next_occurrences(date(2027, 1, 1))[0]
    assert (after.deadline.key, after.due) == ("year_end", date(2027, 12, 31))
    assert c.next_occurrences(date(2031, 1, 1)) == []


def test_29_february_falls_on_28_in_common_years() -> None:
    c = Campaign.model_validate(
        {
            "id": "leap",
            "title": "Phong trào năm nhuận",
            "short_title": "Nhuận",
            "issuer": "X",
            "plan": {},
            "period": {"start": "01/01/2023", "end": "31/12/2025"},
            "participants": {},
            "deadlines": [{"key": "d", "label": "Hạn", "yearly": "29/02", "years": [2023, 2024]}],
        }
    )
    assert c.deadlines[0].occurrences() == [date(2023, 2, 28), date(2024, 2, 29)]
