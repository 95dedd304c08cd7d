"""Reminders before deadlines: 7, 3 and 1 days before (settings), from 08:00 local time and
never at night, to the people a deadline concerns who have not yet done what it asks. Computed
from the campaigns each time, so a moved deadline moves its reminders; each reminder is
recorded as it is queued, so it goes out once whatever restarts or instances."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.domain.campaign import Campaign
from bot.domain.dates import format_vn_date
from bot.domain.records import Person
from bot.i18n import Translator
from bot.services.catalog import CampaignCatalog
from storage.database import Database
from storage.outbox import Outbox
from storage.people import PersonRepository
from storage.pledges import PledgeRepository
from storage.reminders import ReminderLog
from storage.units import UnitRepository

QUIET_FROM = 21  # no reminder from 21:00 until the morning's hour
REGISTRATION = "registration"  # the key of a registration window's close


@dataclass(frozen=True)
class Occasion:
    """One reminder to send on a day: a deadline occurrence, so many days before it."""

    campaign: Campaign
    key: str
    kind: str
    label: str
    last_day: date
    year: int  # the emulation year it concerns
    days_before: int
    before: bool = False  # the plan says "trước ngày <day after last_day>"

    @property
    def due(self) -> str:
        return self.last_day.isoformat()


class Reminders:
    def __init__(
        self,
        db: Database,
        catalog: CampaignCatalog,
        units: UnitRepository,
        persons: PersonRepository,
        outbox: Outbox,
        translator: Translator,
        days_before: tuple[int, ...],
        hour: int,
        confirm_after_days: int = 3,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.units = units
        self.persons = persons
        self.outbox = outbox
        self.translator = translator
        self.log = ReminderLog(db)
        self.pledges = PledgeRepository(db)
        self.days_before = days_before
        self.hour = hour
        self.confirm_after = timedelta(days=confirm_after_days)

    def occasions(self, campaigns: list[Campaign], day: date) -> list[Occasion]:
        """What is to be reminded of on `day`: each deadline the plan (or the secretariat's
        file) gives that falls so many days ahead; the registration window's close only where
        the file sets one."""
        found: list[Occasion] = []
        for c in campaigns:
            if c.status != "published":
                continue
            for o in c.occurrences():
                if o.deadline.kind not in ("registration", "submission", "dossier", "period_end"):
                    continue
                if not o.exact:
                    continue  # "trong năm 2023": no day to count down to
                ahead = (o.last_day - day).days
                if ahead in self.days_before:
                    year = o.emulation_year or min(max(o.last_day.year, c.years[0]), c.years[-1])
                    found.append(
                        Occasion(
                            c,
                            o.deadline.key,
                            o.deadline.kind,
                            o.deadline.label,
                            o.last_day,
                            year,
                            ahead,
                            o.deadline.before,
                        )
                    )
            if c.registration is None and c.registration_until is None:
                continue  # the bot's default window is not a date anyone set
            for year in c.years:
                window = c.registration_window_for(year)
                ahead = (window.end - day).days
                if ahead in self.days_before:
                    found.append(
                        Occasion(c, REGISTRATION, REGISTRATION, "", window.end, year, ahead)
                    )
        return sorted(found, key=lambda o: (o.last_day, o.campaign.id, o.key))

    async def concerned(self, occasion: Occasion) -> list[tuple[Person, str]]:
        """Who the occasion asks something of, and which reminder they get: members not yet
        registered for the year, heads whose unit has no collective pledge, people with an
        initiative started, unit heads before a dossier deadline."""
        c = occasion.campaign
        units = await self.units.subtree(c.participants.units)
        people = await self.persons.reachable_in([u.id for u in units])
        if occasion.kind == "submission":
            drafting = await self.log.drafting_initiatives(c.id)
            return [(p, "submission") for p in people if p.id in drafting]
        if occasion.kind == "dossier":
            return [(p, "dossier") for p in people if p.role == "unit_head"]
        if occasion.kind == "period_end" and (
            c.registration_window_for(occasion.year).end < occasion.last_day
        ):
            return []  # registration for that year closed before: nothing left to do
        registered, unit_pledged = await self.pledges.registered(c.id, occasion.year)
        wants: list[tuple[Person, str]] = []
        for p in people:
            if p.id not in registered:
                wants.append((p, "register"))
            elif (
                p.role == "unit_head"
                and p.unit_id not in unit_pledged
                and c.pledge_titles("collective")
            ):
                wants.append((p, "register_unit"))
        return wants

    async def due_on(self, day: date) -> list[tuple[Occasion, list[tuple[Person, str]]]]:
        """The occasions of `day` with who would still be reminded (not muted, not sent,
        not cancelled)."""
        plan: list[tuple[Occasion, list[tuple[Person, str]]]] = []
        for occasion in self.occasions(await self.catalog.published(), day):
            c = occasion.campaign
            if await self.log.cancelled(c.id, occasion.key, occasion.due, occasion.days_before):
                plan.append((occasion, []))
                continue
            muted = await self.log.muted(c.id)
            sent = await self.log.sent_to(c.id, occasion.key, occasion.due, occasion.days_before)
            people = [
                (p, why)
                for p, why in await self.concerned(occasion)
                if p.id not in muted and p.id not in sent
            ]
            plan.append((occasion, people))
        return plan

    async def send_due(self, now: datetime) -> int:
        """Queue the reminders of `now`'s day, once it is the hour and not yet night. A bot
        that was down sends the day's when it is back, never an earlier day's."""
        if not self.hour <= now.hour < QUIET_FROM:
            return 0
        queued = 0
        for occasion, people in await self.due_on(now.date()):
            c = occasion.campaign
            for person, why in people:
                async with self.db.transaction():
                    if not await self.log.claim(
                        c.id, occasion.key, occasion.due, occasion.days_before, person.id
                    ):
                        continue  # another instance got there first
                    text, options = self._message(person, occasion, why)
                    await self.outbox.add(
                        person.id, person.channel, person.external_id, text, options,
                        kind="reminder",
                    )  # fmt: skip
                queued += 1
        return queued + await self._heads_waiting(now)

    async def _heads_waiting(self, now: datetime) -> int:
        """A member's pledge left unconfirmed too long tells the unit's heads, once a pledge."""
        waiting = await self.log.waiting_since(
            (now - self.confirm_after).astimezone(UTC).isoformat(timespec="seconds")
        )
        by_unit: dict[int, list[str]] = {}
        for ref, unit_id in waiting:
            by_unit.setdefault(unit_id, []).append(ref)
        queued = 0
        for unit_id, refs in by_unit.items():
            for head in await self.persons.heads_of(unit_id):
                if head.unreachable:
                    continue
                async with self.db.transaction():
                    new = [r for r in refs if await self.log.claim("confirm", r, "", 0, head.id)]
                    if not new:
                        continue
                    t = self.translator.for_language(head.locale)
                    days = self.confirm_after.days
                    text = t("unit.waiting_reminder", count=len(refs), days=days)
                    await self.outbox.add(
                        head.id,
                        head.channel,
                        head.external_id,
                        str(text),
                        [[(t.plain("unit.open"), "hu:")]],
                        kind="reminder",
                    )
                queued += 1
        return queued

    def _message(
        self, person: Person, occasion: Occasion, why: str
    ) -> tuple[str, list[list[tuple[str, str]]]]:
        t = self.translator.for_language(person.locale)
        c = occasion.campaign
        label = occasion.label or t.plain("reminders.registration_label", year=occasion.year)
        # As the plan words it: "trước ngày 15/01" or "đến hết ngày 31/12".
        when = (
            t("deadlines.before", date=format_vn_date(occasion.last_day + timedelta(days=1)))
            if occasion.before
            else t("deadlines.by", date=format_vn_date(occasion.last_day))
        )
        text = t(
            f"reminders.{why}",
            count=occasion.days_before,
            label=label,
            date=when,
            campaign=c.short_title,
            year=occasion.year,
        )
        act = {
            "register": (t.plain("menu.pledge"), f"pg:{c.id}"),
            "register_unit": (t.plain("menu.pledge"), f"pg:{c.id}"),
            "submission": (t.plain("menu.initiative"), "go:initiative"),
            "dossier": (t.plain("detail.button_dossier"), f"ds:{c.id}"),
        }[why]
        mute = (t.plain("reminders.mute"), f"nh:off:{c.id}")
        return str(text), [[act], [mute]]


def reminder_days(text: str) -> tuple[int, ...]:
    """ "7,3,1" → (7, 3, 1): how many days before a deadline reminders go out."""
    days = tuple(sorted({int(part) for part in text.split(",") if part.strip()}, reverse=True))
    if not days or any(d < 0 or d > 60 for d in days):
        raise ValueError("REMINDER_DAYS: whole days between 0 and 60, e.g. 7,3,1")
    return days
