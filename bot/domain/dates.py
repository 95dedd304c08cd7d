"""Dates as Vietnamese documents write them (dd/mm/yyyy)."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

_VN_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$", re.ASCII)
_DAY_MONTH = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})\s*$", re.ASCII)


def parse_vn_date(value: Any) -> date:
    """Accept a date, an ISO string or dd/mm/yyyy; refuse anything else."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _VN_DATE.match(value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                if not 1 <= month <= 12:
                    raise PydanticCustomError(
                        "vn_date", "not a date, expected dd/mm/yyyy: '{value}'", {"value": value}
                    ) from None
                # The right form, but a day the month does not have (31/02).
                raise PydanticCustomError(
                    "vn_date_no_such_day",
                    "no such day: '{value}'",
                    {"value": value.strip()},
                ) from None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError(
        "vn_date", "not a date, expected dd/mm/yyyy: '{value}'", {"value": str(value)}
    )


def parse_day_month(value: Any) -> tuple[int, int]:
    """'15/01' -> (15, 1), checked against a leap year so 29/02 is allowed."""
    if isinstance(value, str):
        match = _DAY_MONTH.match(value)
        if match:
            day, month = int(match.group(1)), int(match.group(2))
            try:
                date(2024, month, day)
            except ValueError:
                pass
            else:
                return day, month
    raise PydanticCustomError(
        "day_month", "not a day and month, expected dd/mm: '{value}'", {"value": str(value)}
    )


def format_vn_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


VnDate = Annotated[
    date,
    BeforeValidator(parse_vn_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    # Editors validate files as written: dd/mm/yyyy (or ISO).
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})$",
            "examples": ["30/11/2024"],
        }
    ),
]


def is_no_such_day(problem: ValueError) -> bool:
    """A date in the right form that the calendar does not have (31/02/2026)."""
    return getattr(problem, "type", None) == "vn_date_no_such_day"


# A plan often gives less than a day: "tháng 10/2025", "trong năm 2023", "giai đoạn 2021-2030".
# Such a date is kept with its precision and the plan's words, and said that way; it is never
# turned into a day the plan does not give.
Precision = Literal["day", "month", "year"]
_LEAD = r"^\s*(?:(?:từ|trong|đến|hết|cuối|đầu|năm)\s+)*"
_MONTH = re.compile(
    _LEAD + r"(?:tháng\s+)?(\d{1,2})\s*(?:/|-|\.|\s+năm\s+)\s*(\d{4})\s*$", re.IGNORECASE
)
_YEAR = re.compile(_LEAD + r"(\d{4})\s*$", re.IGNORECASE)
_DIGIT_DATE = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}|\d{4}")


@dataclass(frozen=True)
class PlanDate:
    """A day, a month or a year as a plan gives it: the first and last day it may mean."""

    first: date
    last: date
    precision: Precision

    def said(self) -> str:
        """The date as a person would write it: 05/07/2022, tháng 10/2025, năm 2023."""
        if self.precision == "day":
            return format_vn_date(self.first)
        if self.precision == "month":
            return f"tháng {self.first.month}/{self.first.year}"
        return f"năm {self.first.year}"


def parse_plan_date(value: Any) -> PlanDate:
    """A day (dd/mm/yyyy, ISO), a month (10/2025, tháng 10/2025, tháng 10 năm 2025) or a year
    (2023, năm 2023, trong năm 2023)."""
    if isinstance(value, int) and 1900 <= value <= 2200:
        value = str(value)
    if isinstance(value, str):
        if m := _MONTH.match(value):
            month, year = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12:
                last = date(year, month, monthrange(year, month)[1])
                return PlanDate(date(year, month, 1), last, "month")
        if m := _YEAR.match(value):
            year = int(m.group(1))
            return PlanDate(date(year, 1, 1), date(year, 12, 31), "year")
    day = parse_vn_date(value)
    return PlanDate(day, day, "day")


def looks_like_a_date(text: str) -> bool:
    """Whether words hold something written as a date, so a mistyped one is refused rather than
    kept as words ("31/13/2024" is a mistake; "đến khi Đại hội XIV thành công" is not)."""
    return bool(_DIGIT_DATE.search(text))


# A date field of a campaign file that also takes a month or a year (and, for an end, words):
# the models read the plan's form first; what reaches this is a day.
PlanDay = Annotated[
    date,
    BeforeValidator(parse_vn_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "examples": ["05/07/2022", "tháng 10/2025", "năm 2023", "đến khi Đại hội … thành công"],
        }
    ),
]
