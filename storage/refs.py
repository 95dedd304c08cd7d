from __future__ import annotations

from storage.database import Database


async def next_ref(db: Database, prefix: str, year: int) -> str:
    """The next human reference, e.g. TD-2026-0012, inside the caller's unit of work."""
    last = await db.returning(
        "INSERT INTO ref_counters (prefix, year, last) VALUES (?, ?, 1) "
        "ON CONFLICT (prefix, year) DO UPDATE SET last = last + 1 RETURNING last",
        (prefix, year),
    )
    return f"{prefix}-{year}-{int(last[0][0]):04d}"
