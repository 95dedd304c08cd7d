"""Loading campaign and organisation files into storage, idempotently."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.answers.passages import plan_passages
from bot.domain.campaign import Campaign
from bot.domain.organisation import OrganisationFile
from bot.services.definition_files import (
    DefinitionFileError,
    FileProblem,
    campaign_files,
    line_in,
    read_campaign,
    read_organisation,
)
from bot.settings import PROJECT_ROOT
from storage.campaigns import CampaignRepository
from storage.council import CouncilRepository, IssuingBody, MemberLine
from storage.roster import Listed, RosterRepository
from storage.units import UnitRepository

SEED_CAMPAIGNS = PROJECT_ROOT / "campaigns"
DEMO_ORGANISATION = PROJECT_ROOT / "organisation" / "demo.yaml"


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Per campaign: the paragraphs of the plan's text attached, or None when there is none
    # (questions are then answered from the file's fields only).
    plan_text: dict[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class OrganisationLoaded:
    added: int
    updated: int
    staff: int  # roster lines added or updated


class Importer:
    def __init__(
        self,
        campaigns: CampaignRepository,
        units: UnitRepository,
        roster: RosterRepository,
        council: CouncilRepository | None = None,
    ) -> None:
        self.campaigns = campaigns
        self.units = units
        self.roster = roster
        self.council = council

    async def import_campaigns(self, paths: Iterable[Path], publish: bool = False) -> ImportReport:
        """Valid files are loaded (re-importing updates, never duplicates); the rest reported.
        Nothing is published unless asked: a new campaign comes in as a draft, an updated one
        keeps its state; a file saying `status: closed` is closed."""
        report = ImportReport()
        files = campaign_files(paths)
        if not files:
            report.problems.append(
                FileProblem(", ".join(map(str, paths)), None, "", "no campaign files found")
            )
        have_units = await self.units.count() > 0
        for path in files:
            try:
                campaign = read_campaign(path)
            except DefinitionFileError as exc:
                report.problems.extend(exc.problems)
                continue
            text = await asyncio.to_thread(path.read_text, encoding="utf-8")
            if have_units and (unknown := await self.unknown_units(campaign, str(path), text)):
                report.problems.extend(unknown)  # a campaign that would reach no one there
                continue
            campaign = await self._status(campaign, publish)
            new = await self.campaigns.upsert(campaign, str(path))
            (report.added if new else report.updated).append(campaign.id)
            report.plan_text[campaign.id] = (
                len({p.paragraph for p in plan_passages(campaign.plan_text)})
                if campaign.plan_text
                else None
            )
        return report

    async def unknown_units(
        self, campaign: Campaign, name: str, text: str = ""
    ) -> list[FileProblem]:
        """Each participating unit code the organisation does not have, with its line."""
        problems = []
        for n, code in enumerate(campaign.participants.units):
            if await self.units.by_code(code) is None:
                problems.append(
                    FileProblem(
                        name,
                        line_in(text, ("participants", "units", n)) if text else None,
                        f"participants.units.{n}",
                        f"no unit with code {code!r} in the organisation",
                        "unknown_unit",
                        (("code", code),),
                    )
                )
        return problems

    async def _status(self, campaign: Campaign, publish: bool) -> Campaign:
        if campaign.status == "closed" and "status" in campaign.model_fields_set:
            return campaign
        if publish:
            return campaign.model_copy(update={"status": "published"})
        existing = await self.campaigns.get(campaign.id)
        status = existing.status if existing is not None else "draft"
        return campaign.model_copy(update={"status": status})

    async def import_units(self, path: Path) -> OrganisationLoaded:
        return await self.load_organisation(read_organisation(path))

    async def load_organisation(self, organisation: OrganisationFile) -> OrganisationLoaded:
        """The units, then each unit's staff list (its roster), in one unit of work."""
        async with self.units.db.transaction():
            added, updated = await self.units.upsert_tree(organisation.flatten())
            lines = []
            for node, _ in organisation.flatten():
                unit = await self.units.by_code(node.code) if node.staff else None
                if unit is not None:
                    lines += [Listed(unit.id, s.name, s.position, s.contact) for s in node.staff]
            staff_added, staff_updated = await self.roster.load(lines)
            if self.council is not None:
                await self._load_councils(organisation)
        return OrganisationLoaded(added, updated, staff_added + staff_updated)

    async def _load_councils(self, organisation: OrganisationFile) -> None:
        """How units are written on their papers, and each Council with its members."""
        assert self.council is not None
        for node, _ in organisation.flatten():
            unit = await self.units.by_code(node.code) if node.papers else None
            if unit is not None and node.papers is not None:
                p = node.papers
                await self.council.save_body(
                    IssuingBody(unit.id, p.name, p.abbreviation, p.place, p.signer, p.on_behalf)
                )
        for council in organisation.councils:
            unit = await self.units.by_code(council.unit)
            secretariat = await self.units.by_code(council.secretariat or "")
            assert unit is not None  # the file's validation checked the codes
            members = [
                MemberLine(m.name, m.role, *m.account.split(":", 1)) for m in council.members
            ]
            await self.council.save_council(
                unit.id, secretariat.id if secretariat else None, council.name, members
            )

    async def load_demo_if_empty(self) -> bool:
        """First start on an empty store: the demo organisation and the seed campaigns."""
        if await self.campaigns.count() or await self.units.count():
            return False
        await self.import_units(DEMO_ORGANISATION)
        report = await self.import_campaigns([SEED_CAMPAIGNS], publish=True)
        if report.problems:
            raise DefinitionFileError(report.problems)
        return True
