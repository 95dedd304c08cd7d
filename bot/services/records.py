"""Pledges and initiatives: the rules of their life, each change committed with its audit event
and the notices it causes, so nothing acknowledged is ever lost."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.domain.campaign import Campaign
from bot.domain.records import (
    INITIATIVE_EDITABLE,
    PLEDGE_EDITABLE,
    Attachment,
    Author,
    Initiative,
    InitiativeStatus,
    Person,
    Pledge,
    PledgeKind,
    PledgeStatus,
)
from bot.engine.events import OutgoingFile
from bot.i18n import as_plain
from storage.audit import record_event
from storage.awards import AwardProposals, NominationLists
from storage.database import Database
from storage.initiatives import InitiativeRepository
from storage.outbox import Outbox
from storage.pledges import PledgeRepository
from storage.refs import next_ref


@dataclass(frozen=True)
class QuotaCheck:
    """The outcome of proposing a pledge for an award: how many are used of how many."""

    accepted: bool
    used: int
    quota: int | None
    period: str
    closed: bool = False  # the year's list has gone to the Council


@dataclass(frozen=True)
class Notice:
    """A message for someone other than the person chatting (or for them, later)."""

    person: Person
    text: str
    options: list[list[tuple[str, str]]]
    files: list[OutgoingFile] = field(default_factory=list)


class RecordService:
    def __init__(
        self,
        db: Database,
        pledges: PledgeRepository,
        initiatives: InitiativeRepository,
        outbox: Outbox,
        awards: AwardProposals,
    ) -> None:
        self.db = db
        self.pledges = pledges
        self.initiatives = initiatives
        self.outbox = outbox
        self.awards = awards
        self.nomination_lists = NominationLists(db)

    async def notify(self, notices: list[Notice]) -> None:
        """Into the outbox, with the change of the current unit of work if there is one."""
        async with self.db.transaction():
            for n in notices:
                files = [{"name": f.name, "path": str(f.path), "image": f.image} for f in n.files]
                # Labels are plain text on every messenger, whoever made them.
                options = [[(as_plain(label), data) for label, data in row] for row in n.options]
                await self.outbox.add(
                    n.person.id, n.person.channel, n.person.external_id, n.text, options, files
                )

    # --- pledges ---------------------------------------------------------------------
    @staticmethod
    def registration_open(campaign: Campaign, today: date) -> bool:
        return campaign.status == "published" and campaign.registration_window_on(today).contains(
            today
        )

    @staticmethod
    def pledge_editable(pledge: Pledge, campaign: Campaign | None, today: date) -> bool:
        """Only this emulation year's pledge, while its registration is open: last year's is
        kept as it was judged."""
        return (
            pledge.status in PLEDGE_EDITABLE
            and campaign is not None
            and pledge.year == campaign.emulation_year(today)
            and RecordService.registration_open(campaign, today)
        )

    async def register_pledge(
        self,
        actor: Person,
        campaign: Campaign,
        kind: PledgeKind,
        unit_id: int,
        title: str,
        commitments: list[str],
        own: list[str],
        year: int,
        notices: list[Notice],
    ) -> Pledge:
        async with self.db.transaction():
            async with self.db.unique():  # AlreadyExists: registered meanwhile
                ref = await next_ref(self.db, "TD", year)
                unit_name = await self.db.fetch_value(
                    "SELECT name FROM units WHERE id = ?", (unit_id,)
                )
                filed_as = (actor.full_name or "", actor.position or "", str(unit_name or ""))
                pledge_id = await self.pledges.insert(
                    ref,
                    campaign.id,
                    kind,
                    actor.id,
                    unit_id,
                    title,
                    commitments,
                    own,
                    year,
                    filed_as,
                )
            await record_event(
                self.db,
                actor,
                "pledge",
                ref,
                "create",
                new={
                    "campaign": campaign.id,
                    "year": year,
                    "kind": kind,
                    "title": title,
                    "commitments": commitments,
                    "own": own,
                },
            )
            await self.notify(notices)
        pledge = await self.pledges.by_id(pledge_id)
        assert pledge is not None
        return pledge

    async def edit_pledge(
        self,
        actor: Person,
        pledge: Pledge,
        title: str,
        commitments: list[str],
        own: list[str],
        notices: list[Notice],
    ) -> Pledge:
        async with self.db.transaction():
            await self.pledges.update_content(pledge.id, title, commitments, own)
            await record_event(
                self.db,
                actor,
                "pledge",
                pledge.ref,
                "edit",
                old={
                    "title": pledge.title,
                    "commitments": pledge.commitments,
                    "own": pledge.own_commitments,
                    "status": pledge.status,
                },
                new={"title": title, "commitments": commitments, "own": own, "status": "submitted"},
            )
            await self.notify(notices)
        updated = await self.pledges.by_id(pledge.id)
        assert updated is not None
        return updated

    async def change_pledge_status(
        self,
        actor: Person,
        pledge: Pledge,
        status: PledgeStatus,
        comment: str | None,
        notices: list[Notice],
    ) -> bool:
        """False when the pledge changed meanwhile (someone else decided first)."""
        async with self.db.transaction():
            if not await self.pledges.set_status(pledge.id, pledge.status, status, comment):
                return False
            await record_event(
                self.db,
                actor,
                "pledge",
                pledge.ref,
                status,
                old={"status": pledge.status},
                new={"status": status, "comment": comment},
            )
            await self.notify(notices)
        return True

    # --- initiatives -----------------------------------------------------------------
    @staticmethod
    def submission_open(campaign: Campaign, today: date) -> bool:
        return campaign.status == "published" and campaign.submission_window.contains(today)

    @staticmethod
    def initiative_editable(initiative: Initiative) -> bool:
        return initiative.status in INITIATIVE_EDITABLE

    async def submit_initiative(
        self,
        actor: Person,
        campaign: Campaign,
        content: dict[str, str],
        authors: list[Author],
        attachments: list[Attachment],
        year: int,
    ) -> Initiative:
        async with self.db.transaction():
            ref = await next_ref(self.db, "SK", year)
            initiative_id = await self.initiatives.insert(ref, campaign.id, actor.id, content)
            await self.initiatives.replace_authors(initiative_id, authors)
            await self.initiatives.add_attachments(initiative_id, attachments)
            await record_event(
                self.db,
                actor,
                "initiative",
                ref,
                "create",
                new={
                    **content,
                    "authors": [a.__dict__ for a in authors],
                    "attachments": [a.file_name for a in attachments],
                },
            )
        initiative = await self.initiatives.by_id(initiative_id)
        assert initiative is not None
        return initiative

    async def resubmit_initiative(
        self,
        actor: Person,
        initiative: Initiative,
        content: dict[str, str],
        authors: list[Author],
        new_attachments: list[Attachment],
    ) -> Initiative:
        async with self.db.transaction():
            await self.initiatives.replace_content(initiative.id, content)
            await self.initiatives.replace_authors(initiative.id, authors)
            await self.initiatives.add_attachments(initiative.id, new_attachments)
            await record_event(
                self.db,
                actor,
                "initiative",
                initiative.ref,
                "edit",
                old={"status": initiative.status, "title": initiative.title},
                new={**content, "status": "submitted", "authors": [a.__dict__ for a in authors]},
            )
        updated = await self.initiatives.by_id(initiative.id)
        assert updated is not None
        return updated

    async def change_initiative_status(
        self,
        actor: Person,
        initiative: Initiative,
        status: InitiativeStatus,
        comment: str | None,
        notices: list[Notice],
    ) -> bool:
        async with self.db.transaction():
            if not await self.initiatives.set_status(
                initiative.id, initiative.status, status, comment
            ):
                return False
            await record_event(
                self.db,
                actor,
                "initiative",
                initiative.ref,
                status,
                old={"status": initiative.status},
                new={"status": status, "comment": comment},
            )
            await self.notify(notices)
        return True

    # --- award proposals against quotas ---------------------------------------------
    @staticmethod
    def award_period(campaign: Campaign, award_index: int, year: int) -> str:
        """The period a quota counts in for a pledge of this emulation year: that year, the
        phase that year closes (the shortest, for a 5-year phase inside a 10-year one), or
        the whole campaign."""
        award = campaign.awards[award_index]
        if "yearly" in award.occasions:
            return str(year)
        if "phase_end" in award.occasions and campaign.phases:
            holding = [p for p in campaign.phases if p.start.year <= year <= p.last_year]
            phase = min(holding, key=lambda p: p.last_year) if holding else campaign.phases[-1]
            return phase.name
        return "campaign"

    async def propose_for_award(
        self, actor: Person, pledge: Pledge, campaign: Campaign, award_index: int
    ) -> QuotaCheck:
        """The secretariat's proposal (or its taking of a unit head's), within the quota and
        while the year's list is open."""
        award = campaign.awards[award_index]
        period = self.award_period(campaign, award_index, pledge.year)
        unit = pledge.unit_id if award.per_unit else None
        async with self.db.transaction():
            if await self.nomination_lists.closed(campaign.id, pledge.year):
                used = await self.awards.count(campaign.id, award_index, period, unit)
                return QuotaCheck(False, used, award.quota, period, closed=True)
            added = await self.awards.add_within_quota(
                pledge.id,
                campaign.id,
                award_index,
                period,
                pledge.unit_id,
                actor.id,
                award.quota,
                award.per_unit,
            )
            used = await self.awards.count(campaign.id, award_index, period, unit)
            if not added:
                return QuotaCheck(False, used, award.quota, period)
            await record_event(
                self.db,
                actor,
                "pledge",
                pledge.ref,
                "propose_award",
                new={"award": f"{award.form} ({award.granted_by})", "period": period},
            )
        return QuotaCheck(True, used, award.quota, period)

    async def suggest_for_award(
        self, head: Person, pledge: Pledge, campaign: Campaign, award_index: int
    ) -> bool:
        """A unit head's proposal for their unit, to the secretariat; not in the quota yet."""
        award = campaign.awards[award_index]
        async with self.db.transaction():
            if await self.nomination_lists.closed(campaign.id, pledge.year):
                return False
            period = self.award_period(campaign, award_index, pledge.year)
            if not await self.awards.add_within_quota(
                pledge.id, campaign.id, award_index, period, pledge.unit_id, head.id,
                None, False, suggested=True,
            ):  # fmt: skip
                return False
            await record_event(
                self.db,
                head,
                "pledge",
                pledge.ref,
                "suggest_award",
                new={"award": f"{award.form} ({award.granted_by})", "period": period},
            )
        return True

    async def withdraw_proposal(self, actor: Person, pledge: Pledge) -> bool:
        """Withdrawn (or a unit's suggestion declined) while the year's list is open."""
        async with self.db.transaction():
            if await self.nomination_lists.closed(pledge.campaign_id, pledge.year):
                return False
            removed = await self.awards.remove(pledge.id)
            if removed:
                await record_event(self.db, actor, "pledge", pledge.ref, "withdraw_award_proposal")
        return removed

    async def close_nominations(self, actor: Person, campaign: Campaign, year: int) -> bool:
        async with self.db.transaction():
            closed = await self.nomination_lists.close(campaign.id, year, actor.id)
            if closed:
                await record_event(
                    self.db, actor, "campaign", campaign.id, "close_nominations", new={"year": year}
                )
        return closed

    async def reopen_nominations(self, actor: Person, campaign: Campaign, year: int) -> bool:
        async with self.db.transaction():
            reopened = await self.nomination_lists.reopen(campaign.id, year)
            if reopened:
                await record_event(
                    self.db,
                    actor,
                    "campaign",
                    campaign.id,
                    "reopen_nominations",
                    new={"year": year},
                )
        return reopened
