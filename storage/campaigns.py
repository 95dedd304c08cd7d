from __future__ import annotations

from bot.domain.campaign import Campaign
from storage.database import Database, utc_now


class CampaignRepository:
    """Campaign definitions, kept whole as validated JSON, keyed by their stable id."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: tuple[tuple[object, ...], list[Campaign]] | None = None

    async def upsert(self, campaign: Campaign, source_file: str | None) -> bool:
        """Insert or replace by id; True when it was new."""
        values = (
            campaign.title,
            campaign.status,
            campaign.period.start.isoformat(),
            campaign.period.end.isoformat(),
            campaign.model_dump_json(),
            source_file,
            utc_now(),
        )
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE campaigns SET title = ?, status = ?, period_start = ?, period_end = ?, "
                "definition = ?, source_file = ?, imported_at = ? WHERE slug = ?",
                (*values, campaign.id),
            )
            if cursor.rowcount:
                return False
            await conn.execute(
                "INSERT INTO campaigns (title, status, period_start, period_end, definition, "
                "source_file, imported_at, slug) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, campaign.id),
            )
        return True

    async def all(self) -> list[Campaign]:
        """Every campaign, newest period first. Parsed once per change, not per message."""
        async with self.db.conn.execute(
            "SELECT count(*), max(imported_at), total(length(definition)) FROM campaigns"
        ) as cursor:
            row = await cursor.fetchone()
        revision = tuple(row) if row else ()
        if self._cache is None or self._cache[0] != revision:
            async with self.db.conn.execute(
                "SELECT definition FROM campaigns ORDER BY period_end DESC, slug"
            ) as cursor:
                rows = await cursor.fetchall()
            self._cache = (revision, [Campaign.model_validate_json(r["definition"]) for r in rows])
        return list(self._cache[1])

    async def get(self, slug: str) -> Campaign | None:
        return next((c for c in await self.all() if c.id == slug), None)

    async def count(self) -> int:
        async with self.db.conn.execute("SELECT count(*) FROM campaigns") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0
