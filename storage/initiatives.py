from __future__ import annotations

import aiosqlite

from bot.domain.records import Attachment, Author, Initiative, InitiativeStatus
from storage.database import Database, utc_now

_COLUMNS = (
    "id, ref, campaign_id, person_id, title, reform_area, applied_on, description, conditions, "
    "benefits, trialled_by, status, review_comment"
)
CONTENT_FIELDS = (
    "title",
    "reform_area",
    "applied_on",
    "description",
    "conditions",
    "benefits",
    "trialled_by",
)


class InitiativeRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _load(self, row: aiosqlite.Row) -> Initiative:
        conn = self.db.conn
        async with conn.execute(
            "SELECT full_name, unit_name, share, person_id FROM initiative_authors "
            "WHERE initiative_id = ? ORDER BY position",
            (row["id"],),
        ) as cur:
            authors = [Author(*r) for r in await cur.fetchall()]
        async with conn.execute(
            "SELECT file_name, mime_type, size, sha256, stored_path FROM attachments "
            "WHERE initiative_id = ? ORDER BY id",
            (row["id"],),
        ) as cur:
            attachments = [Attachment(*r) for r in await cur.fetchall()]
        return Initiative(
            row["id"],
            row["ref"],
            row["campaign_id"],
            row["person_id"],
            row["title"],
            row["reform_area"],
            row["applied_on"],
            row["description"],
            row["conditions"],
            row["benefits"],
            row["trialled_by"],
            row["status"],
            row["review_comment"],
            authors,
            attachments,
        )

    async def _many(self, where: str, params: tuple[object, ...]) -> list[Initiative]:
        async with self.db.conn.execute(
            f"SELECT {_COLUMNS} FROM initiatives WHERE {where} ORDER BY id", params
        ) as cur:
            rows = await cur.fetchall()
        return [await self._load(row) for row in rows]

    async def by_id(self, initiative_id: int) -> Initiative | None:
        return next(iter(await self._many("id = ?", (initiative_id,))), None)

    async def by_ref(self, ref: str) -> Initiative | None:
        return next(iter(await self._many("ref = ?", (ref.upper(),))), None)

    async def of_person(self, person_id: int) -> list[Initiative]:
        return await self._many("person_id = ? AND status != 'withdrawn'", (person_id,))

    async def with_status(self, statuses: tuple[str, ...]) -> list[Initiative]:
        """Oldest first: the order the secretariat works through them."""
        return await self._many(f"status IN ({','.join('?' * len(statuses))})", statuses)

    async def of_campaign(self, campaign_id: str) -> list[Initiative]:
        return await self._many("campaign_id = ? AND status != 'withdrawn'", (campaign_id,))

    async def insert(
        self,
        conn: aiosqlite.Connection,
        ref: str,
        campaign_id: str,
        person_id: int,
        content: dict[str, str],
    ) -> int:
        now = utc_now()
        cursor = await conn.execute(
            "INSERT INTO initiatives (ref, campaign_id, person_id, title, reform_area, applied_on, "
            "description, conditions, benefits, trialled_by, status, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?)",
            (ref, campaign_id, person_id, *(content[f] for f in CONTENT_FIELDS), now, now),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def replace_content(
        self, conn: aiosqlite.Connection, initiative_id: int, content: dict[str, str]
    ) -> None:
        """The author's resubmission: content replaced, back to 'submitted'."""
        assignments = ", ".join(f"{f} = ?" for f in CONTENT_FIELDS)
        await conn.execute(
            f"UPDATE initiatives SET {assignments}, status = 'submitted', updated_at = ? "
            "WHERE id = ?",
            (*(content[f] for f in CONTENT_FIELDS), utc_now(), initiative_id),
        )

    async def replace_authors(
        self, conn: aiosqlite.Connection, initiative_id: int, authors: list[Author]
    ) -> None:
        await conn.execute(
            "DELETE FROM initiative_authors WHERE initiative_id = ?", (initiative_id,)
        )
        await conn.executemany(
            "INSERT INTO initiative_authors (initiative_id, position, full_name, unit_name, share, "
            "person_id) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (initiative_id, n, a.full_name, a.unit_name, a.share, a.person_id)
                for n, a in enumerate(authors)
            ],
        )

    async def add_attachments(
        self, conn: aiosqlite.Connection, initiative_id: int, attachments: list[Attachment]
    ) -> None:
        await conn.executemany(
            "INSERT INTO attachments (initiative_id, file_name, mime_type, size, sha256, "
            "stored_path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    initiative_id,
                    a.file_name,
                    a.mime_type,
                    a.size,
                    a.sha256,
                    a.stored_path,
                    utc_now(),
                )
                for a in attachments
            ],
        )

    async def set_status(
        self,
        conn: aiosqlite.Connection,
        initiative_id: int,
        expected: InitiativeStatus,
        status: InitiativeStatus,
        comment: str | None = None,
    ) -> bool:
        cursor = await conn.execute(
            "UPDATE initiatives SET status = ?, review_comment = COALESCE(?, review_comment), "
            "updated_at = ? WHERE id = ? AND status = ?",
            (status, comment, utc_now(), initiative_id, expected),
        )
        return cursor.rowcount == 1
