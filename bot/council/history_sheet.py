"""The award history as an Excel sheet, as secretariats keep it: one row per title or award a
person or unit received, with the decision's number and date. Mistakes are named by row, and
nothing of a sheet with mistakes is loaded (as the staff list does)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.domain.dates import format_vn_date, parse_vn_date
from bot.i18n import Messages
from bot.numbers import whole_number
from bot.services.containers import SheetRows
from bot.services.safe_files import text_cell
from bot.textmatch import fold
from storage.council import Award

COLUMNS = ("name", "kind", "unit", "year", "title", "granted_by", "number", "date")
ROWS_LIMIT = 20_000
TEXT_LIMIT = 200


@dataclass
class HistoryRead:
    awards: list[Award] = field(default_factory=list)
    problems: list[tuple[int, str, dict[str, object]]] = field(default_factory=list)


def write_history(awards: list[Award], t: Messages, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(t.plain("history.sheet"))
    for column, width in zip("ABCDEFGH", (28, 12, 36, 8, 30, 24, 18, 14), strict=True):
        sheet.column_dimensions[column].width = width
    headers = []
    for c in COLUMNS:
        cell = WriteOnlyCell(sheet, value=t.plain(f"history.h_{c}"))
        cell.font = Font(bold=True)
        headers.append(cell)
    sheet.append(headers)
    for a in awards:
        kind = t.plain(f"history.kind_{a.kind}")
        sheet.append(
            [
                text_cell(sheet, v)
                for v in (
                    a.full_name,
                    kind,
                    a.unit_name,
                    a.year,
                    a.title,
                    a.granted_by,
                    a.decision_number,
                    a.decision_date,
                )
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def read_history(sheet: SheetRows, t: Messages) -> HistoryRead:
    """Rows by the header's words (any order); a row without a name is skipped. The sheet is
    read as every sent sheet is (bot/services/files.sheet_of: bounded, values only, clean)."""
    read = HistoryRead()
    headers = {fold(t.plain(f"history.h_{c}")): c for c in COLUMNS}
    collective = {fold(p) for p in t.phrases("history.collective_words")}
    where: dict[str, int] = {}
    for number, row in enumerate(sheet.rows, 1):
        values: list[object] = list(row)
        if not where:
            where = {headers[fold(v)]: i for i, v in enumerate(row) if fold(v) in headers}
            if number > 10 and not where:
                break
            continue
        if number > ROWS_LIMIT:
            read.problems.append((number, "history.too_many", {"limit": ROWS_LIMIT}))
            break

        def cell(key: str, values: list[object] = values, where: dict[str, int] = where) -> object:
            index = where.get(key)
            return values[index] if index is not None and index < len(values) else None

        def text(key: str) -> str:
            value = cell(key)
            return "" if value is None else " ".join(str(value).split())[:TEXT_LIMIT]

        name = text("name")
        if not name:
            continue
        year_value = cell("year")
        year = _year(year_value)
        title = text("title")
        if not any(ch.isalpha() for ch in name):
            read.problems.append((number, "history.bad_name", {}))
        elif year is None:
            read.problems.append((number, "history.bad_year", {"value": text("year") or "—"}))
        elif not title:
            read.problems.append((number, "history.no_title", {}))
        else:
            signed = _day(cell("date"))
            if signed is None:
                read.problems.append((number, "history.bad_date", {"value": text("date")}))
                continue
            kind = "collective" if fold(text("kind")) in collective else "individual"
            read.awards.append(
                Award(
                    kind,
                    name,
                    text("unit"),
                    year,
                    title,
                    text("granted_by"),
                    text("number"),
                    signed,
                )
            )
    if not where:
        read.problems.append((1, "history.no_header", {}))
    return read


def _year(value: object) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if value is not None else ""
    return whole_number(text, low=1945, high=2100)


def _day(value: object) -> str | None:
    """The decision's date as dd/mm/yyyy; "" when the sheet leaves it out; None when wrong."""
    if value is None or str(value).strip() == "":
        return ""
    try:
        day = value.date() if hasattr(value, "date") else parse_vn_date(str(value).strip())
        return format_vn_date(day)
    except (ValueError, TypeError):
        return None
