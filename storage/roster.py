"""Each unit's roster: the staff the secretariat expects to take part, listed before they join."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from bot.textmatch import fold
from storage.database import Database, Row


@dataclass(frozen=True)
class RosterLine:
    id: int
    unit_id: int
    full_name: str
    position: str
    contact: str
    person_id: int | None


@dataclass(frozen=True)
class Listed:
    """A line as the secretariat wrote it, for a unit known by its id."""

    unit_id: int
    full_name: str
    position: str = ""
    contact: str = ""


def _line(row: Row) -> RosterLine:
    return RosterLine(
        row["id"], row["unit_id"], row["full_name"], row["position"], row["contact"],
        row["person_id"],
    )  # fmt: skip


_COLUMNS = "id, unit_id, full_name, position, contact, person_id"


class RosterRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def load(self, lines: Sequence[Listed]) -> tuple[int, int]:
        """Add lines or update them (same unit, name and position); returns (added, updated).
        A line already linked to the person who joined as it stays linked. A few statements
        for the whole sheet, not two for each of its 20,000 rows: the unit of work holds the
        store's writer all along."""
        now = self.db.now()
        async with self.db.transaction():
            units = json.dumps(sorted({x.unit_id for x in lines}))
            known = {
                (r[0], r[1], r[2])
                for r in await self.db.fetch_all(
                    "SELECT unit_id, folded, position FROM roster "
                    "WHERE unit_id IN (SELECT value FROM json_each(?))",
                    (units,),
                )
            }
            latest: dict[tuple[int, str, str], Listed] = {}
            for listed in lines:  # a line listed twice: the last of it is kept, as written
                latest[(listed.unit_id, fold(listed.full_name), listed.position)] = listed
            await self.db.execute_many(
                "UPDATE roster SET full_name = ?, contact = ?, updated_at = ? "
                "WHERE unit_id = ? AND folded = ? AND position = ?",
                [(x.full_name, x.contact, now, *key) for key, x in latest.items() if key in known],
            )
            new = [(key, x) for key, x in latest.items() if key not in known]
            await self.db.execute_many(
                "INSERT INTO roster (unit_id, full_name, folded, position, contact, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(x.unit_id, x.full_name, key[1], x.position, x.contact, now) for key, x in new],
            )
        return len(new), len(lines) - len(new)

    async def replace(self, lines: Sequence[Listed], unit_ids: set[int]) -> tuple[int, int, int]:
        """These units' whole lists: lines added or updated, and lines no longer listed
        removed, unless someone has joined as them. Returns (added, updated, removed)."""
        async with self.db.transaction():
            added, updated = await self.load(lines)
            listed = {(x.unit_id, fold(x.full_name), x.position) for x in lines}
            gone = [
                (line.id,)
                for line in await self.of_units(sorted(unit_ids))
                if (line.unit_id, fold(line.full_name), line.position) not in listed
                and line.person_id is None
            ]
            await self.db.execute_many("DELETE FROM roster WHERE id = ?", gone)
        return added, updated, len(gone)

    async def matching(self, unit_id: int, full_name: str) -> list[RosterLine]:
        """The unit's lines not yet taken whose name reads the same, diacritics aside."""
        rows = await self.db.fetch_all(
            f"SELECT {_COLUMNS} FROM roster WHERE unit_id = ? AND folded = ? "
            "AND person_id IS NULL ORDER BY id",
            (unit_id, fold(full_name)),
        )
        return [_line(r) for r in rows]

    async def named(self, folded_name: str) -> list[RosterLine]:
        """Lines of every unit whose name reads the same, diacritics aside (taken or not)."""
        rows = await self.db.fetch_all(
            f"SELECT {_COLUMNS} FROM roster WHERE folded = ? ORDER BY unit_id, id", (folded_name,)
        )
        return [_line(r) for r in rows]

    async def line(self, line_id: int) -> RosterLine | None:
        row = await self.db.fetch_one(f"SELECT {_COLUMNS} FROM roster WHERE id = ?", (line_id,))
        return _line(row) if row else None

    async def link(self, line_id: int, unit_id: int, person_id: int) -> RosterLine | None:
        """The person joined as this line; None if it was taken meanwhile or is not the unit's."""
        async with self.db.transaction():
            await self.unlink(person_id)  # one line a person: joining anew frees the old one
            written = await self.db.execute(
                "UPDATE roster SET person_id = ? WHERE id = ? AND unit_id = ? "
                "AND person_id IS NULL",
                (person_id, line_id, unit_id),
            )
            if not written.rowcount:
                return None
            row = await self.db.fetch_one(f"SELECT {_COLUMNS} FROM roster WHERE id = ?", (line_id,))
        return _line(row) if row else None

    async def contact_of(self, person_id: int) -> str | None:
        """The phone or e-mail the staff list gives for the person who joined as its line."""
        value = await self.db.fetch_value(
            "SELECT contact FROM roster WHERE person_id = ?", (person_id,)
        )
        return str(value) if value else None

    async def unlink(self, person_id: int) -> None:
        """The person left the unit (or was not confirmed in it): their line waits again."""
        await self.db.execute(
            "UPDATE roster SET person_id = NULL WHERE person_id = ?", (person_id,)
        )

    async def of_units(self, unit_ids: Sequence[int]) -> list[RosterLine]:
        if not unit_ids:
            return []
        marks = ",".join("?" * len(unit_ids))
        rows = await self.db.fetch_all(
            f"SELECT {_COLUMNS} FROM roster WHERE unit_id IN ({marks}) ORDER BY unit_id, folded",
            tuple(unit_ids),
        )
        return [_line(r) for r in rows]
