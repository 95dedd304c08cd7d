"""Campaign and organisation files sent in chat: validated with clear errors, previewed, then
published and announced to everyone in the target units. /announce and /remind."""

from __future__ import annotations

import asyncio

from bot.answers.passages import plan_passages
from bot.cleaning import clean_block
from bot.domain.campaign import Campaign
from bot.domain.dates import format_vn_date
from bot.domain.organisation import OrganisationFile
from bot.engine.context import Context
from bot.engine.events import FileTooLarge, Option
from bot.services.campaign_changes import campaign_changes
from bot.services.dates_said import period_said, registration_said
from bot.services.definition_files import (
    DefinitionFileError,
    FileProblem,
    parse_definition,
    parse_sent_definition,
)
from bot.services.files import safe_name
from bot.services.records import Notice
from handlers import views
from handlers.secretariat.access import desk_router

router = desk_router()
MAX_DEFINITION_BYTES = 1024 * 1024
MAX_PLAN_TEXT_BYTES = 200_000  # the campaign file's limit for a plan's text
PROBLEMS_SHOWN = 15


@router.file_kind(".yaml", ".yml")
async def definition_received(ctx: Context) -> None:
    incoming = ctx.incoming.file
    assert incoming is not None
    name = safe_name(incoming.name)
    text = await _read_text(ctx, name, MAX_DEFINITION_BYTES, "publish.too_big")
    if text is None:
        return
    try:
        # Bounded (no aliases, a depth and size budget) and off the event loop.
        definition = await asyncio.to_thread(parse_sent_definition, text, name)
    except DefinitionFileError as exc:
        refuse(ctx, name, exc.problems, exc.total)
        return
    if isinstance(definition, Campaign) and await ctx.services.units.count():
        unknown = await ctx.services.importer.unknown_units(definition, name, text)
        if unknown:
            refuse(ctx, name, unknown, len(unknown))
            return
    if isinstance(definition, OrganisationFile):
        loaded = await ctx.services.importer.load_organisation(definition)
        ctx.reply(
            ctx.t(
                "publish.units_loaded",
                added=loaded.added,
                updated=loaded.updated,
                staff=loaded.staff,
            )
        )
        return
    await preview(ctx, definition, text)


def refuse(ctx: Context, name: str, problems: list[FileProblem], total: int) -> None:
    lines = [ctx.t("publish.invalid", name=name, count=total)]
    for p in problems[:PROBLEMS_SHOWN]:
        lines.append(
            ctx.t(
                "publish.problem",
                line=p.line or "—",
                field=p.field or "—",
                reason=p.explained(ctx.t),
            )
        )
    if total > PROBLEMS_SHOWN:
        lines.append(ctx.t("publish.more_problems", count=total - PROBLEMS_SHOWN))
    lines.append(ctx.t("publish.fix_and_resend"))
    ctx.reply(views.lines(*lines))


async def _scope(ctx: Context, campaign: Campaign) -> tuple[int, list[str]]:
    units = await ctx.services.units.subtree(campaign.participants.units)
    known = {u.code for u in units}
    people = await ctx.services.persons.reachable_in([u.id for u in units])
    return len(people), [c for c in campaign.participants.units if c not in known]


async def preview(ctx: Context, campaign: Campaign, text: str) -> None:
    existing = await ctx.services.campaigns.get(campaign.id)
    people, unknown = await _scope(ctx, campaign)
    lines = [
        ctx.t("publish.preview_update" if existing else "publish.preview_new", id=campaign.id),
        views.campaign_detail(ctx.t, campaign, ctx.today),
    ]
    if existing is None or existing.status != "published":
        lines.append(ctx.t("publish.scope", people=people))
    else:
        # An update of what people already use: what changes, and who is told.
        changes = campaign_changes(ctx.t, existing, campaign)
        lines.append(ctx.t("changes.header") if changes else ctx.t("changes.none"))
        lines += [ctx.t("changes.item", change=c) for c in changes]
        registered = await ctx.services.records.pledges.people_of(campaign.id)
        if changes and registered:
            lines.append(ctx.t("changes.told", people=len(registered)))
    if unknown:
        lines.append(ctx.t("publish.unknown_units", codes=", ".join(unknown)))
    ctx.expect("desk.publish", definition=text)
    ctx.reply(
        views.lines(*lines),
        [
            [Option(ctx.t("publish.publish"), "cu:pub")],
            [Option(ctx.t("publish.draft"), "cu:draft")],
            [Option(ctx.t("cancel.discard"), "cx:yes")],
        ],
    )


