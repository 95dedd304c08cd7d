"""Award proposals counted against quotas, and the yearly lists closed for the Council."""

from __future__ import annotations

from dataclasses import dataclass

from storage.database import Database


@dataclass(frozen=True)
class Proposal:
    award_index: int
    suggested: bool  # by a unit head, waiting for the secretariat; not in the quota yet


class AwardProposals:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def of_pledge(self, pledge_id: int) -> Proposal | None:
        row = await self.db.fetch_one(
            "SELECT award_index, suggested FROM award_proposals WHERE pledge_id = ?", (pledge_id,)
        )
        return Proposal(int(row[0]), bool(row[1])) if row is not None else None

    @staticmethod
    def _counted(per_unit: bool) -> str:
        unit = " AND unit_id = ?" if per_unit else ""
        return (
            "SELECT count(*) FROM award_proposals WHERE campaign_id = ? AND award_index = ? "
            f"AND period = ? AND suggested = 0{unit}"
        )

    async def count(
        self, campaign_id: str, award_index: int, period: str, unit_id: int | None
    ) -> int:
        params = (campaign_id, award_index, period) + ((unit_id,) if unit_id is not None else ())
        return int(await self.db.fetch_value(self._counted(unit_id is not None), params))

    async def add_within_quota(
        self,
        pledge_id: int,
        campaign_id: str,
        award_index: int,
        period: str,
        unit_id: int,
        proposed_by: int,
        quota: int | None,
        per_unit: bool,
        suggested: bool = False,
    ) -> bool:
        """One conditional statement: added only while the quota has room, so two clerks (or
        two instances) proposing at once cannot pass it. A unit head's suggestion for the
        same pledge and form is taken the same way. False when full or proposed otherwise.
        `suggested`: a unit head's proposal, waiting for the desk and not in the quota yet."""
        counted = (campaign_id, award_index, period) + ((unit_id,) if per_unit else ())
        room = f"(? IS NULL OR ({self._counted(per_unit)}) < ?)"
        if suggested:
            quota = None
        else:
            taken = await self.db.execute(
                f"UPDATE award_proposals SET suggested = 0, proposed_by = ?, created_at = ? "
                f"WHERE pledge_id = ? AND award_index = ? AND suggested = 1 AND {room}",
                (proposed_by, self.db.now(), pledge_id, award_index, quota, *counted, quota),
            )
            if taken.rowcount:
                return True
        written = await self.db.execute(
            "INSERT INTO award_proposals (pledge_id, campaign_id, award_index, period, unit_id, "
            f"proposed_by, created_at, suggested) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE {room} "
            "ON CONFLICT (pledge_id) DO NOTHING",
            (pledge_id, campaign_id, award_index, period, unit_id, proposed_by, self.db.now(),
             int(suggested), quota, *counted, quota),
        )  # fmt: skip
        return written.rowcount == 1

    async def suggested_by(self, pledge_id: int) -> int | None:
        value = await self.db.fetch_value(
            "SELECT proposed_by FROM award_proposals WHERE pledge_id = ? AND suggested = 1",
            (pledge_id,),
        )
        return int(value) if value is not None else None

    async def remove(self, pledge_id: int) -> bool:
        written = await self.db.execute(
            "DELETE FROM award_proposals WHERE pledge_id = ?", (pledge_id,)
        )
        return written.rowcount == 1


@dataclass(frozen=True)
class ClosedList:
    closed_at: str
    closed_by: str


class NominationLists:
    """A campaign year's nominee list: open while proposals are made, closed for the Council."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def closed(self, campaign_id: str, year: int) -> ClosedList | None:
        row = await self.db.fetch_one(
            "SELECT n.closed_at, coalesce(pe.full_name, '') FROM nomination_lists n "
            "LEFT JOIN people pe ON pe.id = n.closed_by WHERE n.campaign_id = ? AND n.year = ?",
            (campaign_id, year),
        )
        return ClosedList(row[0], row[1]) if row is not None else None

    async def close(self, campaign_id: str, year: int, by: int) -> bool:
        written = await self.db.execute(
            "INSERT INTO nomination_lists (campaign_id, year, closed_at, closed_by) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (campaign_id, year, self.db.now(), by),
        )
        return written.rowcount == 1

    async def reopen(self, campaign_id: str, year: int) -> bool:
        written = await self.db.execute(
            "DELETE FROM nomination_lists WHERE campaign_id = ? AND year = ?", (campaign_id, year)
        )
        return written.rowcount == 1
