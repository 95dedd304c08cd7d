"""Notices for people other than the one chatting, written in the same unit of work as the change
they announce, and sent by the channel's sender under a lease: a notice whose sending was not
confirmed before its lease ended is sent again (a rare duplicate rather than a silent loss)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import timedelta

from storage.database import Database

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Notice:
    id: int
    person_id: int
    external_id: str
    text: str
    options: list[list[tuple[str, str]]]
    files: list[dict[str, object]] = field(default_factory=list)
    attempts: int = 1


@dataclass(frozen=True)
class FailedNotice:
    id: int
    person_id: int
    channel: str
    text: str
    error: str
    at: str


class Outbox:
    def __init__(
        self, db: Database, lease: timedelta = timedelta(seconds=60), owner: str | None = None
    ) -> None:
        self.db = db
        self.lease = lease
        self.owner = owner  # the process whose leases these are (storage/processes.py)
        # Per channel, set once a unit of work that added notices commits: its sender wakes.
        self._arrived: dict[str, asyncio.Event] = {}

    def arrival(self, channel: str) -> asyncio.Event:
        return self._arrived.setdefault(channel, asyncio.Event())

    async def add(
        self,
        person_id: int,
        channel: str,
        external_id: str,
        text: str,
        options: list[list[tuple[str, str]]],
        files: list[dict[str, object]] | None = None,
    ) -> None:
        now = self.db.now()
        await self.db.execute_soon(
            "INSERT INTO outbox (person_id, channel, external_id, text, options, files, "
            "created_at, next_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                person_id,
                channel,
                external_id,
                text,
                json.dumps(options, ensure_ascii=False),
                json.dumps(files or [], ensure_ascii=False),
                now,
                now,
            ),
        )
        self.db.after_commit(self.arrival(channel).set)

    async def claim(self, channel: str, limit: int = 30) -> list[Notice]:
        """The oldest notices due, each leased to this sender for `lease`."""
        now = self.db.now()
        rows = await self.db.returning(
            "UPDATE outbox SET lease_until = ?, attempts = attempts + 1, claimed_at = ?, "
            "lease_owner = ? WHERE id IN (SELECT id FROM outbox WHERE channel = ? "
            "AND state = 'pending' AND next_at <= ? "
            "AND (lease_until IS NULL OR lease_until <= ?) ORDER BY id LIMIT ?) "
            "RETURNING id, person_id, external_id, text, options, files, attempts",
            (self.db.clock.stamp(self.lease), now, self.owner, channel, now, now, limit),
        )
        notices = [
            Notice(
                r["id"],
                r["person_id"],
                r["external_id"],
                r["text"],
                [[(label, data) for label, data in row] for row in json.loads(r["options"])],
                json.loads(r["files"]),
                r["attempts"],
            )
            for r in rows
        ]
        return sorted(notices, key=lambda n: n.id)

    async def sent(self, notice_id: int) -> None:
        await self.db.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?, lease_until = NULL, error = NULL "
            "WHERE id = ?",
            (self.db.now(), notice_id),
        )

    async def failed(self, notice: Notice, error: str, *, final: bool = False) -> bool:
        """A try that failed: again later with backoff, or for good after MAX_ATTEMPTS (or at
        once when `final`, e.g. the person blocked the bot). True when it will be retried."""
        if final or notice.attempts >= MAX_ATTEMPTS:
            await self.db.execute(
                "UPDATE outbox SET state = 'failed', error = ?, lease_until = NULL WHERE id = ?",
                (error[:500], notice.id),
            )
            return False
        backoff = timedelta(seconds=5 * 3 ** (notice.attempts - 1))  # 5 s, 15 s, 45 s, 135 s
        await self.db.execute(
            "UPDATE outbox SET next_at = ?, lease_until = NULL, error = ? WHERE id = ?",
            (self.db.clock.stamp(backoff), error[:500], notice.id),
        )
        return True

    async def failures(self, limit: int = 20) -> tuple[int, list[FailedNotice]]:
        """How many notices failed for good, and the latest of them."""
        count = int(await self.db.fetch_value("SELECT count(*) FROM outbox WHERE state='failed'"))
        rows = await self.db.fetch_all(
            "SELECT id, person_id, channel, text, error, created_at FROM outbox "
            "WHERE state = 'failed' ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return count, [
            FailedNotice(
                r["id"], r["person_id"], r["channel"], r["text"], r["error"] or "", r["created_at"]
            )
            for r in rows
        ]

    async def retry_failed(self) -> int:
        """The secretariat sends failed notices once more (e.g. after a messenger outage)."""
        written = await self.db.execute(
            "UPDATE outbox SET state = 'pending', attempts = 0, next_at = ?, error = NULL "
            "WHERE state = 'failed' AND error != 'blocked'",
            (self.db.now(),),
        )
        return written.rowcount

    async def pending_count(self, channel: str) -> int:
        return int(
            await self.db.fetch_value(
                "SELECT count(*) FROM outbox WHERE channel = ? AND state = 'pending'", (channel,)
            )
        )
