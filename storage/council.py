"""The Council's records: how bodies are written on papers, the Councils and their members,
the award history, achievement reports, and the secret ballots."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from bot.textmatch import fold
from storage.database import Database, Row


@dataclass(frozen=True)
class IssuingBody:
    """A body as its papers name it (NĐ 30/2020): "Ủy ban nhân dân tỉnh Sóc Trăng", UBND."""

    unit_id: int
    name: str
    abbreviation: str = ""
    place: str = ""
    signer: str = ""  # the signer's title on its papers: CHỦ TỊCH, GIÁM ĐỐC
    on_behalf: str = ""  # TM. ỦY BAN NHÂN DÂN, KT. GIÁM ĐỐC …


@dataclass(frozen=True)
class Council:
    id: int
    unit_id: int
    secretariat_id: int | None
    name: str


@dataclass(frozen=True)
class Member:
    id: int
    council_id: int
    full_name: str
    role: str
    channel: str
    external_id: str


@dataclass(frozen=True)
class MemberLine:
    full_name: str
    role: str
    channel: str
    external_id: str


class CouncilRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def save_body(self, body: IssuingBody) -> None:
        await self.db.execute(
            "INSERT INTO issuing_bodies (unit_id, name, abbreviation, place, signer, on_behalf) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (unit_id) DO UPDATE SET name = excluded.name, "
            "abbreviation = excluded.abbreviation, place = excluded.place, "
            "signer = excluded.signer, on_behalf = excluded.on_behalf",
            (body.unit_id, body.name, body.abbreviation, body.place, body.signer, body.on_behalf),
        )

    async def body(self, unit_id: int) -> IssuingBody | None:
        row = await self.db.fetch_one(
            "SELECT unit_id, name, abbreviation, place, signer, on_behalf FROM issuing_bodies "
            "WHERE unit_id = ?",
            (unit_id,),
        )
        return IssuingBody(*row) if row else None

    async def save_council(
        self, unit_id: int, secretariat_id: int | None, name: str, members: Sequence[MemberLine]
    ) -> int:
        """The Council and its whole membership as the file lists it: a member left out is no
        longer active (kept, as earlier ballots count them)."""
        async with self.db.transaction():
            rows = await self.db.returning(
                "INSERT INTO councils (unit_id, secretariat_id, name) VALUES (?, ?, ?) "
                "ON CONFLICT (unit_id) DO UPDATE SET secretariat_id = excluded.secretariat_id, "
                "name = excluded.name RETURNING id",
                (unit_id, secretariat_id, name),
            )
            council_id = int(rows[0][0])
            await self.db.execute(
                "UPDATE council_members SET active = 0 WHERE council_id = ?", (council_id,)
            )
            for position, m in enumerate(members):
                await self.db.execute(
                    "INSERT INTO council_members (council_id, full_name, role, channel, "
                    "external_id, position, active) VALUES (?, ?, ?, ?, ?, ?, 1) "
                    "ON CONFLICT (council_id, channel, external_id) DO UPDATE SET "
                    "full_name = excluded.full_name, role = excluded.role, "
                    "position = excluded.position, active = 1",
                    (council_id, m.full_name, m.role, m.channel, m.external_id, position),
                )
        return council_id

    async def council_of(self, unit_ids: Sequence[int]) -> Council | None:
        """The first of these units (a unit, then its ancestors) that has a Council."""
        for unit_id in unit_ids:
            row = await self.db.fetch_one(
                "SELECT id, unit_id, secretariat_id, name FROM councils WHERE unit_id = ?",
                (unit_id,),
            )
            if row:
                return Council(*row)
        return None

    async def council(self, council_id: int) -> Council | None:
        row = await self.db.fetch_one(
            "SELECT id, unit_id, secretariat_id, name FROM councils WHERE id = ?", (council_id,)
        )
        return Council(*row) if row else None

    async def members(self, council_id: int) -> list[Member]:
        rows = await self.db.fetch_all(
            "SELECT id, council_id, full_name, role, channel, external_id FROM council_members "
            "WHERE council_id = ? AND active = 1 ORDER BY position",
            (council_id,),
        )
        return [Member(*r) for r in rows]

    async def memberships(self, accounts: Sequence[tuple[str, str]]) -> list[Member]:
        """The active memberships of these messenger accounts (one person's)."""
        found: list[Member] = []
        for channel, external_id in accounts:
            rows = await self.db.fetch_all(
                "SELECT id, council_id, full_name, role, channel, external_id FROM "
                "council_members WHERE channel = ? AND external_id = ? AND active = 1",
                (channel, external_id),
            )
            found += [Member(*r) for r in rows]
        return found


# --- award history ------------------------------------------------------------------------
@dataclass(frozen=True)
class Award:
    kind: str  # individual | collective
    full_name: str
    unit_name: str
    year: int
    title: str
    granted_by: str = ""
    decision_number: str = ""
    decision_date: str = ""  # dd/mm/yyyy as written on the decision
    person_id: int | None = None
    unit_id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.title} ({self.granted_by})" if self.granted_by else self.title


