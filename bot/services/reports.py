"""What the secretariat sends upward: an Excel workbook (or CSV) per campaign, and the figures
and chart of who has registered."""

from __future__ import annotations

import asyncio
import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.clock import Clock
from bot.domain.campaign import Campaign
from bot.domain.dates import parse_vn_date
from bot.i18n import Messages
from bot.services.audit_words import action_words, change_words, channel_words, entity_words
from storage.reports import ReportQueries
from storage.units import UnitRepository

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
MAX_WIDTH = 60


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
    rows: list[list[Any]] = field(default_factory=list)


def _sheet(t: Messages, key: str) -> Sheet:
    return Sheet(
        key, str(t(f"export.sheet_{key}")), [str(t(f"export.h_{c}")) for c in COLUMNS[key]]
    )


@dataclass(frozen=True)
class UnitFigures:
    unit: str
    members: int
    registered: int
    collective: bool


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

    async def sheets(self, campaign: Campaign, t: Messages, year: int | None = None) -> list[Sheet]:
        """The rows (of one emulation year's pledges, or all) are read on the export's own
        connection and shaped in a worker thread, so a large campaign does not hold up
        anyone's answer. "Not registered" is for that year."""
        pledges = await self.queries.pledges(campaign.id, year)
        initiatives = await self.queries.initiatives(campaign.id)
        members = await self.queries.members(await self._scope(campaign))
        audit = await self.queries.audit(campaign.id)
        return await asyncio.to_thread(
            self._shape, campaign, t, pledges, initiatives, members, audit
        )

    def _shape(
        self,
        campaign: Campaign,
        t: Messages,
        pledges: list[dict[str, Any]],
        initiatives: list[dict[str, Any]],
        members: list[dict[str, Any]],
        audit_rows: list[dict[str, Any]],
    ) -> list[Sheet]:

        def award(index: int | None) -> str:
            if index is None or index >= len(campaign.awards):
                return ""
            return f"{campaign.awards[index].form} ({campaign.awards[index].granted_by})"

        def lines(raw: str) -> str:
            return "\n".join(json.loads(raw))

        individual = _sheet(t, "individual")
        collective = _sheet(t, "collective")
        for p in pledges:
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
                "status": str(t(f"status.pledge.{p['status']}")),
                "comment": p["comment"] or "",
                "award": award(p["award_index"]),
                "registered_on": self._local(p["created_at"]).date(),
            }
            sheet = individual if p["kind"] == "individual" else collective
            sheet.rows.append([values[c] for c in COLUMNS[sheet.key]])
        ideas = _sheet(t, "initiatives")
        for i in initiatives:
            authors = "\n".join(
                f"{a['full_name']} – {a['unit_name']} – {a['share']}%" for a in i["authors"]
            )
            ideas.rows.append(
                [
                    i["ref"],
                    i["title"],
                    str(t(f"reform_area.{i['reform_area']}")),
                    authors,
                    parse_vn_date(i["applied_on"]),
                    str(t(f"status.initiative.{i['status']}")),
                    i["review_comment"] or "",
                    i["files"],
                    self._local(i["created_at"]).date(),
                ]
            )
        registered = {p["person_id"] for p in pledges if p["kind"] == "individual"}
        missing = _sheet(t, "not_registered")
        missing.rows = [
            [
                m["full_name"],
                m["position"],
                m["unit_name"],
                str(t("export.on_bot_yes" if m["joined"] else "export.on_bot_no")),
            ]
            for m in members
            if m["id"] is None or m["id"] not in registered
        ]
        audit = _sheet(t, "audit")
        audit.rows = [
            [
                self._local(a["at"]),
                a["actor"] or "",
                channel_words(t, a["channel"]),
                entity_words(t, a["entity"]),
                a["entity_id"],
                action_words(t, a["entity"], a["action"]),
                change_words(t, a["entity"], a["old"]),
                change_words(t, a["entity"], a["new"]),
            ]
            for a in audit_rows
        ]
        return [individual, collective, ideas, missing, audit]

    @staticmethod
    def write_workbook(sheets: list[Sheet], path: Path) -> Path:
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
        for sheet in sheets:
            ws = workbook.create_sheet(sheet.title[:31])
            widths = [len(h) for h in sheet.headers]
            for row in sheet.rows:
                for index, value in enumerate(row):
                    widths[index] = max(widths[index], _width(value))
            for n, width in enumerate(widths, 1):
                ws.column_dimensions[get_column_letter(n)].width = min(width + 2, MAX_WIDTH)
            ws.freeze_panes = "A2"
            last = get_column_letter(len(sheet.headers))
            ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
            headers = []
            for title in sheet.headers:
                cell = WriteOnlyCell(ws, value=title)
                cell.font, cell.fill, cell.alignment = bold, header_fill, header_align
                headers.append(cell)
            ws.append(headers)
            for row in sheet.rows:
                ws.append([_cell(ws, value, wrap_top, WriteOnlyCell) for value in row])
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(path)
        return path

    @staticmethod
    def write_csv(sheets: list[Sheet], base: Path) -> list[Path]:
        """One CSV per sheet (UTF-8 with BOM so Excel shows Vietnamese right), dates dd/mm/yyyy."""
        written = []
        base.parent.mkdir(parents=True, exist_ok=True)
        for sheet in sheets:
            path = base.with_name(f"{base.stem}-{sheet.key}.csv")
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(sheet.headers)
                for row in sheet.rows:
                    writer.writerow(
                        [
                            v.strftime("%d/%m/%Y %H:%M")
                            if isinstance(v, datetime)
                            else v.strftime("%d/%m/%Y")
                            if isinstance(v, date)
                            else v
                            for v in row
                        ]
                    )
            written.append(path)
        return written

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
            UnitFigures(
                label(u.id),
                counts.get(u.id, (0, 0))[0],
                counts.get(u.id, (0, 0))[1],
                u.id in collective_units,
            )
            for u in units
            if u.id in counts or u.id in collective_units
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
        names = [u.unit if len(u.unit) <= 40 else u.unit[:39] + "…" for u in units]
        rows = list(range(len(units)))  # positions, so equal names never share a bar
        height = 2.0 + 0.45 * max(len(units), 1)
        figure, axes = pyplot.subplots(figsize=(8, height), dpi=150)
        axes.barh(rows, [u.members for u in units], color="#cfd8e3", label=labels[0])
        axes.barh(rows, [u.registered for u in units], color="#1f6fb2", label=labels[1])
        axes.set_yticks(rows, names)
        for n, unit in enumerate(units):
            axes.text(
                unit.members, n, f" {unit.registered}/{unit.members}", va="center", fontsize=9
            )
        figure.suptitle(title if len(title) <= 70 else title[:69] + "…", fontsize=11)
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


def _width(value: object) -> int:
    if isinstance(value, date):
        return 12
    return max((len(line) for line in str(value or "").split("\n")), default=0)


def _cell(ws: Any, value: object, wrap: Any, cell_type: Any) -> object:
    """A plain value where nothing needs saying; a styled cell for dates and long text."""
    if isinstance(value, datetime):
        cell = cell_type(ws, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = cell_type(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str) and ("\n" in value or len(value) > MAX_WIDTH):
        cell = cell_type(ws, value=value)
        cell.alignment = wrap
        return cell
    return value
