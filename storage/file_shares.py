"""Files sent as links: which file of which store went to which account, until when."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storage.database import Database

Store = Literal["made", "attachment"]


@dataclass(frozen=True)
class Share:
    id: int
    store: Store
    relative_path: str
    name: str
    channel: str
    account: str
    expires_at: str


class FileShares:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self, store: Store, relative_path: str, name: str, channel: str, account: str,
        expires_at: str,
    ) -> int:  # fmt: skip
        written = await self.db.execute(
            "INSERT INTO file_shares (store, relative_path, name, channel, account, expires_at, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (store, relative_path, name, channel, account, expires_at, self.db.now()),
        )
        assert written.lastrowid is not None
        return written.lastrowid

    async def get(self, share_id: int) -> Share | None:
        row = await self.db.fetch_one(
            "SELECT id, store, relative_path, name, channel, account, expires_at "
            "FROM file_shares WHERE id = ?",
            (share_id,),
        )
        return Share(*row) if row is not None else None

    async def prune(self, before: str) -> int:
        """Shares expired before `before`: their links no longer work anyway."""
        written = await self.db.execute("DELETE FROM file_shares WHERE expires_at < ?", (before,))
        return written.rowcount
