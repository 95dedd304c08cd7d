"""The Council's work as the bot does it: who qualifies for what (by the rules' data), the
achievement reports, the secret ballot on a closed list, and the signed decision, each change
committed with its audit entry and the notices it causes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.council.rules import Facts, Rules, Verdict, passes
from bot.domain.campaign import Campaign
from bot.domain.records import Person, Pledge
from bot.services.records import Notice, RecordService
from bot.textmatch import fold
from storage.audit import record_event
from storage.council import (
    AchievementReports,
    Award,
    AwardHistory,
    Ballot,
    Ballots,
    Council,
    CouncilRepository,
    Member,
    Nominee,
)
from storage.database import Database
from storage.people import PersonRepository
from storage.roster import RosterRepository
from storage.units import UnitRepository


@dataclass(frozen=True)
class Tally:
    """One nominee's count against the whole membership."""

    nominee: Nominee
    members: int

    @property
    def passed(self) -> bool:
        n = self.nominee
        return passes(n.yes, self.members, n.share, n.strict)

    @property
    def percent(self) -> float:
        return 100 * self.nominee.yes / self.members if self.members else 0.0


class CouncilService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        rules: Rules,
        units: UnitRepository,
        persons: PersonRepository,
        roster: RosterRepository,
        records: RecordService,
    ) -> None:
        self.db = db
        self.clock = clock
        self.rules = rules
        self.units = units
        self.persons = persons
        self.roster = roster
        self.records = records
        self.repo = CouncilRepository(db)
        self.history = AwardHistory(db)
        self.reports = AchievementReports(db)
        self.ballots = Ballots(db)

    # --- who is who -----------------------------------------------------------------------
    async def council_for(self, campaign: Campaign) -> Council | None:
        """The Council above the campaign's units (the nearest body that has one)."""
        for code in campaign.participants.units:
            unit = await self.units.by_code(code)
            if unit is None:
                continue
            council = await self.repo.council_of([u.id for u in await self.units.lineage(unit.id)])
            if council is not None:
                return council
        return None

    async def memberships(self, person: Person) -> list[Member]:
        accounts = await self.persons.accounts_of(person.id)
        return await self.repo.memberships(accounts or [(person.channel, person.external_id)])

    async def unit_names(self, unit_id: int | None) -> list[str]:
        if unit_id is None:
            return []
        return [u.name for u in await self.units.lineage(unit_id)]

    # --- eligibility ----------------------------------------------------------------------
    async def awards_of(self, pledge: Pledge) -> list[Award]:
        """Earlier titles and awards of the pledge's person (or unit, for a collective)."""
        if pledge.kind == "collective":
            return await self.history.of_collective(pledge.unit_id, pledge.filed_unit)
        names = await self.unit_names(pledge.unit_id)
        return await self.history.of_person(pledge.person_id, pledge.filed_name, names)

    async def recognised_initiatives(self, pledge: Pledge) -> list[Any]:
        if pledge.kind == "collective":
            return []
        return [
            i
            for i in await self.records.initiatives.of_person(pledge.person_id)
            if i.status == "recognised"
        ] + [
            i
            for i in await self.records.initiatives.with_status(("recognised",))
            if i.person_id != pledge.person_id
            and any(a.person_id == pledge.person_id for a in i.authors)
        ]

    async def check(self, pledge: Pledge, campaign: Campaign, award_index: int) -> Verdict:
        award = campaign.awards[award_index]
        rule = self.rules.rule_for(award.form, award.recipients)
        if rule is None:
            return Verdict(None)
        titles: dict[int, set[str]] = {}
        for a in await self.awards_of(pledge):
            titles.setdefault(a.year, set()).add(fold(a.title))
        years = {int(i.ref.split("-")[1]) for i in await self.recognised_initiatives(pledge)}
        proposed = int(
            await self.db.fetch_value(
                "SELECT count(*) FROM award_proposals ap JOIN pledges p ON p.id = ap.pledge_id "
                "WHERE ap.campaign_id = ? AND ap.award_index = ? AND p.year = ? AND p.unit_id = ? "
                "AND ap.suggested = 0 AND ap.pledge_id != ?",
                (campaign.id, award_index, pledge.year, pledge.unit_id, pledge.id),
            )
        )
        staff = len(await self.roster.of_units([pledge.unit_id]))
        facts = Facts(pledge.year, titles, years, proposed + 1, staff)
        return self.rules.check(award.form, award.recipients, facts)

    # --- achievement reports --------------------------------------------------------------
    async def file_report(
        self,
        actor: Person,
        pledge: Pledge,
        answers: dict[str, str],
        confirmed: bool,
        notices: list[Notice],
    ) -> None:
        async with self.db.transaction():
            await self.reports.file(pledge.id, answers, actor.id, confirmed)
            await record_event(
                self.db,
                actor,
                "pledge",
                pledge.ref,
                "achievement_report",
                new={"status": "confirmed" if confirmed else "submitted"},
            )
            await self.records.notify(notices)

    async def confirm_report(self, actor: Person, pledge: Pledge, notices: list[Notice]) -> bool:
        async with self.db.transaction():
            if not await self.reports.confirm(pledge.id, actor.id):
                return False
            await record_event(self.db, actor, "pledge", pledge.ref, "achievement_confirmed")
            await self.records.notify(notices)
        return True

    # --- the ballot -----------------------------------------------------------------------
    async def open_ballot(
        self,
        actor: Person,
        campaign: Campaign,
        year: int,
        council: Council,
        closes_at: datetime,
        nominees: Sequence[tuple[int, int]],
        notices_for: Any,
    ) -> Ballot | None:
        """`nominees`: (pledge, award index) in list order; each carries its award form's
        threshold as the rules say now. `notices_for(members, ballot)` gives the notices."""
        members = await self.repo.members(council.id)
        rows = []
        for pledge_id, index in nominees:
            threshold = self.rules.threshold_for(campaign.awards[index].form)
            rows.append((pledge_id, index, threshold.share, threshold.strict))
        closes = closes_at.astimezone(self.clock.zone).isoformat(timespec="seconds")
        async with self.db.transaction():
            ballot_id = await self.ballots.open(
                campaign.id, year, council.id, len(members), actor.id, closes, rows
            )
            if ballot_id is None:
                return None
            ballot = await self.ballots.by_id(ballot_id)
            assert ballot is not None
            await record_event(
                self.db,
                actor,
                "ballot",
                str(ballot_id),
                "open",
                new={
                    "campaign": campaign.id,
                    "year": year,
                    "closes": closes,
                    "members": len(members),
                    "nominees": len(rows),
                },
            )
            await self.records.notify(await notices_for(members, ballot))
        return ballot

    def due(self, ballot: Ballot) -> bool:
        return self.clock.now() >= datetime.fromisoformat(ballot.closes_at)

    async def refresh(self, ballot: Ballot) -> Ballot:
        """Closed at its time, or once every member has voted on every nominee."""
        if ballot.closed:
            return ballot
        everyone = await self.ballots.voters_done(ballot.id) >= ballot.members
        if self.due(ballot) or everyone:
            async with self.db.transaction():
                if await self.ballots.close(ballot.id):
                    await self.db.execute_soon(
                        "INSERT INTO audit_log (at, actor_id, channel, entity, entity_id, action, "
                        "new) VALUES (?, NULL, 'bot', 'ballot', ?, 'close', ?)",
                        (
                            self.db.now(),
                            str(ballot.id),
                            '{"by": "all voted"}' if everyone else '{"by": "time"}',
                        ),
                    )
        fresh = await self.ballots.by_id(ballot.id)
        assert fresh is not None
        return fresh

    async def tallies(self, ballot: Ballot) -> list[Tally]:
        return [Tally(n, ballot.members) for n in await self.ballots.nominees(ballot.id)]

    async def vote(
        self, actor: Person, ballot: Ballot, member: Member, pledge_id: int, agree: bool
    ) -> bool:
        """Recorded once; the audit says that the member voted, never how."""
        async with self.db.transaction():
            if self.due(ballot) or not await self.ballots.vote(
                ballot.id, member.id, pledge_id, agree
            ):
                return False
        return True

    async def record_decision(
        self,
        actor: Person,
        ballot: Ballot,
        campaign: Campaign,
        number: str,
        signed_on: str,
        passed: Sequence[Pledge],
        notices: list[Notice],
    ) -> bool:
        """The signed decision: its number and date, the award history of each person and unit
        it awards, and their notices, together."""
        awards = []
        for pledge in passed:
            index = next(
                n.award_index
                for n in await self.ballots.nominees(ballot.id)
                if n.pledge_id == pledge.id
            )
            award = campaign.awards[index]
            collective = pledge.kind == "collective"
            awards.append(
                Award(
                    pledge.kind,
                    pledge.filed_unit if collective else pledge.filed_name,
                    pledge.filed_unit,
                    pledge.year,
                    award.form,
                    award.granted_by,
                    number,
                    signed_on,
                    None if collective else pledge.person_id,
                    pledge.unit_id,
                )
            )
        async with self.db.transaction():
            if not await self.ballots.record_decision(ballot.id, number, signed_on, actor.id):
                return False
            await self.history.add(awards, "decision")
            await record_event(
                self.db,
                actor,
                "ballot",
                str(ballot.id),
                "decision",
                new={"number": number, "signed_on": signed_on, "awarded": [p.ref for p in passed]},
            )
            await self.records.notify(notices)
        return True
