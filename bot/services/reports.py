"""What the secretariat sends upward: an Excel workbook (or CSV) per campaign, and the figures
and chart of who has registered."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

from bot.clock import Clock
from bot.domain.campaign import Campaign
from bot.domain.dates import parse_vn_date
from bot.i18n import Messages
from bot.services.audit_words import (
    action_words,
    change_words,
    channel_words,
    entity_words,
    subject_words,
)
from bot.services.safe_files import chart_text, csv_value, file_text, sheet_value
from storage.reports import ExportReader, ReportQueries
from storage.units import UnitRepository

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
MAX_WIDTH = 60
WIDTH_SAMPLE = 500  # rows a column's width is judged on


# Each sheet's columns; titles and headers come from the locales (export.*).
COLUMNS = {
    "individual": (
        "ref",
        "year",
        "name",
        "position",
        "unit",
        "title",
        "commitments",
        "own",
        "status",
        "comment",
        "award",
        "registered_on",
    ),
    "collective": (
        "ref",
        "year",
        "unit",
        "registered_by",
        "title",
        "commitments",
        "own",
        "status",
        "comment",
        "award",
        "registered_on",
    ),
    "initiatives": (
        "ref",
        "initiative",
        "area",
        "authors",
        "applied_on",
        "status",
        "comment",
        "files",
        "submitted_on",
    ),
    "not_registered": ("name", "position", "unit", "on_bot"),
    "audit": ("at", "actor", "channel", "entity", "ref", "action", "old", "new"),
}


@dataclass
class Sheet:
    key: str
    title: str
    headers: list[str]
    rows: Iterable[list[Any]] = field(default_factory=list)


def _sheet(t: Messages, key: str, rows: Iterable[list[Any]]) -> Sheet:
    headers = [t.plain(f"export.h_{c}") for c in COLUMNS[key]]
    return Sheet(key, t.plain(f"export.sheet_{key}"), headers, rows)


@dataclass(frozen=True)
class UnitFigures:
    unit: str
    members: int  # who should register: people who joined, and staff-list lines not joined yet
    registered: int
    collective: bool
    listed: int = 0  # of the members, staff-list lines nobody has joined the bot as


@dataclass
class CampaignFigures:
    units: list[UnitFigures]
    initiatives_by_status: Counter[str]
    initiatives_by_area: Counter[str]
    # The first of them, by unit and name: (name, unit, whether they have joined the bot).
    not_registered: list[tuple[str, str, bool]]

    @property
    def not_registered_count(self) -> int:
        return self.members - self.registered

    @property
    def not_on_bot(self) -> int:
        """Not registered because not on the bot yet: on a staff list, never joined."""
        return sum(u.listed for u in self.units)

    @property
    def members(self) -> int:
        return sum(u.members for u in self.units)

    @property
    def registered(self) -> int:
        return sum(u.registered for u in self.units)


class Reports:
    def __init__(self, queries: ReportQueries, units: UnitRepository, clock: Clock) -> None:
        self.queries = queries
        self.units = units
        self.clock = clock

    def _local(self, stamp: str) -> datetime:
        return self.clock.local(stamp)

    async def _scope(self, campaign: Campaign) -> list[int]:
        return [u.id for u in await self.units.subtree(campaign.participants.units)]

    async def export(
        self, campaign: Campaign, t: Messages, year: int | None, path: Path
    ) -> dict[str, int]:
        """The campaign's workbook (`.xlsx`) or CSV files (`.csv`: one per sheet), of one
        emulation year's pledges or all; the rows counted by sheet. Read, shaped and written
        in a process of its own (bot/services/export_worker.py), row by row from the database's
        cursor: a campaign of 100,000 pledges is never held in memory, and nobody's answer
        waits for it."""
        from bot.services.export_worker import run_elsewhere

        scope = await self._scope(campaign)
        counts: dict[str, int] = await run_elsewhere(
            "export", self.queries.db.path, self.clock, campaign, t, year, scope, path
        )
        return counts

    @staticmethod
    def write_workbook(sheets: list[Sheet], path: Path) -> dict[str, int]:
        """Headers bold and frozen, filters on, dates as dates, widths that fit. Written in
        openpyxl's write-only mode, row by row: 100,000 rows do not become 100,000 cell
        objects held in memory."""
        # Imported here: openpyxl (and numpy behind it) costs a fifth of a second at start-up.
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        workbook = Workbook(write_only=True)
        header_fill = PatternFill("solid", fgColor="DDEBF7")
        bold, wrap_top = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        header_align = Alignment(vertical="center", wrap_text=True)
        counts: dict[str, int] = {}
        for sheet in sheets:
            ws = workbook.create_sheet(sheet.title[:31])
            rows = iter(sheet.rows)
            # Widths that fit, judged on the first rows: the rest stream past unseen.
            first = list(islice(rows, WIDTH_SAMPLE))
            widths = [len(h) for h in sheet.headers]
            for row in first:
                for index, value in enumerate(row):
                    widths[index] = max(widths[index], _width(value))
            for n, width in enumerate(widths, 1):
                ws.column_dimensions[get_column_letter(n)].width = min(width + 2, MAX_WIDTH)
            ws.freeze_panes = "A2"
            headers = []
            for title in sheet.headers:
                cell = WriteOnlyCell(ws, value=file_text(title))
                cell.font, cell.fill, cell.alignment = bold, header_fill, header_align
                headers.append(cell)
            ws.append(headers)
            count = 0
            for row in chain(first, rows):
                ws.append([_cell(ws, value, wrap_top, WriteOnlyCell) for value in row])
                count += 1
            ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.headers))}{count + 1}"
            counts[sheet.key] = count
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(path)
        return counts

    @staticmethod
    def write_csv(sheets: list[Sheet], base: Path) -> dict[str, int]:
        """One CSV per sheet (UTF-8 with BOM so Excel shows Vietnamese right), dates dd/mm/yyyy;
        the rows counted by sheet."""
        counts: dict[str, int] = {}
        base.parent.mkdir(parents=True, exist_ok=True)
        for sheet in sheets:
            path = Reports.csv_path(base, sheet.key)
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow([csv_value(h) for h in sheet.headers])
                counts[sheet.key] = 0
                for row in sheet.rows:
                    counts[sheet.key] += 1
                    writer.writerow([csv_value(v) for v in row])
        return counts

    @staticmethod
    def csv_path(base: Path, key: str) -> Path:
        return base.with_name(f"{base.stem}-{key}.csv")

    async def figures(
        self, campaign: Campaign, year: int, names_shown: int = 30
    ) -> CampaignFigures:
        """One emulation year: who registered for it, which units pledged for it; counted by
        SQL aggregates on the reports' own connection."""
        units = await self.units.subtree(campaign.participants.units)
        counts, collective_units, missing = await self.queries.unit_figures(
            campaign.id, year, [u.id for u in units], names_shown
        )
        by_id = {u.id: u for u in units}
        repeated = {n for n, c in Counter(u.name for u in units).items() if c > 1}

        def label(unit_id: int) -> str:
            # Two "Văn phòng Sở" of different agencies must not read as one.
            unit = by_id[unit_id]
            parent = by_id.get(unit.parent_id) if unit.parent_id else None
            return f"{unit.name} – {parent.name}" if unit.name in repeated and parent else unit.name

        figures = [
            UnitFigures(label(u.id), members, registered, u.id in collective_units, listed)
            for u in units
            if u.id in counts or u.id in collective_units
            for members, registered, listed in [counts.get(u.id, (0, 0, 0))]
        ]
        by_status: Counter[str] = Counter()
        by_area: Counter[str] = Counter()
        for row in await self.queries.initiative_counts(campaign.id):
            by_status[row["status"]] += row["n"]
            by_area[row["reform_area"]] += row["n"]
        return CampaignFigures(figures, by_status, by_area, missing)

    @staticmethod
    def chart(figures: CampaignFigures, title: str, labels: tuple[str, str], path: Path) -> Path:
        """Registered against members per unit, as bars a phone shows well."""
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot
        from matplotlib.ticker import MaxNLocator

        units = sorted(figures.units, key=lambda u: u.members)[-15:]
        names = [chart_text(u.unit if len(u.unit) <= 40 else u.unit[:39] + "…") for u in units]
        rows = list(range(len(units)))  # positions, so equal names never share a bar
        height = 2.0 + 0.45 * max(len(units), 1)
        figure, axes = pyplot.subplots(figsize=(8, height), dpi=150)
        axes.barh(rows, [u.members for u in units], color="#cfd8e3", label=chart_text(labels[0]))
        axes.barh(rows, [u.registered for u in units], color="#1f6fb2", label=chart_text(labels[1]))
        axes.set_yticks(rows, names)
        for n, unit in enumerate(units):
            axes.text(
                unit.members, n, f" {unit.registered}/{unit.members}", va="center", fontsize=9
            )
        figure.suptitle(chart_text(title if len(title) <= 70 else title[:69] + "…"), fontsize=11)
        axes.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=8, frameon=False
        )
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, format="png")
        pyplot.close(figure)
        return path


