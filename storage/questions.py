"""Questions the bot could not answer from the plans, for the secretariat (/questions)."""

from __future__ import annotations

from dataclasses import dataclass

from storage.database import Database

LONGEST_KEPT = 500


@dataclass(frozen=True)
class OpenQuestion:
    id: int
    asked_at: str
    campaign: str | None
    section: str | None
    text: str


class OpenQuestions:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, person_id: int | None, campaign: str | None, section: str | None, text: str
    ) -> None:
        await self.db.execute(
            "INSERT INTO open_questions (asked_at, person_id, campaign, section, text) "
            "VALUES (?, ?, ?, ?, ?)",
            (self.db.now(), person_id, campaign, section, text[:LONGEST_KEPT]),
        )

    async def unseen(self, limit: int = 30) -> tuple[list[OpenQuestion], int]:
        """The latest questions not yet marked seen, and how many there are in all."""
        rows = await self.db.fetch_all(
            "SELECT id, asked_at, campaign, section, text FROM open_questions "
            "WHERE seen_at IS NULL ORDER BY asked_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        total = await self.db.fetch_value(
            "SELECT count(*) FROM open_questions WHERE seen_at IS NULL"
        )
        return [OpenQuestion(**dict(r)) for r in rows], int(total)

    async def mark_seen(self, up_to_id: int) -> int:
        written = await self.db.execute(
            "UPDATE open_questions SET seen_at = ? WHERE seen_at IS NULL AND id <= ?",
            (self.db.now(), up_to_id),
        )
        return written.rowcount
