"""Cells of people's text in a workbook: always a string, never a formula, never escaped.

Issue 18 brings one shared safe-cell helper for every writer; this is the same contract in
one function, so swapping it for theirs is one import."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(sheet: Any, value: object) -> Any:
    """A write-only cell holding `value` as text (numbers stay numbers): a name starting with
    "=" is shown as typed, not computed."""
    from openpyxl.cell import WriteOnlyCell

    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = str(value)
    cell.data_type = "s"  # openpyxl would take a leading "=" for a formula
    return cell
