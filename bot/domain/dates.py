"""Dates as Vietnamese documents write them (dd/mm/yyyy)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

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
