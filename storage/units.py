from __future__ import annotations

import json
from collections.abc import Sequence

from bot.domain.organisation import UnitNode
from bot.domain.records import Unit
from storage.database import Database, Row
from storage.revisions import Revision

_COLUMNS = "id, code, name, level, parent_id, heads"


def _unit(row: Row) -> Unit:
    return Unit(
        row["id"],
        row["code"],
        row["name"],
        row["level"],
        row["parent_id"],
        tuple(json.loads(row["heads"])),
    )


class UnitRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        # Each person's unit and its ancestors are asked on most updates: kept until the
        # units change (here, or in another instance within a second).
        self.revision = Revision(db, "units")
        self._lineages: tuple[tuple[int, object], dict[int, list[Unit]]] | None = None

    async def upsert_tree(self, units: Sequence[tuple[UnitNode, str | None]]) -> tuple[int, int]:
        """Insert or update units given parent-first; returns (added, updated)."""
        added = updated = 0
        now = self.db.now()
        async with self.db.transaction():
            self.db.after_commit(self.revision.changed)
            for position, (node, parent_code) in enumerate(units):
                parent_id = None
                if parent_code is not None:
                    parent_id = await self.db.fetch_value(
                        "SELECT id FROM units WHERE code = ?", (parent_code,)
                    )
                written = await self.db.execute(
                    "UPDATE units SET name = ?, level = ?, parent_id = ?, position = ?, heads = ?, "
                    "updated_at = ? WHERE code = ?",
                    (
                        node.name,
                        node.level,
                        parent_id,
                        position,
                        json.dumps(node.heads),
                        now,
                        node.code,
                    ),
                )
                if written.rowcount:
                    updated += 1
                    continue
                await self.db.execute(
                    "INSERT INTO units (code, name, level, parent_id, position, heads, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        node.code,
                        node.name,
                        node.level,
                        parent_id,
                        position,
                        json.dumps(node.heads),
                        now,
                    ),
                )
                added += 1
        return added, updated

    async def count(self) -> int:
        return int(await self.db.fetch_value("SELECT count(*) FROM units"))

    async def by_code(self, code: str) -> Unit | None:
        row = await self.db.fetch_one(f"SELECT {_COLUMNS} FROM units WHERE code = ?", (code,))
        return _unit(row) if row else None

    async def by_id(self, unit_id: int) -> Unit | None:
        row = await self.db.fetch_one(f"SELECT {_COLUMNS} FROM units WHERE id = ?", (unit_id,))
        return _unit(row) if row else None

    async def children(self, parent_id: int | None) -> list[Unit]:
        rows = await self.db.fetch_all(
            f"SELECT {_COLUMNS} FROM units WHERE parent_id IS ? ORDER BY position", (parent_id,)
        )
        return [_unit(row) for row in rows]

    async def lineage(self, unit_id: int) -> list[Unit]:
        """The unit and its ancestors, the unit first."""
        revision = await self.revision.current()
        if self._lineages is None or self._lineages[0] != revision:
            self._lineages = (revision, {})
        known = self._lineages[1].get(unit_id)
        if known is None:
            known = self._lineages[1][unit_id] = await self._lineage(unit_id)
        return list(known)

    async def _lineage(self, unit_id: int) -> list[Unit]:
        rows = await self.db.fetch_all(
            f"""WITH RECURSIVE up(id, code, name, level, parent_id, heads, depth) AS (
                    SELECT {_COLUMNS}, 0 FROM units WHERE id = ?
                    UNION ALL
                    SELECT u.id, u.code, u.name, u.level, u.parent_id, u.heads, up.depth + 1
                    FROM units u JOIN up ON u.id = up.parent_id)
                SELECT {_COLUMNS} FROM up ORDER BY depth""",
            (unit_id,),
        )
        return [_unit(row) for row in rows]

    async def all(self) -> list[Unit]:
        """Every unit, in the organisation file's order."""
        rows = await self.db.fetch_all(f"SELECT {_COLUMNS} FROM units ORDER BY position")
        return [_unit(row) for row in rows]

    async def subtree(self, codes: list[str]) -> list[Unit]:
        """The units with these codes and everything below them, in tree order."""
        if not codes:
            return []
        marks = ",".join("?" * len(codes))
        rows = await self.db.fetch_all(
            f"""WITH RECURSIVE down(id) AS (
                    SELECT id FROM units WHERE code IN ({marks})
                    UNION SELECT u.id FROM units u JOIN down ON u.parent_id = down.id)
                SELECT {_COLUMNS} FROM units WHERE id IN (SELECT id FROM down)
                ORDER BY position""",
            codes,
        )
        return [_unit(row) for row in rows]
