"""Wrong guesses at typed secrets (link codes, invitation codes), counted per account."""

from __future__ import annotations

from storage.database import Database


class WrongGuesses:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, kind: str, account: str) -> None:
        await self.db.execute(
            "INSERT INTO wrong_guesses (kind, account, at) VALUES (?, ?, ?)",
            (kind, account, self.db.now()),
        )

    async def since(self, kind: str, account: str, since: str) -> list[str]:
        """When this account guessed wrong since `since`, oldest first."""
        rows = await self.db.fetch_all(
            "SELECT at FROM wrong_guesses WHERE kind = ? AND account = ? AND at >= ? ORDER BY at",
            (kind, account, since),
        )
        return [str(r[0]) for r in rows]

    async def prune(self, before: str) -> int:
        written = await self.db.execute("DELETE FROM wrong_guesses WHERE at < ?", (before,))
        return written.rowcount
