"""Read-only queries for the secretariat's exports and statistics."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storage.database import Database

PLEDGES = """SELECT p.id, p.ref, p.year, p.kind, p.title, p.commitments, p.own_commitments,
                    p.status, p.comment, p.created_at, p.unit_id, p.person_id,
                    p.filed_name AS full_name, p.filed_position AS position,
                    p.filed_unit AS unit_name, ap.award_index
             FROM pledges p
             JOIN units u ON u.id = p.unit_id
             LEFT JOIN award_proposals ap ON ap.pledge_id = p.id
             WHERE p.campaign_id = ? AND p.status != 'withdrawn'
               AND (? IS NULL OR p.year = ?)
             ORDER BY u.position, p.id"""


class ExportReader:
    """The export's own read-only connection, opened and used on the worker thread that writes
    the file: rows come from the cursor one at a time, so 100,000 pledges are never all held in
    memory, and nobody's unit of work waits for them (WAL lets both run)."""

    def __init__(self, path: Path) -> None:
        # As a URI (percent-encoded, so a folder named "Thi đua #2" still opens), read-only.
        self.connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        self.connection.row_factory = sqlite3.Row

    def close(self) -> None:
        self.connection.close()

    def _rows(self, sql: str, params: tuple[Any, ...]) -> Iterator[sqlite3.Row]:
        cursor = self.connection.execute(sql, params)
        try:
            while batch := cursor.fetchmany(500):
                yield from batch
        finally:
            cursor.close()

    def pledges(self, campaign_id: str, year: int | None) -> Iterator[sqlite3.Row]:
        """The campaign's live pledges, of one emulation year when given."""
        return self._rows(PLEDGES, (campaign_id, year, year))

    def initiatives(self, campaign_id: str) -> Iterator[tuple[sqlite3.Row, list[sqlite3.Row]]]:
        """Each initiative with its authors: both read in id order and joined as they come."""
        authors = self._rows(
            """SELECT au.initiative_id, au.full_name, au.unit_name, au.share
               FROM initiative_authors au JOIN initiatives i ON i.id = au.initiative_id
               WHERE i.campaign_id = ? AND i.status != 'withdrawn'
               ORDER BY au.initiative_id, au.position""",
            (campaign_id,),
        )
        author = next(authors, None)
        for row in self._rows(
            """SELECT i.id, i.ref, i.title, i.reform_area, i.applied_on, i.status,
                      i.review_comment, i.created_at,
                      (SELECT count(*) FROM attachments a WHERE a.initiative_id = i.id) AS files
               FROM initiatives i WHERE i.campaign_id = ? AND i.status != 'withdrawn'
               ORDER BY i.id""",
            (campaign_id,),
        ):
            own = []
            while author is not None and author["initiative_id"] <= row["id"]:
                if author["initiative_id"] == row["id"]:
                    own.append(author)
                author = next(authors, None)
            yield row, own

    def not_registered(
        self, campaign_id: str, year: int | None, unit_ids: list[int]
    ) -> Iterator[sqlite3.Row]:
        """Who should register and has not (for that year): people who joined, and staff-list
        lines nobody has joined as."""
        if not unit_ids:
            return iter(())
        marks = ",".join("?" * len(unit_ids))
        return self._rows(
            f"""SELECT full_name, position, unit_name, joined FROM (
                    SELECT pe.full_name, pe.position, u.name AS unit_name, u.position AS up,
                           1 AS joined
                    FROM people pe JOIN units u ON u.id = pe.unit_id
                    WHERE pe.unit_id IN ({marks}) AND pe.full_name IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM pledges p WHERE p.person_id = pe.id
                          AND p.campaign_id = ? AND p.kind = 'individual'
                          AND p.status != 'withdrawn' AND (? IS NULL OR p.year = ?))
                    UNION ALL
                    SELECT r.full_name, r.position, u.name, u.position, 0
                    FROM roster r JOIN units u ON u.id = r.unit_id
                    WHERE r.unit_id IN ({marks}) AND r.person_id IS NULL)
                ORDER BY up, full_name""",
            (*unit_ids, campaign_id, year, year, *unit_ids),
        )

    def audit(self, campaign_id: str) -> Iterator[sqlite3.Row]:
        """The campaign's own events and those of its pledges and initiatives."""
        return self._rows(
            """SELECT a.at, pe.full_name AS actor, a.channel, a.entity, a.entity_id, a.action,
                      a.old, a.new
               FROM audit_log a LEFT JOIN people pe ON pe.id = a.actor_id
               WHERE a.entity_id = ?
                  OR (a.entity = 'pledge' AND a.entity_id IN
                      (SELECT ref FROM pledges WHERE campaign_id = ?))
                  OR (a.entity = 'initiative' AND a.entity_id IN
                      (SELECT ref FROM initiatives WHERE campaign_id = ?))
               ORDER BY a.id""",
            (campaign_id, campaign_id, campaign_id),
        )


class ReportQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _rows(self, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        return [dict(row) for row in await self.db.snapshot(sql, params)]

    async def pledges(self, campaign_id: str, year: int | None = None) -> list[dict[str, Any]]:
        """The campaign's live pledges, of one emulation year when given."""
        return await self._rows(PLEDGES, (campaign_id, year, year))

    async def unit_figures(
        self, campaign_id: str, year: int, unit_ids: list[int], names_shown: int
    ) -> tuple[dict[int, tuple[int, int, int]], set[int], list[tuple[str, str, bool]]]:
        """Counted by the database, not in Python: per unit (members, registered for the
        year, staff-list lines nobody has joined as), the units with a collective pledge, and
        the first names not registered."""
        if not unit_ids:
            return {}, set(), []
        marks = ",".join("?" * len(unit_ids))
        pledged = (
            "SELECT 1 FROM pledges p WHERE p.person_id = pe.id AND p.campaign_id = ? "
            "AND p.year = ? AND p.kind = 'individual' AND p.status != 'withdrawn'"
        )
        # People who joined, and roster lines nobody has joined as yet: both should register.
        counts = await self._rows(
            f"""SELECT unit_id, count(*) AS members, sum(registered) AS registered,
                       sum(listed) AS listed FROM (
                    SELECT pe.unit_id, CASE WHEN EXISTS ({pledged}) THEN 1 ELSE 0 END
                           AS registered, 0 AS listed
                    FROM people pe WHERE pe.unit_id IN ({marks}) AND pe.full_name IS NOT NULL
                    UNION ALL
                    SELECT r.unit_id, 0, 1 FROM roster r
                    WHERE r.unit_id IN ({marks}) AND r.person_id IS NULL)
                GROUP BY unit_id""",
            (campaign_id, year, *unit_ids, *unit_ids),
        )
        collective = await self._rows(
            "SELECT DISTINCT unit_id FROM pledges WHERE campaign_id = ? AND year = ? "
            "AND kind = 'collective' AND status != 'withdrawn'",
            (campaign_id, year),
        )
        missing = await self._rows(
            f"""SELECT name, unit_name, joined FROM (
                    SELECT pe.full_name AS name, u.name AS unit_name, u.position AS up,
                           1 AS joined
                    FROM people pe JOIN units u ON u.id = pe.unit_id
                    WHERE pe.unit_id IN ({marks}) AND pe.full_name IS NOT NULL
                      AND NOT EXISTS ({pledged})
                    UNION ALL
                    SELECT r.full_name, u.name, u.position, 0
                    FROM roster r JOIN units u ON u.id = r.unit_id
                    WHERE r.unit_id IN ({marks}) AND r.person_id IS NULL)
                ORDER BY up, name LIMIT ?""",
            (*unit_ids, campaign_id, year, *unit_ids, names_shown),
        )
        return (
            {
                r["unit_id"]: (int(r["members"]), int(r["registered"]), int(r["listed"]))
                for r in counts
            },
            {int(r["unit_id"]) for r in collective},
            [(r["name"], r["unit_name"], bool(r["joined"])) for r in missing],
        )

    async def initiative_counts(self, campaign_id: str) -> list[dict[str, Any]]:
        return await self._rows(
            "SELECT status, reform_area, count(*) AS n FROM initiatives "
            "WHERE campaign_id = ? AND status != 'withdrawn' GROUP BY status, reform_area",
            (campaign_id,),
        )

    async def nominable_years(self, campaign_id: str) -> dict[int, int]:
        """Emulation years with accepted or achieved pledges, and how many each."""
        rows = await self._rows(
            "SELECT year, count(*) AS n FROM pledges WHERE campaign_id = ? "
            "AND status IN ('accepted', 'achieved') GROUP BY year ORDER BY year",
            (campaign_id,),
        )
        return {int(r["year"]): int(r["n"]) for r in rows}

    async def nominations(self, campaign_id: str, year: int) -> list[dict[str, Any]]:
        """The pledges of one emulation year proposed for an award, by award and unit; a unit
        head's suggestion (not in the quota yet) marked `suggested`."""
        return await self._rows(
            """SELECT ap.award_index, ap.suggested, p.id AS pledge_id, p.unit_id, p.ref, p.kind,
                      p.title, p.commitments, p.own_commitments, p.filed_name,
                      p.filed_position, p.filed_unit, p.status
               FROM award_proposals ap JOIN pledges p ON p.id = ap.pledge_id
               JOIN units u ON u.id = p.unit_id
               WHERE ap.campaign_id = ? AND p.year = ? AND p.status != 'withdrawn'
               ORDER BY ap.award_index, u.position, p.filed_name, p.id""",
            (campaign_id, year),
        )
