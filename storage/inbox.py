"""The durable inbox: what arrived, whether it was handled, what was answered."""

from __future__ import annotations

from dataclasses import dataclass

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
        await self.db.execute(
            "UPDATE inbox SET replies = ? WHERE channel = ? AND update_id = ?",
            (replies, channel, update_id),
        )

    async def take_replies(self, channel: str, update_id: str) -> str | None:
        """The committed answer, handed out once in one statement, whoever asks: marked answered
        before it is sent, so a crash mid-send loses an answer rather than sending it twice (the
        record itself is committed, and /my shows it)."""
        rows = await self.db.returning(
            "UPDATE inbox SET answered_at = ? WHERE channel = ? AND update_id = ? "
            "AND answered_at IS NULL AND handled_at IS NOT NULL RETURNING replies",
            (self.db.now(), channel, update_id),
        )
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    async def give_up(self, channel: str, update_id: str) -> None:
        """An update whose handling failed: not tried again at every start-up."""
        await self.db.execute(
            "UPDATE inbox SET answered_at = ? WHERE channel = ? AND update_id = ? "
            "AND answered_at IS NULL",
            (self.db.now(), channel, update_id),
        )

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

    async def forget_answered(self, before: str) -> int:
        """Old answered updates: only their ids are needed, to spot redeliveries."""
        written = await self.db.execute(
            "UPDATE inbox SET payload = NULL, replies = NULL WHERE answered_at IS NOT NULL "
            "AND payload IS NOT NULL AND answered_at < ?",
            (before,),
        )
        return written.rowcount
