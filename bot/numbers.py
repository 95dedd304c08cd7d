"""Numbers people type and buttons carry, read as ASCII digits only and checked against their
range before use. `str.isdigit()` says yes to `²`, `①` and `⁷⁰`, which `int()` then refuses,
and a forged id of 40 digits overflows the database's 64-bit integers: both are "not a number"
here, answered like any other text that is not understood."""

from __future__ import annotations

import re

# SQLite's integers are signed 64-bit: an id past this cannot name a row.
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]+")


def whole_number(text: str, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """`text` (spaces around it allowed) as a whole number within [low, high], else None."""
    text = text.strip()
    if len(text) > len(str(high)) or not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def record_id(text: str) -> int | None:
    """A database row's id from an option's data: 1 to MAX_ID, else None."""
    return whole_number(text, low=1)


def index_in(text: str, count: int) -> int | None:
    """A position (0 …) in a list of `count` items, as an option carries it."""
    return whole_number(text, high=count - 1) if count > 0 else None