def _award(row: Row) -> Award:
    return Award(
        row["kind"],
        row["full_name"],
        row["unit_name"],
        row["year"],
        row["title"],
        row["granted_by"],
        row["decision_number"],
        row["decision_date"],
        row["person_id"],
        row["unit_id"],
    )


_AWARD = (
    "kind, full_name, unit_name, year, title, granted_by, decision_number, decision_date, "
    "person_id, unit_id"
)


class AwardHistory:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, awards: Sequence[Award], source: str) -> int:
        """Added, or the same award (person, unit, year, title, granted by) updated with the
        decision's number and date; returns how many rows were written."""
        written = 0
        now = self.db.now()
        async with self.db.transaction():
            for a in awards:
                done = await self.db.execute(
                    "INSERT INTO award_history (kind, full_name, folded, unit_name, person_id, "
                    "unit_id, year, title, granted_by, decision_number, decision_date, source, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (kind, folded, unit_name, year, title, granted_by) DO UPDATE SET "
                    "decision_number = excluded.decision_number, "
                    "decision_date = excluded.decision_date, "
                    "person_id = coalesce(excluded.person_id, award_history.person_id), "
                    "unit_id = coalesce(excluded.unit_id, award_history.unit_id)",
                    (
                        a.kind,
                        a.full_name,
                        fold(a.full_name),
                        a.unit_name,
                        a.person_id,
                        a.unit_id,
                        a.year,
                        a.title,
                        a.granted_by,
                        a.decision_number,
                        a.decision_date,
                        source,
                        now,
                    ),
                )
                written += done.rowcount
        return written

    async def of_person(
        self, person_id: int, full_name: str, unit_names: Sequence[str]
    ) -> list[Award]:
        """Linked to the person, or imported under their name in one of their units."""
        marks = ", ".join("?" for _ in unit_names) or "''"
        rows = await self.db.fetch_all(
            f"SELECT {_AWARD} FROM award_history WHERE kind = 'individual' AND (person_id = ? "
            f"OR (person_id IS NULL AND folded = ? AND (unit_name IN ({marks}) OR unit_name = ''"
            ")) ) ORDER BY year DESC, title",
            (person_id, fold(full_name), *unit_names),
        )
        return [_award(r) for r in rows]

    async def of_unit(self, unit_id: int, unit_name: str) -> list[Award]:
        """The unit's own (collective) awards and its members' (individual) ones."""
        rows = await self.db.fetch_all(
            f"SELECT {_AWARD} FROM award_history WHERE unit_id = ? OR unit_name = ? "
            "ORDER BY year DESC, kind, full_name",
            (unit_id, unit_name),
        )
        return [_award(r) for r in rows]

    async def search(self, name: str, limit: int = 30) -> list[Award]:
        """By name, with or without diacritics: every word typed, in order."""
        pattern = "%" + "%".join(fold(name).split()) + "%"
        rows = await self.db.fetch_all(
            f"SELECT {_AWARD} FROM award_history WHERE folded LIKE ? "
            "ORDER BY folded, year DESC LIMIT ?",
            (pattern, limit),
        )
        return [_award(r) for r in rows]

    async def of_collective(self, unit_id: int, unit_name: str) -> list[Award]:
        rows = await self.db.fetch_all(
            f"SELECT {_AWARD} FROM award_history WHERE kind = 'collective' AND "
            "(unit_id = ? OR (unit_id IS NULL AND folded = ?)) ORDER BY year DESC",
            (unit_id, fold(unit_name)),
        )
        return [_award(r) for r in rows]