@router.option("cu")
async def publish_choice(ctx: Context) -> None:
    text = ctx.conversation.data.get("definition")
    if ctx.conversation.step != "desk.publish" or not isinstance(text, str):
        ctx.reply(ctx.t("errors.stale_option"))
        return
    ctx.done()
    campaign = parse_definition(text, Campaign, "")
    before = await ctx.services.campaigns.get(campaign.id)
    status = "published" if ctx.value == "pub" else "draft"
    campaign = campaign.model_copy(update={"status": status})
    await ctx.services.campaigns.upsert(campaign, f"chat:{ctx.person.id}")
    if status == "draft":
        ctx.reply(ctx.t("publish.saved_draft", campaign=campaign.short_title))
    elif before is not None and before.status == "published":
        told = await _tell_registered(ctx, before, campaign)
        ctx.reply(ctx.t("publish.updated", campaign=campaign.short_title, people=told))
    else:
        sent = await announce(ctx, campaign)
        ctx.reply(ctx.t("publish.published", campaign=campaign.short_title, people=sent))


async def _tell_registered(ctx: Context, before: Campaign, campaign: Campaign) -> int:
    """The people who registered, told what changed in their language; 0 when nothing did."""
    notices = []
    for person_id in await ctx.services.records.pledges.people_of(campaign.id):
        person = await ctx.services.persons.by_id(person_id)
        if person is None or person.unreachable:
            continue
        t = ctx.services.translator.for_language(person.locale)
        changes = campaign_changes(t, before, campaign)
        if not changes:
            return 0
        text = views.lines(
            t("changes.notice", campaign=campaign.short_title),
            *(t("changes.item", change=c) for c in changes),
        )
        notices.append(
            Notice(person, str(text), [[(t.plain("publish.details"), f"cp:{campaign.id}")]])
        )
    await ctx.services.records.notify(notices)
    return len(notices)


async def announce(ctx: Context, campaign: Campaign) -> int:
    """A notice with a button to register for everyone reachable in the target units."""
    units = await ctx.services.units.subtree(campaign.participants.units)
    people = await ctx.services.persons.reachable_in([u.id for u in units])
    notices = []
    for person in people:
        t = ctx.services.translator.for_language(person.locale)
        text = views.lines(
            t("publish.announcement", title=campaign.title, issuer=campaign.issuer),
            t("detail.period", period=period_said(t, campaign.period)),
        )
        options = [
            [
                (t.plain("menu.pledge"), f"pg:{campaign.id}"),
                (t.plain("publish.details"), f"cp:{campaign.id}"),
            ]
        ]
        notices.append(Notice(person, str(text), options))
    await ctx.services.records.notify(notices)
    return len(notices)


@router.command("announce")
async def announce_command(ctx: Context) -> None:
    campaigns = await ctx.services.campaigns.all()
    ctx.reply(ctx.t("desk.pick_campaign"), views.campaign_buttons(campaigns, "an"))


@router.option("an")
async def announce_choice(ctx: Context) -> None:
    slug, _, go = ctx.value.partition(":")
    campaign = await ctx.services.campaigns.get(slug)
    if campaign is None:
        ctx.reply(ctx.t("errors.stale_option"))
        return
    if go != "go":
        people, _ = await _scope(ctx, campaign)
        options = [[Option(ctx.t("publish.send"), f"an:{slug}:go")]]
        if campaign.status == "published":
            # Published by mistake, or ended before its time: both undone from here.
            options += [
                [Option(ctx.t("publish.unpublish"), f"cs:{slug}:draft")],
                [Option(ctx.t("publish.close_early"), f"cs:{slug}:closed")],
            ]
        ctx.reply(
            ctx.t("publish.announce_confirm", campaign=campaign.short_title, people=people),
            options,
        )
        return
    if campaign.status != "published":
        campaign = campaign.model_copy(update={"status": "published"})
        await ctx.services.campaigns.upsert(campaign, f"chat:{ctx.person.id}")
    sent = await announce(ctx, campaign)
    ctx.reply(ctx.t("publish.published", campaign=campaign.short_title, people=sent))


