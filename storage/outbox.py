"""Notices for people other than the one chatting, written in the same unit of work as the change
they announce, and sent by the channel's sender under a lease: a notice whose sending was not
confirmed before its lease ended is sent again (a rare duplicate rather than a silent loss)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import timedelta

from storage.database import Database, Row

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
    kind: str = "notice"  # "reminder": summed up with others when they waited


@dataclass(frozen=True)
class Progress:
    """Where notices stand: queued, rerouted to another of the person's accounts because the
    OA could not reach them, waiting for them to write again, and sent by ZNS (last 7 days)."""

    pending: int
    rerouted: int
    waiting: int
    zns: int


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
        kind: str = "notice",
    ) -> None:
        now = self.db.now()
        await self.db.execute_soon(
            "INSERT INTO outbox (person_id, channel, external_id, text, options, files, "
            "created_at, next_at, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                person_id,
                channel,
                external_id,
                text,
                json.dumps(options, ensure_ascii=False),
                json.dumps(files or [], ensure_ascii=False),
                now,
                now,
                kind,
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
            "RETURNING id, person_id, external_id, text, options, files, attempts, kind",
            (self.db.clock.stamp(self.lease), now, self.owner, channel, now, now, limit),
        )
        return sorted((_notice(r) for r in rows), key=lambda n: n.id)

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

    # --- a channel that cannot reach the person now (the Zalo OA's 7-day window) ---------------
    async def reroute(self, notice: Notice, channel: str, external_id: str) -> None:
        """Sent instead to another account of the person's; the try does not count."""
        await self.db.execute(
            "UPDATE outbox SET channel = ?, external_id = ?, via = 'rerouted', lease_until = NULL, "
            "attempts = max(attempts - 1, 0), next_at = ? WHERE id = ?",
            (channel, external_id, self.db.now(), notice.id),
        )
        self.db.after_commit(self.arrival(channel).set)

    async def wait_for_reply(self, notice: Notice) -> None:
        """Kept until the person writes again ("chờ người nhận nhắn lại"), then sent."""
        await self.db.execute(
            "UPDATE outbox SET state = 'waiting', via = 'waiting', lease_until = NULL, "
            "attempts = max(attempts - 1, 0) WHERE id = ?",
            (notice.id,),
        )

    async def sent_via(self, notice_id: int, via: str) -> None:
        await self.db.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?, lease_until = NULL, error = NULL, "
            "via = ? WHERE id = ?",
            (self.db.now(), via, notice_id),
        )

    async def waiting_for(self, person_id: int) -> list[Notice]:
        rows = await self.db.fetch_all(
            "SELECT id, person_id, external_id, text, options, files, attempts, kind "
            "FROM outbox WHERE person_id = ? AND state = 'waiting' ORDER BY id",
            (person_id,),
        )
        return [_notice(r) for r in rows]

    async def release(self, notice_ids: list[int], channel: str, external_id: str) -> None:
        """Waiting notices go out now, to the account the person just wrote from."""
        marks = ",".join("?" * len(notice_ids))
        await self.db.execute(
            f"UPDATE outbox SET state = 'pending', via = 'waited', next_at = ?, channel = ?, "
            f"external_id = ? WHERE state = 'waiting' AND id IN ({marks})",
            (self.db.now(), channel, external_id, *notice_ids),
        )
        self.db.after_commit(self.arrival(channel).set)

    async def summed_up(self, notice_ids: list[int]) -> None:
        """Waiting notices told in one summary instead (which is queued with this)."""
        marks = ",".join("?" * len(notice_ids))
        await self.db.execute(
            f"UPDATE outbox SET state = 'sent', via = 'summed_up', sent_at = ? "
            f"WHERE state = 'waiting' AND id IN ({marks})",
            (self.db.now(), *notice_ids),
        )

    async def progress(self, since: str) -> Progress:
        row = await self.db.fetch_one(
            "SELECT count(*) FILTER (WHERE state = 'pending'), "
            "count(*) FILTER (WHERE state = 'pending' AND via = 'rerouted'), "
            "count(*) FILTER (WHERE state = 'waiting'), "
            "count(*) FILTER (WHERE via = 'zns' AND sent_at >= ?) "
            "FROM outbox WHERE state IN ('pending', 'waiting') OR via = 'zns'",
            (since,),
        )
        assert row is not None
        return Progress(*(int(value or 0) for value in row))

    async def pending_count(self, channel: str) -> int:
        return int(
            await self.db.fetch_value(
                "SELECT count(*) FROM outbox WHERE channel = ? AND state = 'pending'", (channel,)
            )
        )


def _notice(row: Row) -> Notice:
    return Notice(
        row["id"],
        row["person_id"],
        row["external_id"],
        row["text"],
        [[(label, data) for label, data in line] for line in json.loads(row["options"])],
        json.loads(row["files"]),
        row["attempts"],
        row["kind"],
    )