def write_export(
    db_path: Path,
    clock: Clock,
    campaign: Campaign,
    t: Messages,
    year: int | None,
    scope: list[int],
    path: Path,
) -> dict[str, int]:
    """In the worker process: read, shape and write, row by row from the cursor."""
    reader = ExportReader(db_path)
    try:
        sheets = _sheets(reader, clock, campaign, t, year, scope)
        if path.suffix.lower() == ".csv":
            return Reports.write_csv(sheets, path)
        return Reports.write_workbook(sheets, path)
    finally:
        reader.close()


def _sheets(
    reader: ExportReader,
    clock: Clock,
    campaign: Campaign,
    t: Messages,
    year: int | None,
    scope: list[int],
) -> list[Sheet]:
    def award(index: int | None) -> str:
        if index is None or index >= len(campaign.awards):
            return ""
        return f"{campaign.awards[index].form} ({campaign.awards[index].granted_by})"

    def lines(raw: str) -> str:
        return "\n".join(json.loads(raw))

    def pledges(kind: str, key: str) -> Iterator[list[Any]]:
        for p in reader.pledges(campaign.id, year):
            if p["kind"] != kind:
                continue
            values = {
                "ref": p["ref"],
                "year": p["year"],
                "name": p["full_name"],
                "registered_by": p["full_name"],
                "position": p["position"],
                "unit": p["unit_name"],
                "title": p["title"],
                "commitments": lines(p["commitments"]),
                "own": lines(p["own_commitments"]),
                "status": t.plain(f"status.pledge.{p['status']}"),
                "comment": p["comment"] or "",
                "award": award(p["award_index"]),
                "registered_on": clock.local(p["created_at"]).date(),
            }
            yield [values[c] for c in COLUMNS[key]]

    def initiatives() -> Iterator[list[Any]]:
        for i, authors in reader.initiatives(campaign.id):
            yield [
                i["ref"],
                i["title"],
                t.plain(f"reform_area.{i['reform_area']}"),
                "\n".join(f"{a['full_name']} – {a['unit_name']} – {a['share']}%"
                          for a in authors),
                parse_vn_date(i["applied_on"]),
                t.plain(f"status.initiative.{i['status']}"),
                i["review_comment"] or "",
                i["files"],
                clock.local(i["created_at"]).date(),
            ]  # fmt: skip

    def not_registered() -> Iterator[list[Any]]:
        for m in reader.not_registered(campaign.id, year, scope):
            on_bot = t("export.on_bot_yes") if m["joined"] else t("export.on_bot_no")
            yield [m["full_name"], m["position"], m["unit_name"], str(on_bot)]

    names = {"campaign": {campaign.id: campaign.short_title}}

    def audit() -> Iterator[list[Any]]:
        for a in reader.audit(campaign.id):
            yield [
                clock.local(a["at"]),
                a["actor"] or "",
                channel_words(t, a["channel"]),
                entity_words(t, a["entity"]),
                subject_words(a["entity"], a["entity_id"], names),
                action_words(t, a["entity"], a["action"]),
                change_words(t, a["entity"], a["old"], names),
                change_words(t, a["entity"], a["new"], names),
            ]

    return [
        _sheet(t, "individual", pledges("individual", "individual")),
        _sheet(t, "collective", pledges("collective", "collective")),
        _sheet(t, "initiatives", initiatives()),
        _sheet(t, "not_registered", not_registered()),
        _sheet(t, "audit", audit()),
    ]


def _width(value: object) -> int:
    if isinstance(value, date):
        return 12
    return max((len(line) for line in str(value or "").split("\n")), default=0)


def _cell(ws: Any, value: object, wrap: Any, cell_type: Any) -> object:
    """A plain value where nothing needs saying; a styled cell for dates and long text; text
    always as text (safe_files.sheet_value), whatever was stored."""
    if isinstance(value, date):
        cell = cell_type(ws, value=value)
        cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
        return cell
    if isinstance(value, str) and ("\n" in value or len(value) > MAX_WIDTH):
        return sheet_value(ws, value, lambda cell: setattr(cell, "alignment", wrap))
    return sheet_value(ws, value)