@router.option("cs")
async def change_state(ctx: Context) -> None:
    """Unpublish (back to a draft) or close early a published campaign; who registered is
    told, and their pledges are kept."""
    slug, _, rest = ctx.value.partition(":")
    state, _, go = rest.partition(":")
    campaign = await ctx.services.campaigns.get(slug)
    if campaign is None or campaign.status != "published" or state not in ("draft", "closed"):
        ctx.reply(ctx.t("errors.stale_option"))
        return
    registered = await ctx.services.records.pledges.people_of(slug)
    if go != "go":
        ctx.reply(
            ctx.t(f"publish.confirm_{state}", campaign=campaign.short_title,
                  people=len(registered)),
            [[Option(ctx.t("publish.confirm"), f"cs:{slug}:{state}:go")]],
        )  # fmt: skip
        return
    await ctx.services.campaigns.upsert(
        campaign.model_copy(update={"status": state}), f"chat:{ctx.person.id}"
    )
    notices = []
    for person_id in registered:
        person = await ctx.services.persons.by_id(person_id)
        if person is not None and not person.unreachable:
            t = ctx.services.translator.for_language(person.locale)
            text = t(f"publish.told_{state}", campaign=campaign.title,
                     date=format_vn_date(ctx.today))  # fmt: skip
            notices.append(Notice(person, str(text), [[(t.plain("menu.my"), "go:my")]]))
    await ctx.services.records.notify(notices)
    ctx.reply(ctx.t(f"publish.done_{state}", campaign=campaign.short_title, people=len(notices)))


@router.command("remind")
async def remind_command(ctx: Context) -> None:
    records = ctx.services.records
    campaigns = [
        c for c in await ctx.services.catalog.published() if records.registration_open(c, ctx.today)
    ]
    if not campaigns:
        ctx.reply(ctx.t("pledge.none_open"))
        return
    ctx.reply(ctx.t("desk.pick_campaign"), views.campaign_buttons(campaigns, "rm"))


@router.option("rm")
async def remind_choice(ctx: Context) -> None:
    slug, _, go = ctx.value.partition(":")
    campaign = await ctx.services.catalog.get(slug)
    if campaign is None or not ctx.services.records.registration_open(campaign, ctx.today):
        ctx.reply(ctx.t("pledge.closed"))
        return
    units = await ctx.services.units.subtree(campaign.participants.units)
    # Not registered for this emulation year: last year's pledge does not count.
    year = campaign.emulation_year(ctx.today)
    registered, _ = await ctx.services.records.pledges.registered(slug, year)
    targets = [
        p
        for p in await ctx.services.persons.reachable_in([u.id for u in units])
        if p.id not in registered
    ]
    if go != "go":
        # The same count as /stats, split by who a reminder can reach and who it cannot.
        figures = await ctx.services.reports.figures(campaign, year, 0)
        listed = figures.not_on_bot
        unreachable = figures.not_registered_count - listed - len(targets)
        lines = [
            ctx.t("remind.confirm", campaign=campaign.short_title, year=year,
                  total=figures.not_registered_count, people=len(targets))
        ]  # fmt: skip
        if listed:
            lines.append(ctx.t("remind.not_on_bot", listed=listed))
        if unreachable > 0:
            lines.append(ctx.t("remind.unreachable", count=unreachable))
        ctx.reply(
            views.lines(*lines),
            [[Option(ctx.t("publish.send"), f"rm:{slug}:go")]] if targets else [],
        )
        return
    notices = []
    for person in targets:
        t = ctx.services.translator.for_language(person.locale)
        until = registration_said(t, campaign, year)
        notices.append(
            Notice(
                person,
                t.plain("remind.text", campaign=campaign.title, until=until),
                [[(t.plain("menu.pledge"), f"pg:{campaign.id}")]],
            )
        )
    await ctx.services.records.notify(notices)
    ctx.reply(ctx.t("remind.sent", people=len(notices)))


async def attach_plan_text(ctx: Context, campaign: Campaign) -> None:
    """A plan's own text, named after its campaign ("<id>.txt"): questions are answered from
    it, quoted with where in the plan they come from."""
    incoming = ctx.incoming.file
    assert incoming is not None
    name = safe_name(incoming.name)
    read = await _read_text(ctx, name, MAX_PLAN_TEXT_BYTES, "publish.plan_text_too_big")
    text = clean_block(read) if read is not None else None
    if text is None:
        return
    updated = Campaign.model_validate({**campaign.model_dump(), "plan_text": text})
    await ctx.services.campaigns.upsert(updated, name)
    ctx.reply(
        ctx.t(
            "publish.plan_text_attached",
            campaign=campaign.short_title,
            count=len(plan_passages(text)),
        )
    )


async def _read_text(ctx: Context, name: str, limit: int, too_big: str) -> str | None:
    """A sent file's text, read no further than `limit`; None (and the reason said) when it is
    too big or not UTF-8."""
    incoming = ctx.incoming.file
    assert incoming is not None
    try:
        if incoming.size is not None and incoming.size > limit:
            raise FileTooLarge
        return (await incoming.fetch(limit)).decode("utf-8")
    except FileTooLarge:
        ctx.reply(ctx.t(too_big, name=name))
    except UnicodeDecodeError:
        ctx.reply(ctx.t("publish.not_utf8", name=name))
    return None
