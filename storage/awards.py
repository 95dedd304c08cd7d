from __future__ import annotations

from storage.database import Database


class AwardProposals:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def of_pledge(self, pledge_id: int) -> int | None:
        """The award index the pledge is proposed for, if any."""
        value = await self.db.fetch_value(
            "SELECT award_index FROM award_proposals WHERE pledge_id = ?", (pledge_id,)
        )
        return int(value) if value is not None else None

    async def count(
        self, campaign_id: str, award_index: int, period: str, unit_id: int | None
    ) -> int:
        unit_clause = " AND unit_id = ?" if unit_id is not None else ""
        params: tuple[object, ...] = (campaign_id, award_index, period)
        return int(
            await self.db.fetch_value(
                "SELECT count(*) FROM award_proposals WHERE campaign_id = ? AND award_index = ? "
                f"AND period = ?{unit_clause}",
                params + ((unit_id,) if unit_id is not None else ()),
            )
        )

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
    ) -> bool:
        """One conditional statement: added only while the quota has room, so two clerks (or
        two instances) proposing at once cannot pass it. False when full or already proposed."""
        unit_clause = " AND unit_id = ?" if per_unit else ""
        count_params: tuple[object, ...] = (campaign_id, award_index, period) + (
            (unit_id,) if per_unit else ()
        )
        written = await self.db.execute(
            "INSERT INTO award_proposals (pledge_id, campaign_id, award_index, period, unit_id, "
            "proposed_by, created_at) SELECT ?, ?, ?, ?, ?, ?, ? WHERE ? IS NULL OR ("
            "SELECT count(*) FROM award_proposals WHERE campaign_id = ? AND award_index = ? "
            f"AND period = ?{unit_clause}) < ? "
            "ON CONFLICT (pledge_id) DO NOTHING",
            (
                pledge_id,
                campaign_id,
                award_index,
                period,
                unit_id,
                proposed_by,
                self.db.now(),
                quota,
                *count_params,
                quota,
            ),
        )
        return written.rowcount == 1

    async def remove(self, pledge_id: int) -> bool:
        written = await self.db.execute(
            "DELETE FROM award_proposals WHERE pledge_id = ?", (pledge_id,)
        )
        return written.rowcount == 1
