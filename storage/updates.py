from __future__ import annotations

import aiosqlite

from storage.database import Database, utc_now


class ProcessedUpdates:
    """Update ids already handled, so a redelivered update is not handled twice."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def seen(self, channel: str, update_id: str) -> bool:
        async with self.db.conn.execute(
            "SELECT 1 FROM processed_updates WHERE channel = ? AND update_id = ?",
            (channel, update_id),
        ) as cursor:
            return await cursor.fetchone() is not None

    async def mark(self, conn: aiosqlite.Connection, channel: str, update_id: str) -> None:
        await conn.execute(
            "INSERT OR IGNORE INTO processed_updates (channel, update_id, processed_at) "
            "VALUES (?, ?, ?)",
            (channel, update_id, utc_now()),
        )
