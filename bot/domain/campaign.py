"""What a campaign holds, as the secretariat writes it in a YAML file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from bot.domain.dates import (
    PlanDay,
    Precision,
    VnDate,
    looks_like_a_date,
    parse_day_month,
    parse_plan_date,
)
from bot.domain.organisation import CODE_PATTERN
from bot.textmatch import fold


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


# What a clerk may write for a coded value: the code, or its Vietnamese words (compared without
# diacritics, case or punctuation). The first words of each are the ones a refusal lists.
WORDS_FOR: dict[str, dict[str, tuple[str, ...]]] = {
    "recipients": {
        "collective": ("tập thể", "tap the"),
        "individual": ("cá nhân", "ca nhan"),
    },
    "occasion": {
        "yearly": ("hằng năm", "hàng năm", "mỗi năm", "năm"),
        "phase_end": ("cuối giai đoạn", "kết thúc giai đoạn", "sơ kết", "giai đoạn"),
        "campaign": ("cả phong trào", "kết thúc phong trào", "tổng kết", "một lần"),
    },
    "deadline_kind": {
        "dossier": ("hồ sơ", "hồ sơ khen thưởng", "nộp hồ sơ"),
        "registration": ("đăng ký", "đăng ký thi đua"),
        "submission": ("sáng kiến", "gửi sáng kiến", "nộp sáng kiến"),
        "period_end": ("kết thúc", "kết thúc thi đua"),
        "phase_end": ("kết thúc giai đoạn", "cuối giai đoạn"),
        "other": ("khác", "mốc khác", "sơ kết", "tổng kết"),
    },
    "reform_area": {
        "the_che": ("cải cách thể chế", "thể chế"),
        "thu_tuc_hanh_chinh": ("cải cách thủ tục hành chính", "thủ tục hành chính"),
        "to_chuc_bo_may": ("cải cách tổ chức bộ máy", "tổ chức bộ máy"),
        "che_do_cong_vu": ("cải cách chế độ công vụ", "chế độ công vụ", "công vụ"),
        "tai_chinh_cong": ("cải cách tài chính công", "tài chính công"),
        "chinh_quyen_so": (
            "xây dựng chính quyền điện tử, chính quyền số",
            "chính quyền số",
            "chính quyền điện tử",
            "chính phủ số",
            "chính phủ điện tử",
            "chuyển đổi số",
        ),
    },
    "index": {i.value: (i.value.replace("_", " "),) for i in Index},
    "status": {
        "draft": ("bản nháp", "nháp", "chưa công bố"),
        "published": ("công bố", "đã công bố", "đang thực hiện"),
        "closed": ("kết thúc", "đã kết thúc", "đóng"),
    },
}


def _key(text: str) -> str:
    return " ".join(fold(text).replace("_", " ").replace("-", " ").split())


_CODES: dict[str, dict[str, str]] = {
    kind: {_key(word): code for code, words in choices.items() for word in (code, *words)}
    for kind, choices in WORDS_FOR.items()
}


def choices_said(kind: str) -> str:
    """The allowed values as a refusal lists them: each one's Vietnamese words."""
    return ", ".join(f"«{words[0]}»" for words in WORDS_FOR[kind].values())


def _coded(kind: str) -> Any:
    def read(value: Any) -> Any:
        if isinstance(value, str):
            code = _CODES[kind].get(_key(value))
            if code is None:
                raise PydanticCustomError(
                    f"choice_{kind}",
                    "'{value}' is not one of {allowed}",
                    {"value": value.strip(), "allowed": choices_said(kind)},
                )
            return code
        return value

    return BeforeValidator(read)


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


class Window(_Strict):
    """Days, both given: a registration or submission window."""

    start: VnDate
    end: VnDate

    @model_validator(mode="after")
    def _in_order(self) -> Window:
        if self.end < self.start:
            raise PydanticCustomError("period_order", "end is before start")
        return self

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


