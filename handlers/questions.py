"""Typed questions about the plans — "còn mấy ngày?", "kinh phí lấy từ đâu", "127/KH-SXD" —
answered from the campaign files and the plans' text, with their source."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import cast

from markupsafe import Markup

from bot.answers.answerer import Answer, Asker, occurrences_asked
from bot.domain.campaign import Campaign, Deadline, Occurrence
from bot.domain.dates import format_vn_date
from bot.engine.context import Context
from bot.engine.events import Option
from bot.engine.router import Router
from bot.services.catalog import DatedDeadline
from bot.services.dates_said import period_said, registration_said, registration_set
from handlers import views
from handlers.campaigns import campaign_option, my_campaigns, remember, show_list
from handlers.find import open_person, open_reference
from handlers.general import help_command
from handlers.menu import main_menu
from handlers.onboarding import choose_unit, start
from handlers.views import Audience

router = Router()
_BARE_NUMBER = re.compile(r"[0-9]{1,3}\.?")
# A follow-up ("còn tiêu chí cá nhân?") is about the campaign asked about this recently.
FOLLOW_UP = timedelta(hours=2)


async def recent_about(ctx: Context) -> Campaign | None:
    conversation = ctx.conversation
    if conversation.about is None or conversation.about_at is None:
        return None
    if conversation.about_at < ctx.services.clock.stamp(-FOLLOW_UP):
        return None
    return await ctx.services.catalog.get(conversation.about)


@router.text
async def question(ctx: Context) -> None:
    if _BARE_NUMBER.fullmatch(ctx.incoming.text.strip()):
        # A choice typed where no list is open: not a question to keep for the desk.
        ctx.reply(ctx.t("errors.no_list"), main_menu(ctx.t))
        return
    if await open_reference(ctx):
        return
    mine, _ = await my_campaigns(ctx)
    about = await recent_about(ctx)
    asker = Asker(mine, about, ctx.today, ctx.conversation.about_topic if about else None)
    published = await ctx.services.catalog.published()
    answer = await ctx.services.answerer.answer(ctx.incoming.text, published, asker)
    await reply(ctx, answer)


async def reply(ctx: Context, answer: Answer) -> None:
    t = ctx.t
    campaign = answer.campaign
    if answer.kind == "action":
        await _act(ctx, answer.view)
    elif answer.kind == "deadlines":
        _deadlines(ctx, answer)
    elif answer.kind == "section" and campaign is not None:
        remember(ctx, campaign, answer.view)
        body = views.section_view(t, campaign, answer.view, answer.audience, ctx.today)
        source = (
            views.notes_source_line(t, campaign)
            if answer.view == "notes"
            else views.source_line(t, campaign)
        )
        ctx.reply(views.lines(body, source), _related(ctx, campaign))
    elif answer.kind == "passage" and campaign is not None and answer.passage is not None:
        remember(ctx, campaign)
        p = answer.passage
        source = (
            views.notes_source_line(t, campaign)
            if p.section == "notes"
            else views.source_line(t, campaign, p.number, p.paragraph)
        )
        ctx.reply(views.lines(t("answers.quote", text=p.text), source), _related(ctx, campaign))
    elif answer.kind == "overview" and campaign is not None:
        remember(ctx, campaign)
        ctx.reply(
            views.campaign_detail(t, campaign, ctx.today), views.campaign_actions(t, campaign)
        )
    elif answer.kind == "which":
        suffix = f":{answer.view}:{answer.audience}"
        ctx.reply(
            t("questions.pick_campaign"), views.campaign_buttons(answer.campaigns, "qa", suffix)
        )
    elif campaign is not None and answer.view == "deadline_registration":
        _registration(ctx, campaign)  # "unknown": the plan sets no registration deadline
    elif answer.kind == "unknown" and campaign is not None:
        await _not_in_plan(ctx, campaign, answer.view)
    elif answer.kind == "unknown":
        ctx.reply(t("campaigns.none"), main_menu(t))
    elif not await open_person(ctx):
        await ctx.services.open_questions.record(ctx.person.id, None, None, ctx.incoming.text)
        ctx.reply(t("questions.not_understood", example=await _example(ctx)), main_menu(t))


@campaign_option("qa")
def answer_option(ctx: Context, campaign: Campaign, rest: str) -> None:
    """A campaign picked for a question that named none: 'qa:<id>:<part>:<audience>'."""
    section, _, audience = rest.partition(":")
    if section not in views.SECTION_VIEWS:
        section = "overview"
    remember(ctx, campaign)
    if section == "overview":
        ctx.reply(views.campaign_detail(ctx.t, campaign, ctx.today))
        return
    who = cast(Audience, audience if audience in ("a", "c", "i") else "a")
    body = views.section_view(ctx.t, campaign, section, who, ctx.today)
    ctx.reply(views.lines(body, views.source_line(ctx.t, campaign)), _related(ctx, campaign))


async def _act(ctx: Context, action: str) -> None:
    if action == "campaigns":
        await show_list(ctx)
    elif action == "help":
        await help_command(ctx)
    elif action == "greeting":
        await start(ctx)
    elif action == "join":
        await choose_unit(ctx)
    else:
        # A button rather than the flow itself: "đăng ký là gì?" should not start a form.
        ctx.reply(
            ctx.t(f"questions.{action}_hint"), [[Option(ctx.t(f"menu.{action}"), f"go:{action}")]]
        )


def _deadlines(ctx: Context, answer: Answer) -> None:
    """Leads with the deadline asked and the days left, then the others it may mean."""
    t = ctx.t
    campaigns = answer.campaigns
    single = answer.campaign
    if single is not None:
        remember(ctx, single)
    if not campaigns:
        ctx.reply(t("campaigns.none"), main_menu(t))
        return
    ahead, past = occurrences_asked(campaigns, answer, ctx.today)
    if single is not None and answer.days_left and not any(o.exact for _, o in ahead + past):
        # Only "trong năm 2025" to go by: the days are counted to the period's last day, when
        # the plan gives that day.
        end = _period_end(ctx, single)
        if end is not None:
            (ahead if end.days_left(ctx.today) >= 0 else past).insert(0, (single, end))
    parts: list[Markup | None] = []
    if ahead:
        c, o = ahead[0]
        days = o.days_left(ctx.today)
        lead = "answers.last_day" if days == 0 else "answers.days_left"
        parts.append(
            t(
                lead,
                count=days,
                label=views.label(t, o),
                when=views.when(t, o),
                campaign=c.short_title,
            )
        )
        parts.append(views.source_line(t, c))
    elif past:
        c, o = past[0]
        parts.append(
            t(
                "answers.passed",
                count=-o.days_left(ctx.today),
                label=views.label(t, o),
                when=views.when(t, o),
                campaign=c.short_title,
            )
        )
        parts.append(views.source_line(t, c))
    elif answer.window is not None:
        parts.append(_no_deadline_in(ctx, answer))
    elif single is not None:
        # No date to count to: what the plan says of its period, naming the plan.
        parts.append(
            t(
                "answers.no_dates",
                plan=views.plan_name(t, single),
                campaign=single.short_title,
                period=period_said(t, single.period),
            )
        )
        parts.append(views.source_line(t, single))
    else:
        parts.append(t("deadlines.none"))
    rest_ahead = [DatedDeadline(c, o) for c, o in ahead[1:6]]
    rest_past = [DatedDeadline(c, o) for c, o in past[(0 if ahead else 1) : 3]]
    if rest_ahead or rest_past:
        parts.append(views.NL + t("answers.also"))
        parts.append(views.deadline_items(t, rest_ahead, rest_past, ctx.today, single))
    ctx.reply(views.lines(*parts), _related(ctx, single) if single else [])


def _period_end(ctx: Context, campaign: Campaign) -> Occurrence | None:
    period = campaign.period
    if period.end is None or period.end_precision != "day":
        return None
    label = str(ctx.t("plan_dates.period_end_label"))
    deadline = Deadline(key="period_end", kind="period_end", label=label, date=period.end,
                        before=False)  # fmt: skip
    return Occurrence(deadline, period.end)


def _no_deadline_in(ctx: Context, answer: Answer) -> Markup:
    window = answer.window
    assert window is not None
    return ctx.t(
        "answers.none_in_window",
        start=format_vn_date(window.start),
        end=format_vn_date(window.end),
    )


async def _example(ctx: Context) -> str:
    """A question naming a campaign that exists (the person's own, else any published)."""
    mine, _ = await my_campaigns(ctx)
    campaigns = mine or await ctx.services.catalog.published()
    if not campaigns:
        return str(ctx.t("questions.example_none"))
    return str(ctx.t("questions.example_named", campaign=campaigns[0].short_title))


def _registration(ctx: Context, campaign: Campaign) -> None:
    """Until when registration is open: the plan's or the file's day, else the secretariat's
    default, said as such — the same window the receipt, the reminder and /deadlines give."""
    t = ctx.t
    remember(ctx, campaign, "deadlines")
    year = campaign.emulation_year(ctx.today)
    if registration_set(campaign):
        text = t("plan_dates.registration_answer", year=year, campaign=campaign.short_title,
                 until=registration_said(t, campaign, year))  # fmt: skip
    else:
        text = t(
            "plan_dates.registration_none",
            plan=views.plan_name(t, campaign),
            campaign=campaign.short_title,
            year=year,
            date=format_vn_date(campaign.registration_window_for(year).end),
        )
    ctx.reply(views.lines(text, views.source_line(t, campaign)), _related(ctx, campaign))


async def _not_in_plan(ctx: Context, campaign: Campaign, view: str) -> None:
    """The plan does not say: say so, name who to ask, and keep the question for the desk."""
    t = ctx.t
    remember(ctx, campaign, view)
    await ctx.services.open_questions.record(ctx.person.id, campaign.id, view, ctx.incoming.text)
    ctx.reply(
        t(
            "answers.not_in_plan",
            plan=views.plan_name(t, campaign),
            campaign=campaign.short_title,
            what=t(f"answers.what.{view}") if t.has(f"answers.what.{view}") else view,
            contact=views.secretariat(t, campaign),
        ),
        _related(ctx, campaign),
    )


def _related(ctx: Context, campaign: Campaign) -> list[list[Option]]:
    t = ctx.t
    return [
        [
            Option(t("detail.button_criteria"), f"cr:{campaign.id}:a"),
            Option(t("detail.button_deadlines"), f"dl:{campaign.id}"),
        ],
        [
            Option(t("detail.button_awards"), f"aw:{campaign.id}"),
            Option(t("detail.button_dossier"), f"ds:{campaign.id}"),
        ],
    ]
