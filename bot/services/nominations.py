"""How an award form is named on buttons and lines: its form and who grants it. The Council's
papers are written in bot/papers/."""

from __future__ import annotations

from bot.domain.campaign import Campaign


def award_name(campaign: Campaign, index: int) -> str:
    if index >= len(campaign.awards):
        return "—"
    award = campaign.awards[index]
    return f"{award.form} ({award.granted_by})"
