"""Campaigns, their criteria, deadlines, awards and dossiers: /campaigns, /criteria, /deadlines."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import cast

from bot.domain.campaign import Campaign
from bot.engine.context import Context
from bot.engine.events import Option, OutgoingFile
from bot.engine.router import Router
from bot.services.calendar import deadline_calendar, write_calendar
from bot.services.dates_said import registration_said
from handlers import views
from handlers.views import Audience

router = Router()


async def my_campaigns(ctx: Context) -> tuple[list[Campaign], bool]:
    """The campaigns that concern the person's unit, or all of them before they join one."""
    if ctx.person.unit_id is not None:
        return await ctx.services.catalog.concerning(ctx.person), True
    return await ctx.services.catalog.published(), False


async def named_in(ctx: Context, text: str) -> list[Campaign]:
    if not text:
        return []
    return await ctx.services.answerer.named_in(text, await ctx.services.catalog.published())


async def relevant(ctx: Context, text: str = "") -> list[Campaign]:
    """Which campaigns a question is about: those it names, else the person's running ones
    (or all of theirs when none is running)."""
    if text:
        named = await named_in(ctx, text)
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


def remember(ctx: Context, campaign: Campaign, topic: str | None = None) -> None:
    """What the person is looking at (and which part of it), for a follow-up question that
    names no campaign ("còn cá nhân thì sao?")."""
    ctx.conversation.about = campaign.id
    ctx.conversation.about_at = ctx.services.clock.stamp()
    ctx.conversation.about_topic = topic


CampaignHandler = Callable[[Context, Campaign, str], Awaitable[None] | None]


def campaign_option(prefix: str) -> Callable[[CampaignHandler], CampaignHandler]:
    """An option 'prefix:<campaign id>[:rest]'; a campaign since removed is answered with the
    current list instead."""

    def register(handler: CampaignHandler) -> CampaignHandler:
        @router.option(prefix)
        async def resolve(ctx: Context) -> None:
            slug, _, rest = ctx.value.partition(":")
            campaign = await ctx.services.catalog.get(slug)
            if campaign is None:
                campaigns = await ctx.services.catalog.published()
                ctx.reply(ctx.t("campaigns.not_found"), views.campaign_buttons(campaigns))
                return
            remember(ctx, campaign)
            result = handler(ctx, campaign, rest)
            if result is not None:
                await result

        return handler

    return register


def show_criteria(ctx: Context, campaign: Campaign, audience: Audience) -> None:
    options = [
        [
            Option(ctx.t("detail.button_deadlines"), f"dl:{campaign.id}"),
            Option(ctx.t("detail.button_awards"), f"aw:{campaign.id}"),
        ]
    ]
    ctx.reply(views.criteria_view(ctx.t, campaign, audience), options)


def show_deadlines(ctx: Context, campaigns: list[Campaign], single: Campaign | None = None) -> None:
    upcoming, past = ctx.services.catalog.deadlines(campaigns, ctx.today)
    options = (
        [[Option(ctx.t("calendar.button"), f"cal:{single.id if single else '*'}")]]
        if upcoming
        else []
    )
    # Registration as every other message says it, for each campaign still taking pledges.
    registration = [
        ctx.t(
            "plan_dates.registration_line",
            year=c.emulation_year(ctx.today),
            campaign=c.short_title,
            until=registration_said(ctx.t, c, c.emulation_year(ctx.today)),
        )
        for c in campaigns
        if ctx.services.records.registration_open(c, ctx.today)
    ]
    body = views.deadlines_view(ctx.t, upcoming, past, ctx.today, single)
    ctx.reply(views.lines(body, *registration), options)


@router.option("cal")
async def calendar_file(ctx: Context) -> None:
    """The deadlines ahead as an .ics file: of one campaign, or of all the person's ('*')."""
    if ctx.value == "*":
        campaigns, _ = await my_campaigns(ctx)
        name = ctx.t.plain("calendar.name_mine")
    else:
        campaign = await ctx.services.catalog.get(ctx.value)
        if campaign is None:
            ctx.reply(ctx.t("campaigns.not_found"))
            return
        campaigns, name = (
            [campaign],
            ctx.t.plain("calendar.name_campaign", campaign=campaign.short_title),
        )
    content = deadline_calendar(campaigns, ctx.t, ctx.today, ctx.services.clock.now(), name)
    slug = "cua-toi" if ctx.value == "*" else ctx.value
    path = ctx.services.settings.exports_path / f"han-{slug}-{ctx.person.id}.ics"
    await asyncio.to_thread(write_calendar, content, path)
    ctx.reply(ctx.t("calendar.sent"), files=[OutgoingFile(f"han-thi-dua-{slug}.ics", path)])


async def ask_which(ctx: Context, campaigns: list[Campaign], view: str, suffix: str = "") -> None:
    ctx.reply(ctx.t("questions.pick_campaign"), views.campaign_buttons(campaigns, view, suffix))


@router.command("campaigns")
async def list_campaigns(ctx: Context) -> None:
    await show_list(ctx)


@router.option("ls")
async def list_option(ctx: Context) -> None:
    await show_list(ctx, everything=ctx.value == "all")


@campaign_option("cp")
async def campaign_detail(ctx: Context, campaign: Campaign, _: str) -> None:
    actions = views.campaign_actions(ctx.t, campaign)
    if ctx.services.records.registration_open(campaign, ctx.today) and (
        not ctx.person.has_joined or campaign in await ctx.services.catalog.concerning(ctx.person)
    ):
        actions.insert(0, [Option(ctx.t("menu.pledge"), f"pg:{campaign.id}")])
    ctx.reply(views.campaign_detail(ctx.t, campaign, ctx.today), actions)


@router.command("criteria")
async def criteria_command(ctx: Context) -> None:
    campaigns = await relevant(ctx, ctx.value)
    if len(campaigns) == 1:
        show_criteria(ctx, campaigns[0], "a")
    elif campaigns:
        ctx.reply(ctx.t("criteria.pick"), views.campaign_buttons(campaigns, "cr", ":a"))
    else:
        ctx.reply(ctx.t("campaigns.none"))


@campaign_option("cr")
def criteria_option(ctx: Context, campaign: Campaign, audience: str) -> None:
    show_criteria(ctx, campaign, cast(Audience, audience if audience in ("a", "c", "i") else "a"))


@router.command("deadlines")
async def deadlines_command(ctx: Context) -> None:
    named = await named_in(ctx, ctx.value)
    campaigns = named or (await my_campaigns(ctx))[0]
    show_deadlines(ctx, campaigns, campaigns[0] if len(named) == 1 else None)


@campaign_option("dl")
def deadlines_option(ctx: Context, campaign: Campaign, _: str) -> None:
    show_deadlines(ctx, [campaign], campaign)


@campaign_option("aw")
def awards_option(ctx: Context, campaign: Campaign, _: str) -> None:
    ctx.reply(
        views.awards_view(ctx.t, campaign),
        [[Option(ctx.t("detail.button_dossier"), f"ds:{campaign.id}")]],
    )


@campaign_option("ds")
def dossier_option(ctx: Context, campaign: Campaign, _: str) -> None:
    ctx.reply(
        views.dossier_view(ctx.t, campaign, ctx.today),
        [[Option(ctx.t("detail.button_deadlines"), f"dl:{campaign.id}")]],
    )


@campaign_option("pt")
def participants_option(ctx: Context, campaign: Campaign, _: str) -> None:
    ctx.reply(views.participants_view(ctx.t, campaign))
