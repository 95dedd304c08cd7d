"""Text as it goes into the files the bot writes: the workbook, the nominee list, the staff list
(.xlsx), CSV, the tờ trình (.docx). Every writer takes its text through here, so that:

- a value is plain text (a catalog message's text, never its HTML: no `&amp;` in a paper);
- whatever was stored, even before text was cleaned where it enters, is written cleaned (a
  `\\x01` would make the XML invalid and the whole file fail, every time it is asked for);
- no value from people or files becomes a formula: in a sheet it is always a string cell
  (openpyxl would otherwise take `=HYPERLINK(…)` for a formula and `#N/A` for an error), marked
  as text so that Excel keeps it text when the cell is edited; in CSV, a value starting with
  `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` as OWASP recommends.

New writers use `sheet_value` (xlsx), `csv_value` and `add_text` (docx) the same way."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.cleaning import clean_stored
from bot.i18n import as_plain

# What makes a spreadsheet read a value as a formula (or an error code) when typed or imported.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ERROR_VALUES = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}
CELL_LIMIT = 32_767  # characters Excel keeps in one cell


def file_text(value: str) -> str:
    """Plain, clean text for any file."""
    return clean_stored(value if type(value) is str else as_plain(value))


_FIRSTS = frozenset(FORMULA_STARTS) | {"#"}


def _looks_like_formula(text: str) -> bool:
    # A workbook of 100,000 rows asks this of every cell: one set lookup for nearly all.
    return text[:1] in _FIRSTS and (text[:1] != "#" or text in ERROR_VALUES)


def sheet_value(ws: Any, value: object, style: Any = None) -> object:
    """A value for a row of an openpyxl sheet (`ws.append`). Text is cleaned and, where a
    spreadsheet could take it for a formula or an error, written as a string cell marked as
    text; everything else (numbers, dates) is passed on. `style`, if given, is called with the
    cell made for the text (to wrap long lines, say)."""
    if not isinstance(value, str):
        return value
    text = file_text(value)
    if len(text) > CELL_LIMIT:
        text = text[: CELL_LIMIT - 1] + "…"
    risky = _looks_like_formula(text)
    if not risky and style is None:
        return text
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=text)
    if risky:
        cell.data_type = "s"  # openpyxl made it "f" (or "e"): the text as written, never run
        cell.quotePrefix = True
    if style is not None:
        style(cell)
    return cell


def text_cell(ws: Any, value: object) -> Any:
    """A write-only cell for a sheet that styles its cells (the Council's papers): text as in
    `sheet_value`, always a cell; a number stays a number, nothing stays nothing."""
    from openpyxl.cell import WriteOnlyCell

    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return WriteOnlyCell(ws, value=value)
    return sheet_value(ws, str(value), lambda cell: None)


def csv_value(value: object) -> object:
    """A value for a CSV row: dates as dd/mm/yyyy, text cleaned and neutralised (OWASP: a
    leading `'` so that no spreadsheet opening the file runs it)."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y %H:%M" if hasattr(value, "hour") else "%d/%m/%Y")
    if not isinstance(value, str):
        return value
    text = file_text(value)
    return f"'{text}" if _looks_like_formula(text) else text


def chart_text(value: str) -> str:
    """Text for a chart (matplotlib would read `$…$` in a unit's name as mathematics)."""
    return file_text(value).replace("$", r"\$")


def add_text(paragraph: Any, text: str, **font: Any) -> Any:
    """A run of plain, clean text in a python-docx paragraph (python-docx refuses characters
    XML cannot carry, and would show a message's HTML as it is). `font`: bold=True, …"""
    run = paragraph.add_run(file_text(text))
    for name, setting in font.items():
        setattr(run, name, setting)
    return run
