from __future__ import annotations

import json
from collections.abc import Sequence

import aiosqlite

from bot.domain.organisation import UnitNode
from bot.domain.records import Unit
from storage.database import Database, utc_now

_COLUMNS = "id, code, name, level, parent_id, heads"


def _unit(row: aiosqlite.Row) -> Unit:
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

    async def upsert_tree(self, units: Sequence[tuple[UnitNode, str | None]]) -> tuple[int, int]:
        """Insert or update units given parent-first; returns (added, updated)."""
        added = updated = 0
        async with self.db.transaction() as conn:
            for position, (node, parent_code) in enumerate(units):
                parent_id = None
                if parent_code is not None:
                    cursor = await conn.execute(
                        "SELECT id FROM units WHERE code = ?", (parent_code,)
                    )
                    row = await cursor.fetchone()
                    parent_id = row["id"] if row else None
                cursor = await conn.execute(
                    "UPDATE units SET name = ?, level = ?, parent_id = ?, position = ?, heads = ?, "
                    "updated_at = ? WHERE code = ?",
                    (
                        node.name,
                        node.level,
                        parent_id,
                        position,
                        json.dumps(node.heads),
                        utc_now(),
                        node.code,
                    ),
                )
                if cursor.rowcount:
                    updated += 1
                    continue
                await conn.execute(
                    "INSERT INTO units (code, name, level, parent_id, position, heads, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        node.code,
                        node.name,
                        node.level,
                        parent_id,
                        position,
                        json.dumps(node.heads),
                        utc_now(),
                    ),
                )
                added += 1
        return added, updated

    async def count(self) -> int:
        async with self.db.conn.execute("SELECT count(*) FROM units") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def by_code(self, code: str) -> Unit | None:
        async with self.db.conn.execute(
            f"SELECT {_COLUMNS} FROM units WHERE code = ?", (code,)
        ) as cursor:
            row = await cursor.fetchone()
        return _unit(row) if row else None

    async def by_id(self, unit_id: int) -> Unit | None:
        async with self.db.conn.execute(
            f"SELECT {_COLUMNS} FROM units WHERE id = ?", (unit_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return _unit(row) if row else None

    async def children(self, parent_id: int | None) -> list[Unit]:
        async with self.db.conn.execute(
            f"SELECT {_COLUMNS} FROM units WHERE parent_id IS ? ORDER BY position", (parent_id,)
        ) as cursor:
            return [_unit(row) for row in await cursor.fetchall()]

    async def lineage(self, unit_id: int) -> list[Unit]:
        """The unit and its ancestors, the unit first."""
        async with self.db.conn.execute(
            f"""WITH RECURSIVE up(id, code, name, level, parent_id, heads, depth) AS (
                    SELECT {_COLUMNS}, 0 FROM units WHERE id = ?
                    UNION ALL
                    SELECT u.id, u.code, u.name, u.level, u.parent_id, u.heads, up.depth + 1
                    FROM units u JOIN up ON u.id = up.parent_id)
                SELECT {_COLUMNS} FROM up ORDER BY depth""",
            (unit_id,),
        ) as cursor:
            return [_unit(row) for row in await cursor.fetchall()]

    async def subtree(self, codes: list[str]) -> list[Unit]:
        """The units with these codes and everything below them, in tree order."""
        if not codes:
            return []
        marks = ",".join("?" * len(codes))
        async with self.db.conn.execute(
            f"""WITH RECURSIVE down(id) AS (
                    SELECT id FROM units WHERE code IN ({marks})
                    UNION SELECT u.id FROM units u JOIN down ON u.parent_id = down.id)
                SELECT {_COLUMNS} FROM units WHERE id IN (SELECT id FROM down)
                ORDER BY position""",
            codes,
        ) as cursor:
            return [_unit(row) for row in await cursor.fetchall()]
