"""Campaigns as people ask about them: which concern me, what is due when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.campaign import Campaign, Occurrence
from bot.domain.records import Person
from storage.campaigns import CampaignRepository
from storage.units import UnitRepository


@dataclass(frozen=True)
class DatedDeadline:
    campaign: Campaign
    occurrence: Occurrence


class CampaignCatalog:
    def __init__(self, campaigns: CampaignRepository, units: UnitRepository) -> None:
        self.campaigns = campaigns
        self.units = units

    async def published(self) -> list[Campaign]:
        return [c for c in await self.campaigns.all() if c.status != "draft"]

    async def get(self, slug: str) -> Campaign | None:
        campaign = await self.campaigns.get(slug)
        return campaign if campaign is not None and campaign.status != "draft" else None

    async def concerning(self, person: Person) -> list[Campaign]:
        """Campaigns whose participating units include the person's unit or an ancestor."""
        campaigns = await self.published()
        if person.unit_id is None:
            return []
        lineage = {unit.code for unit in await self.units.lineage(person.unit_id)}
        return [c for c in campaigns if lineage & set(c.participants.units)]

    @staticmethod
    def deadlines(
        campaigns: list[Campaign], today: date
    ) -> tuple[list[DatedDeadline], list[DatedDeadline]]:
        """Upcoming occurrences, most urgent first; and the last of each deadline that passed."""
        upcoming = [DatedDeadline(c, o) for c in campaigns for o in c.next_occurrences(today)]
        past = [DatedDeadline(c, o) for c in campaigns for o in c.last_past_occurrences(today)]
        upcoming.sort(key=lambda d: (d.occurrence.last_day, d.campaign.id))
        past.sort(key=lambda d: (d.occurrence.last_day, d.campaign.id), reverse=True)
        return upcoming, past