# --- achievement reports ---------------------------------------------------------------------
@dataclass(frozen=True)
class Report:
    pledge_id: int
    answers: dict[str, str]
    status: str  # requested | submitted | confirmed
    filed_by: int | None
    confirmed_by: int | None


class AchievementReports:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, pledge_id: int) -> Report | None:
        row = await self.db.fetch_one(
            "SELECT pledge_id, answers, status, filed_by, confirmed_by FROM achievement_reports "
            "WHERE pledge_id = ?",
            (pledge_id,),
        )
        if row is None:
            return None
        return Report(row[0], json.loads(row[1]), row[2], row[3], row[4])

    async def request(self, pledge_id: int) -> bool:
        written = await self.db.execute(
            "INSERT INTO achievement_reports (pledge_id, status, updated_at) "
            "VALUES (?, 'requested', ?) ON CONFLICT DO NOTHING",
            (pledge_id, self.db.now()),
        )
        return written.rowcount == 1

    async def file(self, pledge_id: int, answers: dict[str, str], by: int, confirmed: bool) -> None:
        status = "confirmed" if confirmed else "submitted"
        await self.db.execute(
            "INSERT INTO achievement_reports (pledge_id, answers, status, filed_by, confirmed_by, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pledge_id) DO UPDATE SET "
            "answers = excluded.answers, status = excluded.status, filed_by = excluded.filed_by, "
            "confirmed_by = excluded.confirmed_by, updated_at = excluded.updated_at",
            (
                pledge_id,
                json.dumps(answers, ensure_ascii=False),
                status,
                by,
                by if confirmed else None,
                self.db.now(),
            ),
        )

    async def confirm(self, pledge_id: int, by: int) -> bool:
        written = await self.db.execute(
            "UPDATE achievement_reports SET status = 'confirmed', confirmed_by = ?, "
            "updated_at = ? WHERE pledge_id = ? AND status = 'submitted'",
            (by, self.db.now(), pledge_id),
        )
        return written.rowcount == 1

    async def of_pledges(self, pledge_ids: Sequence[int]) -> dict[int, Report]:
        found: dict[int, Report] = {}
        for pledge_id in pledge_ids:
            report = await self.get(pledge_id)
            if report is not None:
                found[pledge_id] = report
        return found


# --- ballots --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Ballot:
    id: int
    campaign_id: str
    year: int
    council_id: int
    members: int
    opened_at: str
    closes_at: str
    closed_at: str | None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


@dataclass(frozen=True)
class Nominee:
    pledge_id: int
    position: int
    award_index: int
    share: float
    strict: bool
    yes: int
    no: int


@dataclass(frozen=True)
class Decision:
    number: str
    signed_on: str
    recorded_at: str


_BALLOT = "id, campaign_id, year, council_id, members, opened_at, closes_at, closed_at"


