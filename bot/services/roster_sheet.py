"""The staff list as an Excel sheet: offices keep their lists in Excel, so the secretariat gets
one to fill in (each unit's code and name already there) and sends it back to the bot."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.domain.records import Unit
from bot.i18n import Messages
from bot.services.containers import SheetRows
from bot.services.reports import Reports, Sheet
from bot.textmatch import fold
from storage.roster import Listed, RosterLine

COLUMNS = ("unit_code", "unit", "name", "position", "contact", "on_bot")
NAME_LIMIT = 100


@dataclass
class RosterRead:
    lines: list[Listed] = field(default_factory=list)
    units: set[int] = field(default_factory=set)  # units the sheet lists: it is their whole list
    problems: list[tuple[int, str, dict[str, object]]] = field(default_factory=list)  # row, key


def write_roster(units: list[Unit], lines: list[RosterLine], t: Messages, path: Path) -> Path:
    """Every unit's lines; a unit with none gets one empty row to fill in. Written as every
    workbook is (Reports.write_workbook): whatever a line holds is text, never a formula."""
    by_unit: dict[int, list[RosterLine]] = {}
    for line in lines:
        by_unit.setdefault(line.unit_id, []).append(line)
    rows: list[list[str]] = []
    for unit in units:
        for line in by_unit.get(unit.id, []):
            on_bot = t.plain("export.on_bot_yes" if line.person_id else "export.on_bot_no")
            rows.append([unit.code, unit.name, line.full_name, line.position, line.contact,
                         on_bot])  # fmt: skip
        if unit.id not in by_unit:
            rows.append([unit.code, unit.name, "", "", "", ""])
    headers = [t.plain(f"roster.h_{c}") for c in COLUMNS]
    Reports.write_workbook([Sheet("roster", t.plain("roster.sheet"), headers, rows)], path)
    return path


def read_roster(sheet: SheetRows, units: list[Unit], t: Messages) -> RosterRead:
    """The filled-in sheet (its rows already read within bounds, values only: see
    containers.read_sheet): a unit by its code (or its exact name), a name, optionally a
    position and a contact. Rows without a name are skipped; the others wrong are reported
    with their row number, and nothing of a sheet with problems is loaded. For each unit it
    lists, the sheet is the whole list: someone deleted from it leaves the unit's list."""
    read = RosterRead()
    headers = {fold(t.plain(f"roster.h_{c}")): c for c in COLUMNS}
    by_code = {u.code: u for u in units}
    by_name = {fold(u.name): u for u in units}
    where: dict[str, int] = {}
    for number, cells in enumerate(sheet.rows, 1):
        if not where:
            where = {headers[fold(c)]: i for i, c in enumerate(cells) if fold(c) in headers}
            if number > 10 and not where:
                break
            continue

        def cell(key: str, cells: list[str] = cells, where: dict[str, int] = where) -> str:
            index = where.get(key)
            return cells[index] if index is not None and index < len(cells) else ""

        name = cell("name")
        unit = by_code.get(cell("unit_code")) or by_name.get(fold(cell("unit")))
        if not name:
            if unit is not None:
                read.units.add(unit.id)
            continue
        if unit is None:
            code = cell("unit_code") or cell("unit")
            read.problems.append((number, "roster.unknown_unit", {"unit": code or "—"}))
        elif len(name) > NAME_LIMIT or not any(ch.isalpha() for ch in name):
            read.problems.append((number, "roster.bad_name", {"limit": NAME_LIMIT}))
        else:
            position, contact = cell("position")[:NAME_LIMIT], cell("contact")[:NAME_LIMIT]
            read.lines.append(Listed(unit.id, name, position, contact))
            read.units.add(unit.id)
    if not where:
        read.problems.append((1, "roster.no_header", {}))
    return read
