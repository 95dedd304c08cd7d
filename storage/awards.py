from __future__ import annotations

import aiosqlite

from storage.database import Database, utc_now


class AwardProposals:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def of_pledge(self, pledge_id: int) -> int | None:
        """The award index the pledge is proposed for, if any."""
        async with self.db.conn.execute(
            "SELECT award_index FROM award_proposals WHERE pledge_id = ?", (pledge_id,)
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else None

    async def count(
        self,
        conn: aiosqlite.Connection,
        campaign_id: str,
        award_index: int,
        period: str,
        unit_id: int | None,
    ) -> int:
        unit_clause = " AND unit_id = ?" if unit_id is not None else ""
        params: tuple[object, ...] = (campaign_id, award_index, period)
        cursor = await conn.execute(
            "SELECT count(*) FROM award_proposals WHERE campaign_id = ? AND award_index = ? "
            f"AND period = ?{unit_clause}",
            params + ((unit_id,) if unit_id is not None else ()),
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def add(
        self,
        conn: aiosqlite.Connection,
        pledge_id: int,
        campaign_id: str,
        award_index: int,
        period: str,
        unit_id: int,
        proposed_by: int,
    ) -> None:
        await conn.execute(
            "INSERT INTO award_proposals (pledge_id, campaign_id, award_index, period, unit_id, "
            "proposed_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (pledge_id, campaign_id, award_index, period, unit_id, proposed_by, utc_now()),
        )

    async def remove(self, conn: aiosqlite.Connection, pledge_id: int) -> None:
        await conn.execute("DELETE FROM award_proposals WHERE pledge_id = ?", (pledge_id,))
