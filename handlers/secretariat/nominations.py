"""/nominations: per campaign and emulation year, the pledges proposed for each award form as
its quota fills ("Bằng khen cá nhân: 8/10 năm 2026"), and what goes to the Council: the nominee
list (Excel) and a draft cover submission (Word)."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.domain.campaign import Campaign
from bot.domain.dates import format_vn_date
from bot.engine.context import Context
from bot.engine.events import Option, OutgoingFile
from bot.services.nominations import award_name, write_nominee_list, write_submission
from handlers import views
from handlers.secretariat.access import desk_router

router = desk_router()


@router.command("nominations")
async def nominations_command(ctx: Context) -> None:
    campaigns = [c for c in await ctx.services.catalog.published() if c.awards]
    named = await ctx.services.answerer.named_in(ctx.value, campaigns) if ctx.value else []
    if len(named) == 1:
        await _show(ctx, named[0])
        return
    ctx.reply(ctx.t("desk.pick_campaign"), views.campaign_buttons(campaigns, "nm"))


async def _campaign(ctx: Context) -> Campaign | None:
    campaign = await ctx.services.catalog.get(ctx.value)
    if campaign is None:
        ctx.reply(ctx.t("campaigns.not_found"))
    return campaign


@router.option("nm")
async def nominations_of(ctx: Context) -> None:
    if campaign := await _campaign(ctx):
        await _show(ctx, campaign)


async def _show(ctx: Context, campaign: Campaign) -> None:
    year = campaign.emulation_year(ctx.today)
    rows = await ctx.services.reports.queries.nominations(campaign.id, year)
    lines = [ctx.t("nominations.header", campaign=campaign.short_title, year=year)]
    for index, award in enumerate(campaign.awards):
        chosen = [r for r in rows if r["award_index"] == index]
        quota = (
            ctx.t("nominations.quota_per_unit", quota=award.quota)
            if award.quota and award.per_unit
            else str(award.quota or "—")
        )
        lines.append(
            ctx.t(
                "nominations.award",
                form=award_name(campaign, index),
                recipients=ctx.t(f"awards.{award.recipients}"),
                occasions=", ".join(str(ctx.t(f"awards.{o}")) for o in award.occasions),
                used=len(chosen),
                quota=quota,
            )
        )
        lines += [
            ctx.t(
                "nominations.nominee",
                ref=r["ref"],
                name=r["filed_unit"] if r["kind"] == "collective" else r["filed_name"],
                unit=r["filed_unit"],
            )
            for r in chosen
        ]
    if not rows:
        lines.append(ctx.t("nominations.none"))
        ctx.reply(views.lines(*lines), [[Option(ctx.t("review.to_nominate", count=0), "rv:a")]])
        return
    ctx.reply(
        views.lines(*lines),
        [
            [Option(ctx.t("nominations.excel"), f"nx:{campaign.id}")],
            [Option(ctx.t("nominations.word"), f"nd:{campaign.id}")],
        ],
    )


async def _papers(ctx: Context) -> tuple[Campaign, int, list[dict[str, Any]]] | None:
    """The campaign an option names, this emulation year, and its proposals."""
    if (campaign := await _campaign(ctx)) is None:
        return None
    year = campaign.emulation_year(ctx.today)
    return campaign, year, await ctx.services.reports.queries.nominations(campaign.id, year)


@router.option("nx")
async def nominee_list(ctx: Context) -> None:
    if (papers := await _papers(ctx)) is None:
        return
    campaign, year, rows = papers
    name = f"danh-sach-de-nghi-{campaign.id}-nam-{year}.xlsx"
    path = ctx.services.settings.exports_path / f"{ctx.person.id}-{name}"
    await asyncio.to_thread(write_nominee_list, campaign, rows, ctx.t, path)
    ctx.reply(
        ctx.t("nominations.excel_sent", count=len(rows), year=year),
        files=[OutgoingFile(name, path)],
    )


@router.option("nd")
async def submission_draft(ctx: Context) -> None:
    if (papers := await _papers(ctx)) is None:
        return
    campaign, year, rows = papers
    name = f"du-thao-to-trinh-{campaign.id}-nam-{year}.docx"
    path = ctx.services.settings.exports_path / f"{ctx.person.id}-{name}"
    today = format_vn_date(ctx.today)
    await asyncio.to_thread(write_submission, campaign, year, rows, ctx.t, today, path)
    ctx.reply(ctx.t("nominations.word_sent", year=year), files=[OutgoingFile(name, path)])
