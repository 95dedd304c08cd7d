"""What a campaign holds, as the secretariat writes it in a YAML file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from bot.domain.dates import VnDate, parse_day_month
from bot.domain.organisation import CODE_PATTERN


class ReformArea(StrEnum):
    """The six reform areas of NQ 76/NQ-CP."""

    INSTITUTIONS = "the_che"
    PROCEDURES = "thu_tuc_hanh_chinh"
    APPARATUS = "to_chuc_bo_may"
    CIVIL_SERVICE = "che_do_cong_vu"
    PUBLIC_FINANCE = "tai_chinh_cong"
    DIGITAL_GOVERNMENT = "chinh_quyen_so"


class Index(StrEnum):
    PAR_INDEX = "PAR_INDEX"
    SIPAS = "SIPAS"
    PAPI = "PAPI"
    PCI = "PCI"
    DTI = "DTI"
    DDCI = "DDCI"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlanDocument(_Strict):
    number: str | None = Field(None, max_length=80, description="e.g. 127/KH-SXD")
    date: VnDate | None = None
    kind: str = Field("Kế hoạch", max_length=60)
    signed_by: str | None = None


class Source(_Strict):
    title: str
    published: VnDate | None = None
    url: str | None = None


class Period(_Strict):
    start: VnDate
    end: VnDate
    start_assumed: bool = Field(
        False, description="The document gives no start date: this one is the file's estimate"
    )

    @model_validator(mode="after")
    def _in_order(self) -> Period:
        if self.end < self.start:
            raise PydanticCustomError("period_order", "end is before start")
        return self

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


class Phase(Period):
    name: str


class Participants(_Strict):
    collectives: str | None = None
    individuals: str | None = None
    units: list[Annotated[str, Field(pattern=CODE_PATTERN)]] = Field(
        default_factory=list,
        description="Codes of the units whose whole subtree takes part",
    )


class Criteria(_Strict):
    collective: list[str] = Field(default_factory=list)
    individual: list[str] = Field(default_factory=list)
    note: str | None = None


class Titles(_Strict):
    """Emulation titles (danh hiệu) people may pledge for, besides the award forms."""

    collective: list[str] = Field(default_factory=list)
    individual: list[str] = Field(default_factory=list)


Recipients = Literal["collective", "individual"]
Occasion = Literal["yearly", "phase_end", "campaign"]


class Award(_Strict):
    form: str = Field(description="Giấy khen, Bằng khen, Cờ thi đua …")
    granted_by: str
    recipients: Recipients
    quota: int | None = Field(None, ge=1, description="At most this many per occasion")
    per_unit: bool = Field(False, description="The quota counts within each unit")
    occasions: list[Occasion] = Field(default_factory=lambda: list[Occasion](["campaign"]))
    note: str | None = None


class Dossier(_Strict):
    documents: list[str] = Field(default_factory=list)
    send_to: str | None = None
    note: str | None = None


DeadlineKind = Literal["dossier", "registration", "submission", "period_end", "phase_end", "other"]


class Deadline(_Strict):
    """A one-off date, or a day and month that recurs over a range of years."""

    key: str = Field(pattern=r"^[a-z0-9_]{1,30}$")
    kind: DeadlineKind = "other"
    label: str
    date: VnDate | None = None
    yearly: str | None = Field(None, description="dd/mm, repeated each year in years")
    years: tuple[int, int] | None = Field(None, description="[first, last] year it falls in")
    before: bool = Field(True, description="'trước ngày': the last day is the day before")
    covers_previous_year: bool = Field(
        False, description="Each occurrence is for the emulation year before it"
    )
    note: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Deadline:
        if (self.date is None) == (self.yearly is None):
            raise PydanticCustomError(
                "deadline_form", "give either date or yearly (with years), not both"
            )
        if self.yearly is not None:
            parse_day_month(self.yearly)
            if self.years is None:
                raise PydanticCustomError("yearly_years", "yearly needs years: [first, last]")
            if self.years[1] < self.years[0]:
                raise PydanticCustomError("years_order", "years are out of order")
        return self

    def occurrences(self) -> list[dt.date]:
        if self.date is not None:
            return [self.date]
        assert self.yearly is not None and self.years is not None
        day, month = parse_day_month(self.yearly)
        first, last = self.years
        return [_safe_date(year, month, day) for year in range(first, last + 1)]


def _safe_date(year: int, month: int, day: int) -> date:
    # 29/02 in a common year falls on 28/02.
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, day - 1)


@dataclass(frozen=True)
class Occurrence:
    """One dated instance of a deadline."""

    deadline: Deadline
    due: date

    @property
    def last_day(self) -> date:
        return self.due - timedelta(days=1) if self.deadline.before else self.due

    def days_left(self, today: date) -> int:
        return (self.last_day - today).days

    @property
    def emulation_year(self) -> int | None:
        return self.due.year - 1 if self.deadline.covers_previous_year else None


class Campaign(_Strict):
    id: str = Field(pattern=CODE_PATTERN, description="Stable key, kept across re-imports")
    title: str = Field(min_length=5)
    short_title: str = Field(min_length=3, max_length=60, description="Fits on a button")
    issuer: str
    plan: PlanDocument
    source: Source | None = None
    status: Literal["draft", "published", "closed"] = "published"
    period: Period
    phases: list[Phase] = Field(default_factory=list)
    theme: str | None = None
    purpose: list[str] = Field(default_factory=list)
    requirements: list[str] = Field(default_factory=list)
    participants: Participants
    reform_areas: list[ReformArea] = Field(default_factory=list)
    content: list[str] = Field(default_factory=list)
    criteria: Criteria = Field(default_factory=Criteria)
    indices: list[Index] = Field(default_factory=list)
    awards: list[Award] = Field(default_factory=list)
    titles: Titles = Field(default_factory=Titles)
    dossier: Dossier | None = None
    deadlines: list[Deadline] = Field(default_factory=list)
    registration: Period | None = Field(
        None,
        description="One registration window; without it each emulation year has its own",
    )
    registration_until: str | None = Field(
        None,
        description="dd/mm: each emulation year's registration closes that day (default 31/12)",
    )
    submission: Period | None = Field(None, description="Defaults to the campaign period")
    funding: str | None = None
    legal_basis: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list, description="Extra words people use")
    notes: list[str] = Field(default_factory=list)
    plan_text: str | None = Field(
        None,
        max_length=200_000,
        description="The plan's own text, for answers quoted from it; or a <id>.txt file "
        "beside the campaign file",
    )

    @model_validator(mode="after")
    def _keys_unique(self) -> Campaign:
        keys = [d.key for d in self.deadlines]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise PydanticCustomError(
                "duplicate_keys",
                "deadline keys appear twice: {keys}",
                {"keys": ", ".join(duplicates)},
            )
        return self

    @model_validator(mode="after")
    def _registration_day(self) -> Campaign:
        if self.registration_until is not None:
            parse_day_month(self.registration_until)
        return self

    def date_problems(self) -> list[tuple[tuple[str | int, ...], str, str, dict[str, str]]]:
        """Dates the plan could not mean: a deadline before the campaign starts, or more than
        a year after it ends (dossiers are filed in the weeks after the last year)."""
        latest = _safe_date(self.period.end.year + 1, self.period.end.month, self.period.end.day)
        found = []
        for n, deadline in enumerate(self.deadlines):
            for due in deadline.occurrences():
                if not self.period.start <= due <= latest:
                    where: tuple[str | int, ...] = (
                        ("deadlines", n, "date") if deadline.date else ("deadlines", n, "yearly")
                    )
                    values = {
                        "date": due.strftime("%d/%m/%Y"),
                        "start": self.period.start.strftime("%d/%m/%Y"),
                        "end": self.period.end.strftime("%d/%m/%Y"),
                    }
                    reason = f"{values['date']} is outside the campaign's period " + (
                        f"{values['start']} - {values['end']} (or the year after it ends)"
                    )
                    found.append((where, "deadline_outside", reason, values))
                    break
        return found

    @property
    def years(self) -> range:
        """The emulation years (năm thi đua) the campaign runs in: calendar years."""
        return range(self.period.start.year, self.period.end.year + 1)

    def emulation_year(self, today: date) -> int:
        """The emulation year a pledge made today belongs to: this year, within the campaign."""
        return min(max(today.year, self.period.start.year), self.period.end.year)

    def registration_window_for(self, year: int) -> Period:
        """When people register for one emulation year: the plan's window if it gives one,
        else from the year's (or the campaign's) start to `registration_until` that year."""
        if self.registration is not None:
            return self.registration
        day, month = parse_day_month(self.registration_until or "31/12")
        start = max(date(year, 1, 1), self.period.start)
        end = min(_safe_date(year, month, day), self.period.end)
        return Period(start=start, end=max(start, end))

    def registration_window_on(self, today: date) -> Period:
        """The window of the emulation year `today` falls in."""
        return self.registration_window_for(self.emulation_year(today))

    @property
    def submission_window(self) -> Period:
        return self.submission or self.period

    def state_on(self, today: date) -> Literal["upcoming", "running", "collecting", "ended"]:
        """Running within its period; after it, still collecting dossiers while a dossier
        deadline is ahead ("đang nhận hồ sơ"), then ended."""
        if self.status == "closed":
            return "ended"
        if today < self.period.start:
            return "upcoming"
        if today <= self.period.end:
            return "running"
        dossiers = [o for o in self.occurrences() if o.deadline.kind == "dossier"]
        if any(o.due > self.period.end and o.days_left(today) >= 0 for o in dossiers):
            return "collecting"
        return "ended"

    def pledge_titles(self, recipients: Recipients) -> list[str]:
        """What a pledge may be for: the titles, then each award form and who grants it."""
        awards = [f"{a.form} ({a.granted_by})" for a in self.awards if a.recipients == recipients]
        return list(dict.fromkeys([*getattr(self.titles, recipients), *awards]))

    def pledge_commitments(self, recipients: Recipients) -> list[str]:
        """What a pledge may commit to: the plan's criteria for these recipients. A collective
        with none may take the campaign's content (what units emulate on); an individual is
        never offered what the plan sets for agencies, and writes their own instead."""
        criteria = list(getattr(self.criteria, recipients))
        if criteria or recipients == "individual":
            return criteria
        return list(self.content)

    def occurrences(self) -> list[Occurrence]:
        return [Occurrence(d, due) for d in self.deadlines for due in d.occurrences()]

    def next_occurrences(self, today: date) -> list[Occurrence]:
        """The next occurrence of each deadline still ahead (the last day not yet past)."""
        ahead: list[Occurrence] = []
        for deadline in self.deadlines:
            future = [
                o
                for o in (Occurrence(deadline, d) for d in deadline.occurrences())
                if o.days_left(today) >= 0
            ]
            if future:
                ahead.append(min(future, key=lambda o: o.due))
        return sorted(ahead, key=lambda o: o.due)

    def last_past_occurrences(self, today: date) -> list[Occurrence]:
        """For deadlines with nothing ahead: their last occurrence."""
        past: list[Occurrence] = []
        for deadline in self.deadlines:
            all_ = [Occurrence(deadline, d) for d in deadline.occurrences()]
            if all(o.days_left(today) < 0 for o in all_):
                past.append(max(all_, key=lambda o: o.due))
        return sorted(past, key=lambda o: o.due, reverse=True)
