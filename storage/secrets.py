"""Secrets the bot makes for itself and keeps (the file links' signing key), made once: two
processes starting together agree on the first one written."""

from __future__ import annotations

from collections.abc import Callable

from storage.database import Database


class KeptSecrets:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get_or_make(self, name: str, make: Callable[[], str]) -> str:
        await self.db.execute(
            "INSERT INTO kept_secrets (name, value, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO NOTHING",
            (name, make(), self.db.now()),
        )
        return str(
            await self.db.fetch_value("SELECT value FROM kept_secrets WHERE name = ?", (name,))
        )
