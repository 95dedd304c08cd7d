"""One-time codes that link a new messenger account to a person's records."""

from __future__ import annotations

import secrets
from datetime import timedelta

from storage.database import Database
from storage.invites import CODE_ALPHABET

LINK_CODE_LENGTH = 8
# Wrong guesses made anywhere while a code lives, after which it no longer works.
RETIRED_AFTER = 10


class LinkCodes:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def issue(self, channel: str, external_id: str, valid_for: timedelta) -> str:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))
        await self.db.execute(
            "INSERT INTO link_codes (code, channel, external_id, expires_at) VALUES (?, ?, ?, ?)",
            (code, channel, external_id, self.db.clock.stamp(valid_for)),
        )
        return code

    async def peek(self, code: str) -> tuple[str, str] | None:
        """The account a live code was issued on, without using it."""
        row = await self.db.fetch_one(
            "SELECT channel, external_id FROM link_codes WHERE code = ? AND used_at IS NULL "
            "AND expires_at >= ? AND wrong_guesses < ?",
            (code.upper(), self.db.now(), RETIRED_AFTER),
        )
        return (row[0], row[1]) if row else None

    async def use(self, code: str) -> tuple[str, str] | None:
        """Spend a live code, in one conditional statement (it works once, whoever races)."""
        rows = await self.db.returning(
            "UPDATE link_codes SET used_at = ? WHERE code = ? AND used_at IS NULL "
            "AND expires_at >= ? AND wrong_guesses < ? RETURNING channel, external_id",
            (self.db.now(), code.upper(), self.db.now(), RETIRED_AFTER),
        )
        return (rows[0][0], rows[0][1]) if rows else None

    async def guessed_wrong(self) -> None:
        """Someone typed a code that is none of the live ones: each live code counts it, and
        retires after RETIRED_AFTER (its owner asks for a new one)."""
        await self.db.execute(
            "UPDATE link_codes SET wrong_guesses = wrong_guesses + 1 WHERE used_at IS NULL "
            "AND expires_at >= ?",
            (self.db.now(),),
        )
