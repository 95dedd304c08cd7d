"""Campaigns, their criteria, deadlines, awards and dossiers: /campaigns, /criteria, /deadlines."""

from __future__ import annotations

from typing import cast

from bot.domain.campaign import Campaign
from bot.engine.context import Context
from bot.engine.events import Option
from bot.engine.router import Router
from handlers import views
from handlers.views import Audience

router = Router()


async def my_campaigns(ctx: Context) -> tuple[list[Campaign], bool]:
    """The campaigns that concern the person's unit, or all of them before they join one."""
    if ctx.person.unit_id is not None:
        return await ctx.services.catalog.concerning(ctx.person), True
    return await ctx.services.catalog.published(), False


async def relevant(ctx: Context, text: str = "") -> list[Campaign]:
    """Which campaigns a question is about: those it names, else the person's running ones
    (or all of theirs when none is running)."""
    if text:
        named = await ctx.services.catalog.mentioned_in(text)
        if named:
            return named
    mine, _ = await my_campaigns(ctx)
    running = [c for c in mine if c.state_on(ctx.today) == "running"]
    return running or mine


async def show_list(ctx: Context, everything: bool = False) -> None:
    campaigns, mine = await my_campaigns(ctx)
    if everything or (mine and not campaigns):
        if mine and not campaigns and not everything:
            ctx.reply(ctx.t("campaigns.none_mine"))
        campaigns, mine = await ctx.services.catalog.published(), False
    if not campaigns:
        ctx.reply(ctx.t("campaigns.none"))
        return
    options = views.campaign_buttons(campaigns)
    if mine:
        options.append([Option(ctx.t("menu.all_campaigns"), "ls:all")])
    ctx.reply(
        views.lines(
            views.campaign_list(ctx.t, campaigns, ctx.today, mine),
            views.NL + ctx.t("campaigns.pick"),
        ),
        options,
    )


async def campaign_from_option(ctx: Context) -> Campaign | None:
    """The campaign an option names; a removed one is answered with the current list."""
    slug = ctx.value.split(":", 1)[0]
    campaign = await ctx.services.catalog.get(slug)
    if campaign is None:
        campaigns = await ctx.services.catalog.published()
        ctx.reply(ctx.t("campaigns.not_found"), views.campaign_buttons(campaigns))
    return campaign


def show_criteria(ctx: Context, campaign: Campaign, audience: Audience) -> None:
    options = [
        [
            Option(ctx.t("detail.button_deadlines"), f"dl:{campaign.id}"),
            Option(ctx.t("detail.button_awards"), f"aw:{campaign.id}"),
        ]
    ]
    ctx.reply(views.criteria_view(ctx.t, campaign, audience), options)


async def show_deadlines(
    ctx: Context, campaigns: list[Campaign], single: Campaign | None = None
) -> None:
    upcoming, past = ctx.services.catalog.deadlines(campaigns, ctx.today)
    ctx.reply(views.deadlines_view(ctx.t, upcoming, past, ctx.today, single))


async def ask_which(ctx: Context, campaigns: list[Campaign], view: str, suffix: str = "") -> None:
    ctx.reply(ctx.t("questions.pick_campaign"), views.campaign_buttons(campaigns, view, suffix))


@router.command("campaigns")
async def list_campaigns(ctx: Context) -> None:
    await show_list(ctx)


@router.option("ls")
async def list_option(ctx: Context) -> None:
    await show_list(ctx, everything=ctx.value == "all")


@router.option("cp")
async def campaign_detail(ctx: Context) -> None:
    campaign = await campaign_from_option(ctx)
    if campaign:
        ctx.reply(
            views.campaign_detail(ctx.t, campaign, ctx.today),
            views.campaign_actions(ctx.t, campaign),
        )


@router.command("criteria")
async def criteria_command(ctx: Context) -> None:
    campaigns = await relevant(ctx, ctx.value)
    if len(campaigns) == 1:
        show_criteria(ctx, campaigns[0], "a")
    elif campaigns:
        ctx.reply(ctx.t("criteria.pick"), views.campaign_buttons(campaigns, "cr", ":a"))
    else:
        ctx.reply(ctx.t("campaigns.none"))


@router.option("cr")
async def criteria_option(ctx: Context) -> None:
    campaign = await campaign_from_option(ctx)
    if campaign:
        audience = ctx.value.rpartition(":")[2]
        show_criteria(
            ctx, campaign, cast(Audience, audience if audience in ("a", "c", "i") else "a")
        )


@router.command("deadlines")
async def deadlines_command(ctx: Context) -> None:
    named = await ctx.services.catalog.mentioned_in(ctx.value) if ctx.value else []
    campaigns = named or (await my_campaigns(ctx))[0]
    await show_deadlines(ctx, campaigns, campaigns[0] if len(named) == 1 else None)


@router.option("dl")
async def deadlines_option(ctx: Context) -> None:
    campaign = await campaign_from_option(ctx)
    if campaign:
        await show_deadlines(ctx, [campaign], campaign)


@router.option("aw")
async def awards_option(ctx: Context) -> None:
    campaign = await campaign_from_option(ctx)
    if campaign:
        ctx.reply(
            views.awards_view(ctx.t, campaign),
            [[Option(ctx.t("detail.button_dossier"), f"ds:{campaign.id}")]],
        )


@router.option("ds")
async def dossier_option(ctx: Context) -> None:
    campaign = await campaign_from_option(ctx)
    if campaign:
        ctx.reply(
            views.dossier_view(ctx.t, campaign, ctx.today),
            [[Option(ctx.t("detail.button_deadlines"), f"dl:{campaign.id}")]],
        )


@router.option("pt")
async def participants_option(ctx: Context) -> None:
    campaign = await campaign_from_option(ctx)
    if campaign:
        ctx.reply(views.participants_view(ctx.t, campaign))
