"""The processes that use this store, so that a notice's lease belongs to one of them and a
start can tell which of them are gone.

Each process holds an exclusive lock (flock) on a file of its own beside the database while it
runs; the operating system lets go of it when the process ends, SIGKILL included. A process
that starts and can take another's lock knows that one is gone, and gives its leased notices
back at once, instead of letting them wait out their lease. This knows only processes on this
machine, which is what SQLite serves; several machines would need heartbeats instead."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import secrets
from pathlib import Path
from typing import IO

from storage.database import Database

log = logging.getLogger(__name__)


def _gone(lock: Path) -> bool:
    """Whether the process that held this lock file has ended."""
    try:
        handle = lock.open("a")
    except OSError:
        return True
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


class Processes:
    def __init__(self, db: Database, folder: Path) -> None:
        self.db = db
        self.folder = folder
        self.token = secrets.token_hex(8)
        self._lock: IO[str] | None = None

    def _lock_file(self, token: str) -> Path:
        return self.folder / f"{token}.lock"

    async def start(self) -> int:
        """This process takes its lock and its row; the leases of processes gone are given
        back. The number of notices given back."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = self._lock_file(self.token).open("w")
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        await self.db.execute(
            "INSERT INTO processes (token, pid, started_at) VALUES (?, ?, ?)",
            (self.token, os.getpid(), self.db.now()),
        )
        others = await self.db.fetch_all("SELECT token FROM processes WHERE token != ?",
                                         (self.token,))  # fmt: skip
        freed = 0
        for (token,) in others:
            if not _gone(self._lock_file(token)):
                continue
            async with self.db.transaction():
                written = await self.db.execute(
                    "UPDATE outbox SET lease_until = NULL, lease_owner = NULL "
                    "WHERE lease_owner = ? AND state = 'pending'",
                    (token,),
                )
                await self.db.execute("DELETE FROM processes WHERE token = ?", (token,))
            freed += written.rowcount
            with contextlib.suppress(OSError):
                self._lock_file(token).unlink()
        if freed:
            log.info("%d notices leased by a process that ended are sent again now", freed)
        return freed

    async def stop(self) -> None:
        if self._lock is None:
            return
        with contextlib.suppress(Exception):  # the database may be closing
            await self.db.execute("DELETE FROM processes WHERE token = ?", (self.token,))
        with contextlib.suppress(OSError):
            self._lock_file(self.token).unlink()
        self._lock.close()  # the lock goes with the file
        self._lock = None
