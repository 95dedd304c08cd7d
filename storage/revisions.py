"""The key of an in-process cache of data that rarely changes (campaigns, units): this
process's own changes are seen at once, another instance's within a second, and the stored
revision (a row bumped by triggers) is asked at most once a second."""

from __future__ import annotations

import time

from storage.database import Database

RECHECK_SECONDS = 1.0


class Revision:
    def __init__(self, db: Database, name: str) -> None:
        self.db = db
        self.name = name
        self._local = 0
        self._stored: object = None
        self._fresh = 0.0  # until when (monotonic) the stored value need not be asked again

    def changed(self) -> None:
        """This process changed the data: caches keyed on the revision are stale now (call
        it once the change commits)."""
        self._local += 1

    async def current(self) -> tuple[int, object]:
        if time.monotonic() >= self._fresh:
            self._stored = await self.db.fetch_value(
                "SELECT value FROM revisions WHERE name = ?", (self.name,)
            )
            self._fresh = time.monotonic() + RECHECK_SECONDS
        return self._local, self._stored
