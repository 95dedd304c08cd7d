from __future__ import annotations

from collections import defaultdict

from bot.domain.records import Attachment, Author, Initiative, InitiativeStatus
from storage.database import Database, Row

_COLUMNS = (
    "id, ref, campaign_id, person_id, title, reform_area, applied_on, description, conditions, "
    "benefits, trialled_by, status, review_comment, updated_at"
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

    async def _many(self, where: str, params: tuple[object, ...]) -> list[Initiative]:
        rows = await self.db.fetch_all(
            f"SELECT {_COLUMNS} FROM initiatives WHERE {where} ORDER BY id", params
        )
        if not rows:
            return []
        # Authors and attachments of every row in one query each, not one per initiative.
        ids = [row["id"] for row in rows]
        marks = ",".join("?" * len(ids))
        authors: dict[int, list[Author]] = defaultdict(list)
        for r in await self.db.fetch_all(
            "SELECT initiative_id, full_name, unit_name, share, person_id FROM initiative_authors "
            f"WHERE initiative_id IN ({marks}) ORDER BY initiative_id, position",
            ids,
        ):
            authors[r[0]].append(Author(r[1], r[2], r[3], r[4]))
        files: dict[int, list[Attachment]] = defaultdict(list)
        for r in await self.db.fetch_all(
            "SELECT initiative_id, file_name, mime_type, size, sha256, stored_path FROM "
            f"attachments WHERE initiative_id IN ({marks}) ORDER BY id",
            ids,
        ):
            files[r[0]].append(Attachment(r[1], r[2], r[3], r[4], r[5]))
        return [_initiative(row, authors[row["id"]], files[row["id"]]) for row in rows]

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
        self, ref: str, campaign_id: str, person_id: int, content: dict[str, str]
    ) -> int:
        now = self.db.now()
        written = await self.db.execute(
            "INSERT INTO initiatives (ref, campaign_id, person_id, title, reform_area, applied_on, "
            "description, conditions, benefits, trialled_by, status, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?)",
            (ref, campaign_id, person_id, *(content[f] for f in CONTENT_FIELDS), now, now),
        )
        assert written.lastrowid is not None
        return written.lastrowid

    async def replace_content(self, initiative_id: int, content: dict[str, str]) -> None:
        """The author's resubmission: content replaced, back to 'submitted'."""
        assignments = ", ".join(f"{f} = ?" for f in CONTENT_FIELDS)
        await self.db.execute(
            f"UPDATE initiatives SET {assignments}, status = 'submitted', updated_at = ? "
            "WHERE id = ?",
            (*(content[f] for f in CONTENT_FIELDS), self.db.now(), initiative_id),
        )

    async def replace_authors(self, initiative_id: int, authors: list[Author]) -> None:
        await self.db.execute(
            "DELETE FROM initiative_authors WHERE initiative_id = ?", (initiative_id,)
        )
        await self.db.execute_many(
            "INSERT INTO initiative_authors (initiative_id, position, full_name, unit_name, share, "
            "person_id) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (initiative_id, n, a.full_name, a.unit_name, a.share, a.person_id)
                for n, a in enumerate(authors)
            ],
        )

    async def add_attachments(self, initiative_id: int, attachments: list[Attachment]) -> None:
        now = self.db.now()
        await self.db.execute_many(
            "INSERT INTO attachments (initiative_id, file_name, mime_type, size, sha256, "
            "stored_path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (initiative_id, a.file_name, a.mime_type, a.size, a.sha256, a.stored_path, now)
                for a in attachments
            ],
        )

    async def set_status(
        self,
        initiative_id: int,
        expected: InitiativeStatus,
        status: InitiativeStatus,
        comment: str | None = None,
    ) -> bool:
        written = await self.db.execute(
            "UPDATE initiatives SET status = ?, review_comment = COALESCE(?, review_comment), "
            "updated_at = ? WHERE id = ? AND status = ?",
            (status, comment, self.db.now(), initiative_id, expected),
        )
        return written.rowcount == 1


def _initiative(row: Row, authors: list[Author], attachments: list[Attachment]) -> Initiative:
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
        row["updated_at"],
    )
