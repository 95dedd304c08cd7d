from __future__ import annotations

import aiosqlite


async def next_ref(conn: aiosqlite.Connection, prefix: str, year: int) -> str:
    """The next human reference, e.g. TD-2026-0012, inside the caller's transaction."""
    cursor = await conn.execute(
        "INSERT INTO ref_counters (prefix, year, last) VALUES (?, ?, 1) "
        "ON CONFLICT (prefix, year) DO UPDATE SET last = last + 1 RETURNING last",
        (prefix, year),
    )
    row = await cursor.fetchone()
    assert row is not None
    return f"{prefix}-{year}-{int(row[0]):04d}"
