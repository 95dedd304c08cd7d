from __future__ import annotations

import json

from bot.domain.records import Pledge, PledgeKind, PledgeStatus
from storage.database import Database, Row

_COLUMNS = (
    "id, ref, campaign_id, kind, person_id, unit_id, title, commitments, own_commitments, "
    "status, comment, year, filed_name, filed_position, filed_unit, updated_at"
)


def _pledge(row: Row) -> Pledge:
    return Pledge(
        row["id"],
        row["ref"],
        row["campaign_id"],
        row["kind"],
        row["person_id"],
        row["unit_id"],
        row["title"],
        json.loads(row["commitments"]),
        json.loads(row["own_commitments"]),
        row["status"],
        row["comment"],
        row["year"],
        row["filed_name"],
        row["filed_position"],
        row["filed_unit"],
        row["updated_at"],
    )


class PledgeRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _one(self, where: str, params: tuple[object, ...]) -> Pledge | None:
        row = await self.db.fetch_one(f"SELECT {_COLUMNS} FROM pledges WHERE {where}", params)
        return _pledge(row) if row else None

    async def _many(self, where: str, params: tuple[object, ...]) -> list[Pledge]:
        rows = await self.db.fetch_all(
            f"SELECT {_COLUMNS} FROM pledges WHERE {where} ORDER BY id", params
        )
        return [_pledge(row) for row in rows]

    async def by_id(self, pledge_id: int) -> Pledge | None:
        return await self._one("id = ?", (pledge_id,))

    async def by_ref(self, ref: str) -> Pledge | None:
        return await self._one("ref = ?", (ref,))

    async def active(
        self,
        campaign_id: str,
        year: int,
        kind: PledgeKind,
        title: str,
        person_id: int,
        unit_id: int,
    ) -> Pledge | None:
        """The live (not withdrawn) pledge for this person or unit, campaign, year and title."""
        owner = "person_id = ?" if kind == "individual" else "unit_id = ?"
        return await self._one(
            f"campaign_id = ? AND year = ? AND kind = ? AND title = ? AND {owner} "
            "AND status != 'withdrawn'",
            (campaign_id, year, kind, title, person_id if kind == "individual" else unit_id),
        )

    async def last_of(
        self, campaign_id: str, kind: PledgeKind, person_id: int, unit_id: int, before: int
    ) -> Pledge | None:
        """The person's (or unit's) latest pledge for the campaign in a year before `before`:
        what a new year's pledge can start from."""
        owner = "person_id = ?" if kind == "individual" else "unit_id = ?"
        rows = await self._many(
            f"campaign_id = ? AND kind = ? AND {owner} AND year < ? AND status != 'withdrawn'",
            (campaign_id, kind, person_id if kind == "individual" else unit_id, before),
        )
        return max(rows, key=lambda p: (p.year, p.id)) if rows else None

    async def of_person(self, person_id: int) -> list[Pledge]:
        return await self._many("person_id = ? AND status != 'withdrawn'", (person_id,))

    async def of_unit(self, unit_id: int) -> list[Pledge]:
        return await self._many("unit_id = ? AND status != 'withdrawn'", (unit_id,))

    async def insert(
        self,
        ref: str,
        campaign_id: str,
        kind: PledgeKind,
        person_id: int,
        unit_id: int,
        title: str,
        commitments: list[str],
        own: list[str],
        year: int,
        filed_as: tuple[str, str, str] = ("", "", ""),
    ) -> int:
        """`filed_as`: the name, position and unit name it is filed under, kept as they were."""
        now = self.db.now()
        written = await self.db.execute(
            "INSERT INTO pledges (ref, campaign_id, year, filed_name, filed_position, filed_unit, "
            "kind, person_id, unit_id, title, commitments, own_commitments, status, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?)",
            (
                ref,
                campaign_id,
                year,
                *filed_as,
                kind,
                person_id,
                unit_id,
                title,
                json.dumps(commitments, ensure_ascii=False),
                json.dumps(own, ensure_ascii=False),
                now,
                now,
            ),
        )
        assert written.lastrowid is not None
        return written.lastrowid

    async def update_content(
        self,
        pledge_id: int,
        title: str,
        commitments: list[str],
        own: list[str],
    ) -> None:
        await self.db.execute(
            "UPDATE pledges SET title = ?, commitments = ?, own_commitments = ?, "
            "status = 'submitted', comment = NULL, updated_at = ? WHERE id = ?",
            (
                title,
                json.dumps(commitments, ensure_ascii=False),
                json.dumps(own, ensure_ascii=False),
                self.db.now(),
                pledge_id,
            ),
        )

    async def set_status(
        self,
        pledge_id: int,
        expected: PledgeStatus,
        status: PledgeStatus,
        comment: str | None = None,
    ) -> bool:
        """Move from `expected` to `status`; False when someone changed it first."""
        written = await self.db.execute(
            "UPDATE pledges SET status = ?, comment = ?, updated_at = ? "
            "WHERE id = ? AND status = ?",
            (status, comment, self.db.now(), pledge_id, expected),
        )
        return written.rowcount == 1

    async def with_status(self, statuses: tuple[str, ...]) -> list[Pledge]:
        """Oldest first: the order the secretariat works through them."""
        marks = ",".join("?" * len(statuses))
        return await self._many(f"status IN ({marks})", statuses)

    async def people_of(self, campaign_id: str) -> list[int]:
        """Everyone with a pledge in the campaign, any year, not withdrawn."""
        rows = await self.db.fetch_all(
            "SELECT DISTINCT person_id FROM pledges WHERE campaign_id = ? "
            "AND status != 'withdrawn' ORDER BY person_id",
            (campaign_id,),
        )
        return [int(r[0]) for r in rows]

    async def registered(self, campaign: str, year: int) -> tuple[set[int], set[int]]:
        """Who has an individual pledge for that emulation year; which units a collective."""
        rows = await self.db.fetch_all(
            "SELECT kind, person_id, unit_id FROM pledges WHERE campaign_id = ? AND year = ? "
            "AND status != 'withdrawn'",
            (campaign, year),
        )
        people = {int(r["person_id"]) for r in rows if r["kind"] == "individual"}
        units = {int(r["unit_id"]) for r in rows if r["kind"] == "collective"}
        return people, units