# A campaign with no end day runs until the secretariat closes it; its emulation years are
# counted this far ahead of its start (reminders, quotas by year).
OPEN_END_YEARS = 5


class Period(_Strict):
    """When a campaign (or a phase) runs, as the plan says it: a day, a month ("tháng 10/2025")
    or a year ("năm 2021") at each end, or an end in words ("đến khi Đại hội XIV thành công")."""

    start: PlanDay
    end: PlanDay | None = Field(None, description="None: the plan gives no end day (see until)")
    until: str | None = Field(None, description="An open end, in the plan's words")
    start_precision: Precision = "day"
    end_precision: Precision = "day"
    start_assumed: bool = Field(
        False, description="The document gives no start date: this one is the file's estimate"
    )

    @model_validator(mode="before")
    @classmethod
    def _as_the_plan_says(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for side in ("start", "end"):
            value = data.get(side)
            if isinstance(value, bool) or not isinstance(value, str | int):
                continue
            text = str(value).strip()
            if side == "end" and text and not looks_like_a_date(text):
                data["end"] = None
                data.setdefault("until", text)
                continue
            try:
                found = parse_plan_date(value)
            except PydanticCustomError:
                continue  # the field itself says what is wrong, with its line
            data.setdefault(f"{side}_precision", found.precision)
            data[side] = found.first if side == "start" else found.last
        return data

    @model_validator(mode="after")
    def _in_order(self) -> Period:
        if self.end is not None and self.end < self.start:
            raise PydanticCustomError("period_order", "end is before start")
        return self

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def last_year(self) -> int:
        return self.end.year if self.end is not None else self.start.year + OPEN_END_YEARS - 1


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


Recipients = Annotated[Literal["collective", "individual"], _coded("recipients")]
Occasion = Annotated[Literal["yearly", "phase_end", "campaign"], _coded("occasion")]


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


DeadlineKind = Annotated[
    Literal["dossier", "registration", "submission", "period_end", "phase_end", "other"],
    _coded("deadline_kind"),
]


class Deadline(_Strict):
    """A one-off date, or a day and month that recurs over a range of years."""

    key: str = Field(pattern=r"^[a-z0-9_-]{1,30}$")
    kind: DeadlineKind = "other"
    label: str
    date: PlanDay | None = Field(None, description="A day, or a month or year the plan gives")
    precision: Precision = Field("day", description="month / year: the plan gives no day")
    yearly: str | None = Field(None, description="dd/mm, repeated each year in years")
    years: tuple[int, int] | None = Field(None, description="[first, last] year it falls in")
    before: bool = Field(True, description="'trước ngày': the last day is the day before")
    covers_previous_year: bool = Field(
        False, description="Each occurrence is for the emulation year before it"
    )
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _as_the_plan_says(cls, data: Any) -> Any:
        value = data.get("date") if isinstance(data, dict) else None
        if isinstance(value, str | int) and not isinstance(value, bool):
            assert isinstance(data, dict)
            try:
                found = parse_plan_date(value)
            except PydanticCustomError:
                return data  # the field itself says what is wrong, with its line
            data = dict(data)
            data.setdefault("precision", found.precision)
            data["date"] = found.last
            if found.precision != "day":
                data["before"] = False  # "trong năm 2023": by the end of it
        return data

    @model_validator(mode="after")
    def _one_form(self) -> Deadline:
        if self.date is None and self.yearly is None:
            raise PydanticCustomError("deadline_no_date", "give date or yearly (with years)")
        if self.date is not None and self.yearly is not None:
            raise PydanticCustomError("deadline_form", "give either date or yearly, not both")
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
    def exact(self) -> bool:
        """The plan gives the day (not only "trong năm 2023")."""
        return self.deadline.precision == "day"

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
    status: Annotated[Literal["draft", "published", "closed"], _coded("status")] = "published"
    period: Period
    phases: list[Phase] = Field(default_factory=list)
    theme: str | None = None
    purpose: list[str] = Field(default_factory=list)
    requirements: list[str] = Field(default_factory=list)
    participants: Participants
    reform_areas: list[Annotated[ReformArea, _coded("reform_area")]] = Field(default_factory=list)
    content: list[str] = Field(default_factory=list)
    criteria: Criteria = Field(default_factory=Criteria)
    indices: list[Annotated[Index, _coded("index")]] = Field(default_factory=list)
    awards: list[Award] = Field(default_factory=list)
    titles: Titles = Field(default_factory=Titles)
    dossier: Dossier | None = None
    deadlines: list[Deadline] = Field(default_factory=list)
    registration: Window | None = Field(
        None,
        description="One registration window; without it each emulation year has its own",
    )
    registration_until: str | None = Field(
        None,
        description="dd/mm: each emulation year's registration closes that day (default 31/12)",
    )
    submission: Window | None = Field(None, description="Defaults to the campaign period")
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

    @model_validator(mode="before")
    @classmethod
    def _start_from_the_plan(cls, data: Any) -> Any:
        """A plan that runs "from its issue" gives no start: the plan's date, as an estimate."""
        if not isinstance(data, dict):
            return data
        period = data.get("period")
        if period is None or (isinstance(period, dict) and period.get("start") is None):
            plan = data.get("plan")
            issued = plan.get("date") if isinstance(plan, dict) else None
            if issued is None:
                return data  # "missing" is then said of the field itself
            data = {**data, "period": {**(period or {}), "start": issued, "start_assumed": True}}
        return data

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
        end = self.period.end
        latest = _safe_date(end.year + 1, end.month, end.day) if end is not None else date.max
        # A deadline given as a month or a year may be the month or year the campaign starts.
        found = []
        for n, deadline in enumerate(self.deadlines):
            for due in deadline.occurrences():
                earliest = self.period.start
                if deadline.precision == "year":
                    earliest = date(earliest.year, 1, 1)
                elif deadline.precision == "month":
                    earliest = earliest.replace(day=1)
                if not earliest <= due <= latest:
                    where: tuple[str | int, ...] = (
                        ("deadlines", n, "date") if deadline.date else ("deadlines", n, "yearly")
                    )
                    values = {
                        "date": due.strftime("%d/%m/%Y"),
                        "start": self.period.start.strftime("%d/%m/%Y"),
                        "end": end.strftime("%d/%m/%Y") if end else "…",
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
        return range(self.period.start.year, self.period.last_year + 1)

    def emulation_year(self, today: date) -> int:
        """The emulation year a pledge made today belongs to: this year, within the campaign."""
        return min(max(today.year, self.period.start.year), self.period.last_year)

    def registration_window_for(self, year: int) -> Window:
        """When people register for one emulation year: the plan's window if it gives one,
        else from the year's (or the campaign's) start to `registration_until` that year."""
        if self.registration is not None:
            return self.registration
        day, month = parse_day_month(self.registration_until or "31/12")
        start = max(date(year, 1, 1), self.period.start)
        end = _safe_date(year, month, day)
        if self.period.end is not None:
            end = min(end, self.period.end)
        return Window(start=start, end=max(start, end))

    def registration_window_on(self, today: date) -> Window:
        """The window of the emulation year `today` falls in."""
        return self.registration_window_for(self.emulation_year(today))

    @property
    def submission_window(self) -> Window | Period:
        return self.submission or self.period

    def state_on(self, today: date) -> Literal["upcoming", "running", "collecting", "ended"]:
        """Running within its period; after it, still collecting dossiers while a dossier
        deadline is ahead ("đang nhận hồ sơ"), then ended."""
        if self.status == "closed":
            return "ended"
        if today < self.period.start:
            return "upcoming"
        end = self.period.end
        if end is None or today <= end:
            return "running"
        dossiers = [o for o in self.occurrences() if o.deadline.kind == "dossier"]
        if any(o.due > end and o.days_left(today) >= 0 for o in dossiers):
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
