from __future__ import annotations

from bot.domain.campaign import Campaign
from storage.database import Database
from storage.revisions import Revision


class CampaignRepository:
    """Campaign definitions, kept whole as validated JSON, keyed by their stable id."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: tuple[tuple[int, object], list[Campaign]] | None = None
        self.revision = Revision(db, "campaigns")

    async def upsert(self, campaign: Campaign, source_file: str | None) -> bool:
        """Insert or replace by id; True when it was new."""
        values = (
            campaign.title,
            campaign.status,
            campaign.period.start.isoformat(),
            # An open end ("đến khi …") has no day: the column keeps it empty.
            campaign.period.end.isoformat() if campaign.period.end else "",
            campaign.model_dump_json(),
            source_file,
            self.db.now(),
        )
        async with self.db.transaction():
            self.db.after_commit(self.revision.changed)
            written = await self.db.execute(
                "UPDATE campaigns SET title = ?, status = ?, period_start = ?, period_end = ?, "
                "definition = ?, source_file = ?, imported_at = ? WHERE slug = ?",
                (*values, campaign.id),
            )
            if written.rowcount:
                return False
            await self.db.execute(
                "INSERT INTO campaigns (title, status, period_start, period_end, definition, "
                "source_file, imported_at, slug) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, campaign.id),
            )
        return True

    async def all(self) -> list[Campaign]:
        """Every campaign, newest period first. Parsed once per change, not per message."""
        revision = await self.revision.current()
        if self._cache is None or self._cache[0] != revision:
            rows = await self.db.fetch_all(
                # An open end (kept empty) sorts with the latest.
                "SELECT definition FROM campaigns "
                "ORDER BY period_end = '' DESC, period_end DESC, slug"
            )
            self._cache = (revision, [Campaign.model_validate_json(r["definition"]) for r in rows])
        return list(self._cache[1])

    async def get(self, slug: str) -> Campaign | None:
        return next((c for c in await self.all() if c.id == slug), None)

    async def count(self) -> int:
        return int(await self.db.fetch_value("SELECT count(*) FROM campaigns"))