class Ballots:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def open(
        self,
        campaign_id: str,
        year: int,
        council_id: int,
        members: int,
        opened_by: int,
        closes_at: str,
        nominees: Sequence[tuple[int, int, float, bool]],
    ) -> int | None:
        """A ballot for the year's list; None when one was opened already (never twice)."""
        async with self.db.transaction():
            rows = await self.db.returning(
                "INSERT INTO ballots (campaign_id, year, council_id, members, opened_at, "
                "opened_by, closes_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING "
                "RETURNING id",
                (campaign_id, year, council_id, members, self.db.now(), opened_by, closes_at),
            )
            if not rows:
                return None
            ballot_id = int(rows[0][0])
            await self.db.execute_many(
                "INSERT INTO ballot_nominees (ballot_id, pledge_id, position, award_index, share, "
                "strict) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (ballot_id, pledge_id, n, award_index, share, int(strict))
                    for n, (pledge_id, award_index, share, strict) in enumerate(nominees)
                ],
            )
        return ballot_id

    async def of_year(self, campaign_id: str, year: int) -> Ballot | None:
        row = await self.db.fetch_one(
            f"SELECT {_BALLOT} FROM ballots WHERE campaign_id = ? AND year = ?", (campaign_id, year)
        )
        return Ballot(*row) if row else None

    async def by_id(self, ballot_id: int) -> Ballot | None:
        row = await self.db.fetch_one(f"SELECT {_BALLOT} FROM ballots WHERE id = ?", (ballot_id,))
        return Ballot(*row) if row else None

    async def open_for(self, council_ids: Sequence[int]) -> list[Ballot]:
        marks = ", ".join("?" for _ in council_ids) or "NULL"
        rows = await self.db.fetch_all(
            f"SELECT {_BALLOT} FROM ballots WHERE closed_at IS NULL AND council_id IN ({marks}) "
            "ORDER BY id",
            tuple(council_ids),
        )
        return [Ballot(*r) for r in rows]

    async def nominees(self, ballot_id: int) -> list[Nominee]:
        rows = await self.db.fetch_all(
            "SELECT pledge_id, position, award_index, share, strict, yes, no FROM "
            "ballot_nominees WHERE ballot_id = ? ORDER BY position",
            (ballot_id,),
        )
        return [Nominee(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6]) for r in rows]

    async def voted_on(self, ballot_id: int, member_id: int) -> set[int]:
        rows = await self.db.fetch_all(
            "SELECT pledge_id FROM ballot_voters WHERE ballot_id = ? AND member_id = ?",
            (ballot_id, member_id),
        )
        return {int(r[0]) for r in rows}

    async def attend(self, ballot_id: int, member_id: int, written: bool) -> None:
        """Present, or absent with a written opinion; the first answer stands."""
        await self.db.execute(
            "INSERT INTO ballot_attendance (ballot_id, member_id, written) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (ballot_id, member_id, int(written)),
        )

    async def attendance(self, ballot_id: int) -> dict[int, bool]:
        rows = await self.db.fetch_all(
            "SELECT member_id, written FROM ballot_attendance WHERE ballot_id = ?", (ballot_id,)
        )
        return {int(r[0]): bool(r[1]) for r in rows}

    async def vote(self, ballot_id: int, member_id: int, pledge_id: int, agree: bool) -> bool:
        """One member's vote on one nominee, once, while the ballot is open. The marker that
        they voted carries no choice; the choice only moves a count."""
        async with self.db.transaction():
            marked = await self.db.execute(
                "INSERT INTO ballot_voters (ballot_id, member_id, pledge_id) SELECT ?, ?, ? "
                "WHERE EXISTS (SELECT 1 FROM ballots WHERE id = ? AND closed_at IS NULL) "
                "AND EXISTS (SELECT 1 FROM ballot_nominees WHERE ballot_id = ? AND pledge_id = ?) "
                "ON CONFLICT DO NOTHING",
                (ballot_id, member_id, pledge_id, ballot_id, ballot_id, pledge_id),
            )
            if marked.rowcount != 1:
                return False
            column = "yes" if agree else "no"
            await self.db.execute(
                f"UPDATE ballot_nominees SET {column} = {column} + 1 "
                "WHERE ballot_id = ? AND pledge_id = ?",
                (ballot_id, pledge_id),
            )
        return True

    async def voters_done(self, ballot_id: int) -> int:
        """Members who have voted on every nominee."""
        value = await self.db.fetch_value(
            "SELECT count(*) FROM (SELECT member_id FROM ballot_voters WHERE ballot_id = ? "
            "GROUP BY member_id HAVING count(*) = "
            "(SELECT count(*) FROM ballot_nominees WHERE ballot_id = ?))",
            (ballot_id, ballot_id),
        )
        return int(value or 0)

    async def close(self, ballot_id: int) -> bool:
        """Closed once, for good: there is no statement that reopens a ballot."""
        written = await self.db.execute(
            "UPDATE ballots SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
            (self.db.now(), ballot_id),
        )
        return written.rowcount == 1

    async def record_decision(self, ballot_id: int, number: str, signed_on: str, by: int) -> bool:
        written = await self.db.execute(
            "INSERT INTO award_decisions (ballot_id, number, signed_on, recorded_by, recorded_at) "
            "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM ballots WHERE id = ? AND closed_at "
            "IS NOT NULL) ON CONFLICT DO NOTHING",
            (ballot_id, number, signed_on, by, self.db.now(), ballot_id),
        )
        return written.rowcount == 1

    async def decision(self, ballot_id: int) -> Decision | None:
        row = await self.db.fetch_one(
            "SELECT number, signed_on, recorded_at FROM award_decisions WHERE ballot_id = ?",
            (ballot_id,),
        )
        return Decision(*row) if row else None
