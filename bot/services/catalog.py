"""Campaigns as people ask about them: which concern me, which did I name, what is due when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.campaign import Campaign, Occurrence
from bot.domain.records import Person
from bot.textmatch import contains_phrase, fold
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
        # Folded phrases per campaign, made once rather than on every message.
        self._phrases: dict[int, tuple[Campaign, list[str]]] = {}

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

    async def mentioned_in(self, text: str) -> list[Campaign]:
        """Campaigns the text names by plan number, place, issuer or keyword; where several
        match, those it names most fully ("sở GD&ĐT Sóc Trăng" beats "Sóc Trăng")."""
        folded = fold(text)
        scored = [(self._match_score(c, folded), c) for c in await self.published()]
        best = max((score for score, _ in scored), default=0)
        return [c for score, c in scored if best and score == best]

    def _match_score(self, campaign: Campaign, folded_text: str) -> int:
        cached = self._phrases.get(id(campaign))
        if cached is None or cached[0] is not campaign:
            cached = (campaign, _phrases(campaign))
            self._phrases[id(campaign)] = cached
        named = sum(len(p) for p in cached[1] if contains_phrase(folded_text, p))
        if named or len(folded_text) < 4:
            return named
        # A short query that is part of a name: "/stats so noi vu".
        return len(folded_text) if any(contains_phrase(p, folded_text) for p in cached[1]) else 0

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


def _phrases(campaign: Campaign) -> list[str]:
    phrases = [*campaign.keywords, campaign.issuer, campaign.short_title]
    if campaign.plan.number:
        phrases.append(campaign.plan.number)
    return sorted({fold(p) for p in phrases if len(fold(p)) >= 3})
