"""The Zalo OA's OAuth tokens, kept so that a crash or a second instance never loses the only
valid refresh token: the newest pair is written (and committed) before it is used, and one
process at a time refreshes, under a short lease in this table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from storage.database import Database


@dataclass(frozen=True)
class OATokens:
    seed: str  # a digest of the ZALO_OA_REFRESH_TOKEN this chain started from
    access_token: str | None
    access_expires_at: str | None
    refresh_token: str | None
    refreshes: int
    failed_at: str | None


class OATokenStore:
    def __init__(self, db: Database, app_id: str) -> None:
        self.db = db
        self.app_id = app_id

    async def load(self) -> OATokens | None:
        row = await self.db.fetch_one(
            "SELECT seed, access_token, access_expires_at, refresh_token, refreshes, failed_at "
            "FROM oa_tokens WHERE app_id = ?",
            (self.app_id,),
        )
        return OATokens(*row) if row is not None else None

    async def lock(self, owner: str, lease: timedelta) -> bool:
        """This process alone refreshes until it unlocks or the lease runs out (a process that
        died holding it)."""
        now = self.db.now()
        async with self.db.transaction():
            await self.db.execute(
                "INSERT INTO oa_tokens (app_id, seed) VALUES (?, '') ON CONFLICT DO NOTHING",
                (self.app_id,),
            )
            taken = await self.db.execute(
                "UPDATE oa_tokens SET lock_owner = ?, lock_until = ? WHERE app_id = ? "
                "AND (lock_owner IS NULL OR lock_owner = ? OR lock_until <= ?)",
                (owner, self.db.clock.stamp(lease), self.app_id, owner, now),
            )
        return taken.rowcount == 1

    async def unlock(self, owner: str) -> None:
        await self.db.execute(
            "UPDATE oa_tokens SET lock_owner = NULL, lock_until = NULL "
            "WHERE app_id = ? AND lock_owner = ?",
            (self.app_id, owner),
        )

    async def rotated(
        self, seed: str, access_token: str, expires_in: timedelta, refresh_token: str
    ) -> None:
        """The pair Zalo just issued, committed before anyone uses it: the old refresh token
        no longer works."""
        await self.db.execute(
            "UPDATE oa_tokens SET seed = ?, access_token = ?, access_expires_at = ?, "
            "refresh_token = ?, refreshed_at = ?, refreshes = refreshes + 1, failed_at = NULL, "
            "failure = NULL WHERE app_id = ?",
            (
                seed,
                access_token,
                self.db.clock.stamp(expires_in),
                refresh_token,
                self.db.now(),
                self.app_id,
            ),
        )

    async def failed(self, reason: str) -> bool:
        """A refresh was refused; True for the first failure since the last success (who must
        act is told once)."""
        written = await self.db.execute(
            "UPDATE oa_tokens SET failed_at = ?, failure = ? WHERE app_id = ? "
            "AND failed_at IS NULL",
            (self.db.now(), reason[:500], self.app_id),
        )
        return written.rowcount == 1
