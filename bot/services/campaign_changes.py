"""What an updated campaign file changes, said as a clerk checks it before publishing, and as
the people who registered are told: "Bằng khen (UBND tỉnh) cho cá nhân: chỉ tiêu 5 → 3"."""

from __future__ import annotations

from datetime import date

from bot.domain.campaign import Campaign
from bot.domain.dates import format_vn_date
from bot.i18n import Messages
from bot.services.dates_said import end_said, start_said, until_said


def _dates(days: list[date]) -> str:
    return ", ".join(format_vn_date(d) for d in days) or "—"


def campaign_changes(t: Messages, old: Campaign, new: Campaign) -> list[str]:
    said: list[str] = []

    def changed(key: str, before: object, after: object) -> None:
        if before != after:
            said.append(t.plain(f"changes.{key}", old=before, new=after))

    changed("title", old.title, new.title)
    changed("start", str(start_said(t, old.period)), str(start_said(t, new.period)))
    changed("end", str(end_said(t, old.period) or until_said(t, old.period)),
            str(end_said(t, new.period) or until_said(t, new.period)))  # fmt: skip
    changed("registration_until", old.registration_until or "31/12",
            new.registration_until or "31/12")  # fmt: skip
    before = {d.key: d for d in old.deadlines}
    after = {d.key: d for d in new.deadlines}
    for key, deadline in after.items():
        if key not in before:
            said.append(t.plain("changes.deadline_added", label=deadline.label,
                              dates=_dates(deadline.occurrences())))  # fmt: skip
        elif before[key].occurrences() != deadline.occurrences():
            said.append(t.plain("changes.deadline_moved", label=deadline.label,
                              old=_dates(before[key].occurrences()),
                              new=_dates(deadline.occurrences())))  # fmt: skip
    for key, deadline in before.items():
        if key not in after:
            said.append(t.plain("changes.deadline_removed", label=deadline.label))
    old_awards = {(a.form, a.granted_by, a.recipients): a for a in old.awards}
    new_awards = {(a.form, a.granted_by, a.recipients): a for a in new.awards}
    for form, award in new_awards.items():
        name = f"{award.form} ({award.granted_by}) {t(f'awards.{award.recipients}')}"
        if form not in old_awards:
            said.append(t.plain("changes.award_added", award=name))
        elif old_awards[form].quota != award.quota:
            said.append(t.plain("changes.quota", award=name, old=old_awards[form].quota or "—",
                              new=award.quota or "—"))  # fmt: skip
    for form, award in old_awards.items():
        if form not in new_awards:
            name = f"{award.form} ({award.granted_by}) {t(f'awards.{award.recipients}')}"
            said.append(t.plain("changes.award_removed", award=name))
    for kind in ("individual", "collective"):
        changed(f"criteria_{kind}", len(getattr(old.criteria, kind)),
                len(getattr(new.criteria, kind)))  # fmt: skip
    added = [u for u in new.participants.units if u not in old.participants.units]
    removed = [u for u in old.participants.units if u not in new.participants.units]
    if added:
        said.append(t.plain("changes.units_added", codes=", ".join(added)))
    if removed:
        said.append(t.plain("changes.units_removed", codes=", ".join(removed)))
    return said
