from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.domain.records import Person, Role
from storage.database import Database, Row

SEEN_EVERY = timedelta(minutes=5)  # how stale "last seen" may be (the OA allows 7 days)
_COLUMNS = (
    "id, channel, external_id, full_name, position, unit_id, role, locale, unreachable, confirmed"
)


def _person(row: Row) -> Person:
    return Person(
        row["id"],
        row["channel"],
        row["external_id"],
        row["full_name"],
        row["position"],
        row["unit_id"],
        row["role"],
        row["locale"],
        bool(row["unreachable"]),
        bool(row["confirmed"]),
    )


class PersonRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _many(self, where: str, params: tuple[object, ...] = ()) -> list[Person]:
        rows = await self.db.fetch_all(f"SELECT {_COLUMNS} FROM people WHERE {where}", params)
        return [_person(row) for row in rows]

    async def find(self, channel: str, external_id: str) -> Person | None:
        """The person an account belongs to (linked accounts share one)."""
        found = await self._many(
            "id = (SELECT person_id FROM accounts WHERE channel = ? AND external_id = ?)",
            (channel, external_id),
        )
        return found[0] if found else None

    async def reached_at(self, person: Person, channel: str, external_id: str) -> Person:
        """Notices go to the account the person used last."""
        if (person.channel, person.external_id) == (channel, external_id):
            return person
        await self.db.execute(
            "UPDATE people SET channel = ?, external_id = ? WHERE id = ?",
            (channel, external_id, person.id),
        )
        updated = await self.by_id(person.id)
        assert updated is not None
        return updated

    async def accounts_of(self, person_id: int) -> list[tuple[str, str]]:
        """The person's accounts, the one that wrote last first."""
        rows = await self.db.fetch_all(
            "SELECT channel, external_id FROM accounts WHERE person_id = ? "
            "ORDER BY last_seen_at IS NULL, last_seen_at DESC, linked_at DESC",
            (person_id,),
        )
        return [(r[0], r[1]) for r in rows]

    async def seen(self, channel: str, external_id: str) -> None:
        """The account just wrote (the OA's 7-day window counts from this); goes with the unit
        of work's next statement, and writes nothing when it was noted minutes ago."""
        await self.db.execute_soon(
            "UPDATE accounts SET last_seen_at = ? WHERE channel = ? AND external_id = ? "
            "AND (last_seen_at IS NULL OR last_seen_at < ?)",
            (self.db.now(), channel, external_id, self.db.clock.stamp(-SEEN_EVERY)),
        )

    async def last_seen(self, channel: str, external_id: str) -> str | None:
        value = await self.db.fetch_value(
            "SELECT last_seen_at FROM accounts WHERE channel = ? AND external_id = ?",
            (channel, external_id),
        )
        return str(value) if value else None

    async def forget_seen(self, channel: str, external_id: str) -> None:
        """The account can no longer be written to first (it unfollowed the OA)."""
        await self.db.execute(
            "UPDATE accounts SET last_seen_at = NULL WHERE channel = ? AND external_id = ?",
            (channel, external_id),
        )

    async def move_account(self, channel: str, external_id: str, person: Person) -> None:
        """The account now belongs to `person`; the record it had of its own keeps no account
        (its address renamed, so the account's own address stays unique)."""
        async with self.db.transaction():
            await self.db.execute(
                "UPDATE people SET external_id = external_id || '#linked-' || id "
                "WHERE channel = ? AND external_id = ? AND id != ?",
                (channel, external_id, person.id),
            )
            await self.db.execute(
                "UPDATE accounts SET person_id = ?, linked_at = ? WHERE channel = ? "
                "AND external_id = ?",
                (person.id, self.db.now(), channel, external_id),
            )

    async def has_records(self, person_id: int) -> bool:
        return bool(
            await self.db.fetch_value(
                "SELECT EXISTS (SELECT 1 FROM pledges WHERE person_id = ?) "
                "OR EXISTS (SELECT 1 FROM initiatives WHERE person_id = ?)",
                (person_id, person_id),
            )
        )

    async def by_id(self, person_id: int) -> Person | None:
        found = await self._many("id = ?", (person_id,))
        return found[0] if found else None

    async def create(self, channel: str, external_id: str, locale: str, role: Role) -> Person:
        async with self.db.transaction():
            written = await self.db.execute(
                "INSERT INTO people (channel, external_id, locale, role, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, external_id) DO NOTHING",
                (channel, external_id, locale, role, self.db.now()),
            )
            if written.rowcount:
                await self.db.execute(
                    "INSERT INTO accounts (channel, external_id, person_id, linked_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (channel, external_id, written.lastrowid, self.db.now()),
                )
        person = await self.find(channel, external_id)
        assert person is not None
        return person

    async def update(self, person: Person, **changes: object) -> Person:
        allowed = {"full_name", "position", "unit_id", "role", "locale", "confirmed"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"not a person field: {', '.join(sorted(unknown))}")
        assignments = ", ".join(f"{name} = ?" for name in changes)
        joined = ", joined_at = ?" if "unit_id" in changes else ""
        params: list[object] = list(changes.values())
        if joined:
            params.append(self.db.now())
        await self.db.execute(
            f"UPDATE people SET {assignments}{joined} WHERE id = ?", (*params, person.id)
        )
        updated = await self.by_id(person.id)
        assert updated is not None
        return updated

    async def named(self, folded_name: str, fold: Callable[[str], str]) -> list[Person]:
        """People whose full name, without diacritics, is this one."""
        candidates = await self._many("full_name IS NOT NULL ORDER BY full_name")
        return [p for p in candidates if p.full_name and fold(p.full_name) == folded_name]

    async def heads_of(self, unit_id: int) -> list[Person]:
        return await self._many("unit_id = ? AND role = 'unit_head'", (unit_id,))

    async def members_of(self, unit_id: int) -> list[Person]:
        return await self._many("unit_id = ? ORDER BY full_name", (unit_id,))

    async def mark_unreachable(self, person_id: int) -> None:
        """They blocked the bot: stop sending them notices until they write again."""
        await self.db.execute("UPDATE people SET unreachable = 1 WHERE id = ?", (person_id,))

    async def mark_reachable(self, person_id: int) -> None:
        await self.db.execute(
            "UPDATE people SET unreachable = 0 WHERE id = ? AND unreachable = 1", (person_id,)
        )

    async def reachable_in(self, unit_ids: list[int]) -> list[Person]:
        """Everyone who joined these units and has not blocked the bot."""
        if not unit_ids:
            return []
        marks = ",".join("?" * len(unit_ids))
        return await self._many(
            f"unit_id IN ({marks}) AND unreachable = 0 AND full_name IS NOT NULL ORDER BY id",
            tuple(unit_ids),
        )

    async def desk(self) -> list[Person]:
        """The secretariat: who is told when a unit has no head."""
        return await self._many(
            "role IN ('secretariat', 'admin') AND channel != 'console' ORDER BY id"
        )
