from __future__ import annotations

import secrets
from datetime import datetime
from typing import Literal

from bot.domain.records import Role
from storage.database import Database, utc_now

InviteProblem = Literal["unknown", "expired", "used_up", "revoked"]


class InviteRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        unit_id: int,
        expires_at: datetime | None = None,
        max_uses: int | None = None,
        role: Role = "staff",
    ) -> str:
        code = secrets.token_urlsafe(9)
        expires = expires_at.isoformat() if expires_at else None
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO invites (code, unit_id, expires_at, max_uses, role, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (code, unit_id, expires, max_uses, role, utc_now()),
            )
        return code

    async def redeem(self, code: str, now: datetime) -> tuple[int, Role] | InviteProblem:
        """Count one use and return the unit and role it gives, or say why it does not work."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT unit_id, expires_at, max_uses, uses, revoked, role FROM invites "
                "WHERE code = ?",
                (code,),
            )
            row = await cursor.fetchone()
            if row is None:
                return "unknown"
            if row["revoked"]:
                return "revoked"
            if row["expires_at"] and datetime.fromisoformat(row["expires_at"]) < now:
                return "expired"
            if row["max_uses"] is not None and row["uses"] >= row["max_uses"]:
                return "used_up"
            await conn.execute("UPDATE invites SET uses = uses + 1 WHERE code = ?", (code,))
            return int(row["unit_id"]), row["role"]

    async def active_for(self, unit_id: int, now: datetime) -> list[dict[str, object]]:
        async with self.db.conn.execute(
            "SELECT code, expires_at, max_uses, uses, role FROM invites "
            "WHERE unit_id = ? AND revoked = 0 ORDER BY created_at",
            (unit_id,),
        ) as cursor:
            rows = [dict(r) for r in await cursor.fetchall()]
        return [
            r
            for r in rows
            if (not r["expires_at"] or datetime.fromisoformat(str(r["expires_at"])) >= now)
            and (r["max_uses"] is None or int(str(r["uses"])) < int(str(r["max_uses"])))
        ]

    async def revoke(self, code: str) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE invites SET revoked = 1 WHERE code = ? AND revoked = 0", (code,)
            )
        return cursor.rowcount == 1
