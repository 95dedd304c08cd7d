from __future__ import annotations

import json
from dataclasses import dataclass

import aiosqlite

from storage.database import Database, utc_now


@dataclass(frozen=True)
class Notice:
    id: int
    person_id: int
    external_id: str
    text: str
    options: list[list[tuple[str, str]]]


class Outbox:
    """Notices for people other than the one chatting, written in the same transaction as the
    change they announce and sent at most once by the channel's sender."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        conn: aiosqlite.Connection,
        person_id: int,
        channel: str,
        external_id: str,
        text: str,
        options: list[list[tuple[str, str]]],
    ) -> None:
        await conn.execute(
            "INSERT INTO outbox (person_id, channel, external_id, text, options, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                person_id,
                channel,
                external_id,
                text,
                json.dumps(options, ensure_ascii=False),
                utc_now(),
            ),
        )

    async def claim(self, channel: str, limit: int = 30) -> list[Notice]:
        """Take the oldest unsent notices; a claimed notice is never handed out again."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET claimed_at = ? WHERE id IN (SELECT id FROM outbox "
                "WHERE channel = ? AND claimed_at IS NULL ORDER BY id LIMIT ?) "
                "RETURNING id, person_id, external_id, text, options",
                (utc_now(), channel, limit),
            )
            rows = await cursor.fetchall()
        return sorted(
            (
                Notice(
                    r["id"],
                    r["person_id"],
                    r["external_id"],
                    r["text"],
                    [[(label, data) for label, data in row] for row in json.loads(r["options"])],
                )
                for r in rows
            ),
            key=lambda n: n.id,
        )

    async def finish(self, notice_id: int, error: str | None = None) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET sent_at = ?, error = ? WHERE id = ?",
                (utc_now() if error is None else None, error, notice_id),
            )
