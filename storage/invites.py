from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Literal

from bot.domain.records import Invite, Role
from storage.database import Database

InviteProblem = Literal["unknown", "expired", "used_up", "revoked"]
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


class InviteRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        unit_id: int,
        valid_for: timedelta | None = None,
        max_uses: int | None = None,
        role: Role = "staff",
    ) -> Invite:
        # Typed by hand on Zalo ("THAM GIA 7K3Q9XPM2A"): capitals and digits, none alike.
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        expires = self.db.clock.stamp(valid_for) if valid_for is not None else None
        await self.db.execute(
            "INSERT INTO invites (code, unit_id, expires_at, max_uses, role, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (code, unit_id, expires, max_uses, role, self.db.now()),
        )
        return Invite(code, unit_id, role, expires, max_uses, 0)

    async def check(self, code: str) -> Invite | InviteProblem:
        """Whether the invitation can still be used; nothing is counted until someone joins."""
        row = await self.db.fetch_one(
            "SELECT code, unit_id, role, expires_at, max_uses, uses, revoked FROM invites "
            "WHERE code IN (?, ?) ORDER BY code = ? DESC LIMIT 1",
            (code, code.upper(), code),
        )
        if row is None:
            return "unknown"
        if row["revoked"]:
            return "revoked"
        if row["expires_at"] and row["expires_at"] < self.db.now():
            return "expired"
        if row["max_uses"] is not None and row["uses"] >= row["max_uses"]:
            return "used_up"
        return Invite(
            row["code"],
            row["unit_id"],
            row["role"],
            row["expires_at"],
            row["max_uses"],
            row["uses"],
        )

    async def use(self, code: str, unit_id: int) -> bool:
        """Count one use, in one conditional statement (two people racing for the last use of
        a head's link cannot both get it); False when it no longer works for that unit."""
        written = await self.db.execute(
            "UPDATE invites SET uses = uses + 1 WHERE code IN (?, ?) AND unit_id = ? "
            "AND revoked = 0 AND (expires_at IS NULL OR expires_at >= ?) "
            "AND (max_uses IS NULL OR uses < max_uses)",
            (code, code.upper(), unit_id, self.db.now()),
        )
        return written.rowcount == 1

    async def active_for(self, unit_id: int) -> list[Invite]:
        rows = await self.db.fetch_all(
            "SELECT code, unit_id, role, expires_at, max_uses, uses FROM invites "
            "WHERE unit_id = ? AND revoked = 0 AND (expires_at IS NULL OR expires_at >= ?) "
            "AND (max_uses IS NULL OR uses < max_uses) ORDER BY created_at",
            (unit_id, self.db.now()),
        )
        return [Invite(*row) for row in rows]

    async def revoke(self, code: str) -> bool:
        written = await self.db.execute(
            "UPDATE invites SET revoked = 1 WHERE code = ? AND revoked = 0", (code,)
        )
        return written.rowcount == 1
