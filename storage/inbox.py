"""The durable inbox: what arrived, whether it was handled, what was answered."""

from __future__ import annotations

from dataclasses import dataclass

from bot import killpoints
from storage.database import Database


@dataclass(frozen=True)
class Stored:
    update_id: str
    sender: str
    payload: str | None
    replies: str | None  # JSON, set once handled
    handled: bool


class Inbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def store(self, channel: str, updates: list[tuple[str, str, str]]) -> None:
        """(update id, sender, raw payload) kept before the messenger hears they arrived;
        a delivery already stored is ignored."""
        now = self.db.now()
        await self.db.execute_many(
            "INSERT INTO inbox (channel, update_id, sender, payload, received_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, update_id) DO NOTHING",
            [(channel, update_id, sender, payload, now) for update_id, sender, payload in updates],
        )
        killpoints.reached("stored")

    async def store_new(self, channel: str, update_id: str, sender: str, payload: str) -> bool:
        """One update kept before the messenger hears it arrived; False when this delivery was
        stored before (a webhook's retry)."""
        rows = await self.db.returning(
            "INSERT INTO inbox (channel, update_id, sender, payload, received_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, update_id) DO NOTHING RETURNING 1",
            (channel, update_id, sender, payload, self.db.now()),
        )
        killpoints.reached("stored")
        return bool(rows)

    async def unreadable(self, channel: str, update_id: str) -> None:
        """An update of a shape the adapter cannot read: kept as handled and answered at once,
        so that it is known if it comes again and never tried again."""
        now = self.db.now()
        await self.db.execute(
            "INSERT INTO inbox (channel, update_id, received_at, handled_at, answered_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, update_id) DO UPDATE "
            "SET answered_at = COALESCE(inbox.answered_at, excluded.answered_at)",
            (channel, update_id, now, now, now),
        )

    async def claim(self, channel: str, update_id: str, sender: str) -> bool:
        """True for the first handling of this update; in the caller's unit of work, so the
        claim commits with everything the handling changed, or not at all."""
        rows = await self.db.returning(
            "INSERT INTO inbox (channel, update_id, sender, received_at, handled_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, update_id) DO UPDATE "
            "SET handled_at = excluded.handled_at WHERE inbox.handled_at IS NULL RETURNING 1",
            (channel, update_id, sender, self.db.now(), self.db.now()),
        )
        return bool(rows)

    async def keep_replies(self, channel: str, update_id: str, replies: str) -> None:
        await self.db.execute_soon(
            "UPDATE inbox SET replies = ? WHERE channel = ? AND update_id = ?",
            (replies, channel, update_id),
        )

    async def forget_payload(self, channel: str, update_id: str | None) -> None:
        """What this update said is not kept past its handling (a secret vote): a crash before
        its answer is sent loses the answer, never the vote, and nothing links the sender to
        what they chose."""
        if update_id is not None:
            await self.db.execute_soon(
                "UPDATE inbox SET payload = NULL WHERE channel = ? AND update_id = ?",
                (channel, update_id),
            )

    async def replies(self, channel: str, update_id: str) -> str | None:
        """The answer committed for a handled update and not yet marked sent."""
        value = await self.db.fetch_value(
            "SELECT replies FROM inbox WHERE channel = ? AND update_id = ? "
            "AND handled_at IS NOT NULL AND answered_at IS NULL",
            (channel, update_id),
        )
        return str(value) if value is not None else None

    async def answered(self, channel: str, update_id: str) -> None:
        """Marked once the answer was sent: a crash before this sends it again at the next
        start (the person may see it twice, never not at all)."""
        await self.db.execute(
            "UPDATE inbox SET answered_at = ? WHERE channel = ? AND update_id = ? "
            "AND answered_at IS NULL",
            (self.db.now(), channel, update_id),
        )
        killpoints.reached("answered")

    async def unfinished(self, channel: str) -> list[Stored]:
        """Stored and not yet answered, oldest first: handled first at start-up."""
        rows = await self.db.fetch_all(
            "SELECT update_id, sender, payload, replies, handled_at FROM inbox "
            "WHERE channel = ? AND answered_at IS NULL AND payload IS NOT NULL "
            "ORDER BY received_at, rowid",
            (channel,),
        )
        return [
            Stored(r["update_id"], r["sender"], r["payload"], r["replies"], bool(r["handled_at"]))
            for r in rows
        ]

    async def prune(self, before: str) -> int:
        """Updates answered before `before` are deleted (each kept ~1.5 KB, a long text 12 KB);
        no messenger redelivers one that old (Telegram's offset has moved past it, Zalo
        retries a webhook for minutes)."""
        written = await self.db.execute(
            "DELETE FROM inbox WHERE answered_at IS NOT NULL AND answered_at < ?", (before,)
        )
        return written.rowcount
