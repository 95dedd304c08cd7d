"""Deadline reminders as stored: which went out (each once), who muted which campaign, which
occasion the secretariat cancelled."""

from __future__ import annotations

from storage.database import Database


class ReminderLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim(
        self, campaign: str, deadline: str, due: str, days_before: int, person_id: int
    ) -> bool:
        """True for the one caller that records this reminder first: it sends it."""
        written = await self.db.execute(
            "INSERT INTO reminders_sent (campaign, deadline, due, days_before, person_id, sent_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (campaign, deadline, due, days_before, person_id, self.db.now()),
        )
        return written.rowcount == 1

    async def sent_to(self, campaign: str, deadline: str, due: str, days_before: int) -> set[int]:
        rows = await self.db.fetch_all(
            "SELECT person_id FROM reminders_sent WHERE campaign = ? AND deadline = ? "
            "AND due = ? AND days_before = ?",
            (campaign, deadline, due, days_before),
        )
        return {int(r["person_id"]) for r in rows}

    async def muted(self, campaign: str) -> set[int]:
        rows = await self.db.fetch_all(
            "SELECT person_id FROM reminder_mutes WHERE campaign = ?", (campaign,)
        )
        return {int(r["person_id"]) for r in rows}

    async def mute(self, person_id: int, campaign: str) -> None:
        await self.db.execute(
            "INSERT INTO reminder_mutes (person_id, campaign, muted_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (person_id, campaign, self.db.now()),
        )

    async def unmute(self, person_id: int, campaign: str) -> None:
        await self.db.execute(
            "DELETE FROM reminder_mutes WHERE person_id = ? AND campaign = ?",
            (person_id, campaign),
        )

    async def cancel(
        self, campaign: str, deadline: str, due: str, days_before: int, by: int
    ) -> None:
        await self.db.execute(
            "INSERT INTO reminder_cancels (campaign, deadline, due, days_before, cancelled_by, "
            "cancelled_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (campaign, deadline, due, days_before, by, self.db.now()),
        )

    async def cancelled(self, campaign: str, deadline: str, due: str, days_before: int) -> bool:
        return (
            await self.db.fetch_one(
                "SELECT 1 FROM reminder_cancels WHERE campaign = ? AND deadline = ? AND due = ? "
                "AND days_before = ?",
                (campaign, deadline, due, days_before),
            )
            is not None
        )

    async def drafting_initiatives(self, campaign: str) -> set[int]:
        """Who has an initiative for this campaign started and not sent."""
        rows = await self.db.fetch_all(
            "SELECT person_id FROM conversations WHERE flow = 'initiative' "
            "AND json_extract(data, '$.campaign') = ?",
            (campaign,),
        )
        return {int(r["person_id"]) for r in rows}

    async def waiting_since(self, before: str) -> list[tuple[str, int]]:
        """Pledges still waiting for their head's confirmation, made before the stamp:
        (reference, unit)."""
        rows = await self.db.fetch_all(
            "SELECT ref, unit_id FROM pledges WHERE status = 'submitted' AND kind = 'individual' "
            "AND created_at < ? ORDER BY id",
            (before,),
        )
        return [(str(r["ref"]), int(r["unit_id"])) for r in rows]
