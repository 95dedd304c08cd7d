"""/pledge: register an emulation pledge (đăng ký thi đua) — campaign, title, commitments,
review, confirm — and edit or withdraw it until the registration deadline."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import cast

from markupsafe import Markup

from bot.domain.campaign import Campaign, Recipients
from bot.domain.dates import format_vn_date
from bot.domain.errors import AlreadyExists
from bot.domain.records import Pledge, PledgeKind
from bot.engine.context import Context
from bot.engine.events import Option
from bot.numbers import index_in, record_id
from bot.services.dates_said import registration_said
from bot.services.records import Notice
from handlers import views
from handlers.menu import main_menu
from handlers.privacy import private_router
from handlers.texts import clean_text

router = private_router()

BOX = {True: "☑ ", False: "☐ "}
OWN_LIMIT = 1000
OWN_MAX = 10


def _recipients(kind: str) -> Recipients:
    return "collective" if kind == "collective" else "individual"


async def _open_campaigns(ctx: Context) -> list[Campaign]:
    mine = await ctx.services.catalog.concerning(ctx.person)
    return [c for c in mine if ctx.services.records.registration_open(c, ctx.today)]


async def need_unit(ctx: Context) -> bool:
    """Pledges and initiatives need the person's unit: say so and offer to choose it."""
    if ctx.person.has_joined:
        return False
    ctx.reply(ctx.t("records.need_unit"), [[Option(ctx.t("menu.join"), "u:b:")]])
    return True


@router.command("pledge", starts_flow=True)
async def pledge_command(ctx: Context) -> None:
    if await need_unit(ctx):
        return
    campaigns = await _open_campaigns(ctx)
    if not campaigns:
        ctx.reply(ctx.t("pledge.none_open"), main_menu(ctx.t))
    elif len(campaigns) == 1:
        await _start(ctx, campaigns[0])
    else:
        ctx.reply(ctx.t("pledge.pick_campaign"), views.campaign_buttons(campaigns, "pg", ""))


@router.option("pg")
async def pledge_option(ctx: Context) -> None:
    """pg:<campaign> starts; pg:k:… pg:t:… pg:x:… pg:n pg:ok pg:et pg:ec act on the draft."""
    action, _, arg = ctx.value.partition(":")
    if action in DRAFT_BUTTONS:
        step, handler = DRAFT_BUTTONS[action]
        if ctx.conversation.flow != "pledge":
            ctx.reply(ctx.t("errors.stale_option"), main_menu(ctx.t))
        elif ctx.conversation.step != step:  # a button from an earlier step of the draft
            ctx.reply(ctx.t("errors.stale_option"))
            await resume_pledge(ctx)
        else:
            await handler(ctx, arg)
        return
    if await need_unit(ctx):
        return
    # Only a campaign open now that covers the person's unit: forged data gets no further.
    campaign = next((c for c in await _open_campaigns(ctx) if c.id == ctx.value), None)
    if campaign is None:
        ctx.reply(ctx.t("pledge.closed"), main_menu(ctx.t))
        return
    if ctx.conversation.flow in ("pledge", "initiative"):
        ctx.conversation.clear()
    await _start(ctx, campaign)


async def _start(ctx: Context, campaign: Campaign) -> None:
    ctx.expect("pledge.kind", campaign=campaign.id, selected=[], own=[])
    if ctx.person.role == "unit_head":
        ctx.reply(
            ctx.t("pledge.ask_kind", campaign=campaign.short_title),
            [
                [Option(ctx.t("pledge.kind_individual"), "pg:k:individual")],
                [Option(ctx.t("pledge.kind_collective"), "pg:k:collective")],
            ],
        )
        return
    await _kind_chosen(ctx, "individual")


async def _campaign(ctx: Context) -> Campaign | None:
    campaign = await ctx.services.catalog.get(str(ctx.conversation.data.get("campaign", "")))
    if campaign is None or not ctx.services.records.registration_open(campaign, ctx.today):
        ctx.done()
        ctx.reply(ctx.t("pledge.closed"), main_menu(ctx.t))
        return None
    return campaign


async def _kind_chosen(ctx: Context, kind: str) -> None:
    if kind == "collective" and ctx.person.role != "unit_head":
        ctx.reply(ctx.t("errors.not_allowed"))
        return
    campaign = await _campaign(ctx)
    if campaign is None:
        return
    ctx.conversation.data["kind"] = kind
    if not await _offer_last_year(ctx, campaign):
        await _ask_title(ctx, campaign)


async def _last_year(ctx: Context, campaign: Campaign) -> Pledge | None:
    """The person's (or unit's) pledge of an earlier emulation year, to start this one from."""
    assert ctx.person.unit_id is not None
    return await ctx.services.records.pledges.last_of(
        campaign.id,
        cast(PledgeKind, ctx.conversation.data["kind"]),
        ctx.person.id,
        ctx.person.unit_id,
        before=campaign.emulation_year(ctx.today),
    )


async def _offer_last_year(ctx: Context, campaign: Campaign) -> bool:
    last = await _last_year(ctx, campaign)
    if last is None:
        return False
    ctx.expect("pledge.copy")
    count = len(last.commitments) + len(last.own_commitments)
    ctx.reply(
        ctx.t(
            "pledge.last_year",
            year=last.year,
            title=last.title,
            count=count,
            new_year=campaign.emulation_year(ctx.today),
        ),
        [
            [Option(ctx.t("pledge.copy_last", year=last.year), "pg:cp:yes")],
            [Option(ctx.t("pledge.start_afresh"), "pg:cp:no")],
        ],
    )
    return True


async def _copy_chosen(ctx: Context, arg: str) -> None:
    """Last year's title and commitments, as far as this year's plan still has them; the
    person reviews (and may change) them before sending."""
    campaign = await _campaign(ctx)
    if campaign is None:
        return
    last = await _last_year(ctx, campaign) if arg == "yes" else None
    if last is None:
        await _ask_title(ctx, campaign)
        return
    data = ctx.conversation.data
    titles = campaign.pledge_titles(_recipients(data["kind"])) or [
        ctx.t.plain("pledge.generic_title")
    ]
    items = campaign.pledge_commitments(_recipients(data["kind"]))
    data["titles"] = titles
    data["selected"] = [n for n, item in enumerate(items) if item in last.commitments]
    data["own"] = list(last.own_commitments)
    if last.title not in titles:
        await _ask_title(ctx, campaign)
        return
    data["title"] = last.title
    await _review(ctx)


async def _ask_title(ctx: Context, campaign: Campaign) -> None:
    titles = campaign.pledge_titles(_recipients(ctx.conversation.data["kind"]))
    if not titles:
        titles = [ctx.t.plain("pledge.generic_title")]
    ctx.conversation.data["titles"] = titles
    ctx.expect("pledge.title")
    ctx.reply(
        ctx.t("pledge.ask_title", campaign=campaign.short_title),
        [[Option(title, f"pg:t:{n}")] for n, title in enumerate(titles)],
    )


async def _title_chosen(ctx: Context, arg: str) -> None:
    titles: list[str] = ctx.conversation.data.get("titles", [])
    chosen = index_in(arg, len(titles))
    if chosen is None:
        ctx.reply(ctx.t("errors.stale_option"))
        return
    title = titles[chosen]
    campaign = await _campaign(ctx)
    if campaign is None:
        return
    data = ctx.conversation.data
    if not data.get("pledge_id"):
        existing = await _existing(ctx, campaign, title)
        if existing is not None:
            ctx.done()
            ctx.reply(ctx.t("pledge.already", ref=existing.ref))
            await show_pledge(ctx, existing)
            return
    data["title"] = title
    if data.get("reviewing"):
        await _review(ctx)
    else:
        _ask_commitments(ctx, campaign)


async def _existing(ctx: Context, campaign: Campaign, title: str) -> Pledge | None:
    kind = cast(PledgeKind, ctx.conversation.data["kind"])
    assert ctx.person.unit_id is not None
    return await ctx.services.records.pledges.active(
        campaign.id,
        campaign.emulation_year(ctx.today),
        kind,
        title,
        ctx.person.id,
        ctx.person.unit_id,
    )


def _commitment_text(ctx: Context, campaign: Campaign, *, edit: bool = False) -> None:
    data = ctx.conversation.data
    items = campaign.pledge_commitments(_recipients(data["kind"]))
    selected = set(data.get("selected", []))
    if not items:  # the plan sets no criteria for them: their own commitments only
        plan = views.plan_name(ctx.t, campaign)
        lines = [ctx.t("pledge.no_criteria", plan=plan, limit=OWN_LIMIT)]
    elif ctx.profile.buttons:  # the list in the text, numbered buttons under it
        lines = [ctx.t("pledge.ask_commitments", limit=OWN_LIMIT)]
        lines += [
            ctx.t("pledge.item_on" if n in selected else "pledge.item_off", number=n + 1, text=item)
            for n, item in enumerate(items)
        ]
    else:  # a numbered list is the options themselves: each item once, with its number
        lines = [ctx.t("pledge.ask_commitments_numbered", limit=OWN_LIMIT)]
    if data.get("own"):
        lines.append(Markup("\n") + ctx.t("pledge.own_header"))
        lines += [ctx.t("detail.bullet", text=own) for own in data["own"]]
    if ctx.profile.buttons:
        rows = _short_toggles(selected, len(items))
    else:
        rows = [[Option(BOX[n in selected] + item, f"pg:x:{n}")] for n, item in enumerate(items)]
    rows.append([Option(ctx.t("pledge.next"), "pg:n")])
    ctx.reply(views.lines(*lines), rows, edit=edit)


def _short_toggles(selected: set[int], count: int) -> list[list[Option]]:
    """A button (or a number) per commitment, five to a row: its box and its number."""
    toggles = [Option(BOX[n in selected] + str(n + 1), f"pg:x:{n}") for n in range(count)]
    return [toggles[i : i + 5] for i in range(0, len(toggles), 5)]


def _ask_commitments(ctx: Context, campaign: Campaign) -> None:
    ctx.expect("pledge.commit")
    _commitment_text(ctx, campaign)


async def _toggle(ctx: Context, arg: str) -> None:
    campaign = await _campaign(ctx)
    if campaign is None:
        return
    data = ctx.conversation.data
    count = len(campaign.pledge_commitments(_recipients(data["kind"])))
    ticked = index_in(arg, count)
    if ticked is None:
        ctx.reply(ctx.t("errors.stale_option"))
        return
    selected = set(data.get("selected", []))
    selected ^= {ticked}
    data["selected"] = sorted(selected)
    if ctx.profile.edits:  # the checklist is replaced where it was
        _commitment_text(ctx, campaign, edit=True)
        return
    # Where a message cannot be replaced, the change and the numbers, not the whole list again.
    number = int(arg)
    item = campaign.pledge_commitments(_recipients(data["kind"]))[number]
    key = "pledge.ticked" if number in selected else "pledge.unticked"
    ctx.reply(
        views.lines(
            ctx.t(key, text=item),
            ctx.t("pledge.ticked_count", count=len(selected), total=count),
        ),
        [*_short_toggles(selected, count), [Option(ctx.t("pledge.next"), "pg:n")]],
    )


@router.step("pledge.commit")
async def own_commitment(ctx: Context) -> None:
    data = ctx.conversation.data
    text = clean_text(ctx, ctx.incoming.text, 3, OWN_LIMIT)
    if text is None:
        return
    if len(data.get("own", [])) >= OWN_MAX:
        ctx.reply(ctx.t("pledge.own_full", count=OWN_MAX))
        return
    data.setdefault("own", []).append(text)
    campaign = await _campaign(ctx)
    if campaign is not None:
        ctx.reply(ctx.t("pledge.own_added", text=text))
        _commitment_text(ctx, campaign)


async def _commitments_done(ctx: Context, _: str) -> None:
    data = ctx.conversation.data
    if not data.get("selected") and not data.get("own"):
        ctx.reply(ctx.t("pledge.need_commitment"))
        return
    await _review(ctx)


def pledge_summary(
    ctx: Context,
    campaign: Campaign | None,
    kind: str,
    title: str,
    commitments: list[str],
    own: list[str],
    who: str,
) -> Markup:
    lines = [
        ctx.t("pledge.campaign", campaign=campaign.short_title if campaign else "—"),
        ctx.t(f"pledge.who_{kind}", name=who),
        ctx.t("pledge.title", title=title),
    ]
    if commitments:
        lines += [ctx.t("pledge.commitments"), views.bullets(ctx.t, commitments)]
    if own:
        lines += [ctx.t("pledge.own_header"), views.bullets(ctx.t, own)]
    return views.lines(*lines)


async def _who(ctx: Context, kind: str, person_name: str | None, unit_id: int) -> str:
    if kind == "collective":
        unit = await ctx.services.units.by_id(unit_id)
        return unit.name if unit else "—"
    return person_name or "—"


async def _review(ctx: Context) -> None:
    campaign = await _campaign(ctx)
    if campaign is None:
        return
    data = ctx.conversation.data
    data["reviewing"] = True
    items = campaign.pledge_commitments(_recipients(data["kind"]))
    chosen = [items[n] for n in data.get("selected", []) if n < len(items)]
    assert ctx.person.unit_id is not None
    who = await _who(ctx, data["kind"], ctx.person.full_name, ctx.person.unit_id)
    ctx.expect("pledge.review")
    summary = pledge_summary(
        ctx, campaign, data["kind"], data["title"], chosen, data.get("own", []), who
    )
    ctx.reply(
        views.lines(ctx.t("pledge.review"), summary),
        [
            [Option(ctx.t("pledge.confirm"), "pg:ok")],
            [
                Option(ctx.t("pledge.edit_title"), "pg:et"),
                Option(ctx.t("pledge.edit_commitments"), "pg:ec"),
            ],
            [Option(ctx.t("cancel.discard"), "cx:yes")],
        ],
    )


@router.step("pledge.review")
async def text_at_review(ctx: Context) -> None:
    ctx.reply(ctx.t("pledge.review_hint"))
    await _review(ctx)


async def _edit_title(ctx: Context, _: str) -> None:
    campaign = await _campaign(ctx)
    if campaign is not None:
        await _ask_title(ctx, campaign)


async def _edit_commitments(ctx: Context, _: str) -> None:
    campaign = await _campaign(ctx)
    if campaign is not None:
        _ask_commitments(ctx, campaign)


async def _confirm(ctx: Context, _: str) -> None:
    campaign = await _campaign(ctx)
    if campaign is None:
        return
    data = ctx.conversation.data
    if not data.get("title") or (not data.get("selected") and not data.get("own")):
        ctx.reply(ctx.t("pledge.need_commitment"))  # every check a typed answer gets
        _ask_commitments(ctx, campaign)
        return
    kind = cast(PledgeKind, data["kind"])
    items = campaign.pledge_commitments(_recipients(kind))
    chosen = [items[n] for n in data.get("selected", []) if n < len(items)]
    own: list[str] = data.get("own", [])
    records = ctx.services.records
    assert ctx.person.unit_id is not None
    if data.get("pledge_id"):
        pledge = await records.pledges.by_id(int(data["pledge_id"]))
        if (
            pledge is None
            or pledge.person_id != ctx.person.id
            or not records.pledge_editable(pledge, campaign, ctx.today)
        ):
            ctx.done()
            ctx.reply(ctx.t("pledge.locked"))
            return
        saved = await records.edit_pledge(ctx.person, pledge, data["title"], chosen, own, [])
        ctx.done()
        ctx.reply(ctx.t("pledge.updated", ref=saved.ref), [[Option(ctx.t("menu.my"), "go:my")]])
        return
    notices = await _notify_heads(ctx, campaign, data["title"]) if kind == "individual" else []
    try:
        saved = await records.register_pledge(
            ctx.person,
            campaign,
            kind,
            ctx.person.unit_id,
            data["title"],
            chosen,
            own,
            campaign.emulation_year(ctx.today),
            notices,
        )
    except AlreadyExists:  # registered meanwhile (another device, a double tap)
        existing = await _existing(ctx, campaign, data["title"])
        ctx.done()
        if existing is not None:
            ctx.reply(ctx.t("pledge.already", ref=existing.ref))
            await show_pledge(ctx, existing)
        return
    ctx.done()
    who = await _who(ctx, kind, ctx.person.full_name, ctx.person.unit_id)
    ctx.reply(
        views.lines(
            ctx.t("pledge.saved", ref=saved.ref),
            pledge_summary(ctx, campaign, kind, saved.title, chosen, own, who),
            Markup("\n")
            + ctx.t(
                "pledge.saved_next",
                until=registration_said(ctx.t, campaign, campaign.emulation_year(ctx.today)),
            ),
        ),
        [[Option(ctx.t("menu.my"), "go:my")]],
    )


async def _notify_heads(ctx: Context, campaign: Campaign, title: str) -> list[Notice]:
    assert ctx.person.unit_id is not None
    notices = []
    for head in await ctx.services.persons.heads_of(ctx.person.unit_id):
        if head.id == ctx.person.id:
            continue
        t = ctx.services.translator.for_language(head.locale)
        text = t(
            "unit.new_pledge", name=ctx.person.full_name, title=title, campaign=campaign.short_title
        )
        notices.append(Notice(head, str(text), [[(t.plain("unit.open"), "hu:")]]))
    return notices


# --- one pledge, seen from /my --------------------------------------------------------
async def show_pledge(
    ctx: Context,
    pledge: Pledge,
    *,
    options: list[list[Option]] | None = None,
) -> None:
    """One pledge whole; `options` replaces the owner's buttons (the head's, the desk's)."""
    campaign = await ctx.services.catalog.get(pledge.campaign_id)
    # As filed: the name and unit it was registered under, whatever changed since.
    filed = pledge.filed_unit if pledge.kind == "collective" else pledge.filed_name
    if filed:
        who = filed
    else:
        owner = await ctx.services.persons.by_id(pledge.person_id)
        who = await _who(ctx, pledge.kind, owner.full_name if owner else None, pledge.unit_id)
    lines = [
        ctx.t("pledge.header", ref=pledge.ref, year=pledge.year),
        ctx.t("records.status", status=ctx.t(f"status.pledge.{pledge.status}")),
        pledge_summary(
            ctx,
            campaign,
            pledge.kind,
            pledge.title,
            pledge.commitments,
            pledge.own_commitments,
            who,
        ),
    ]
    if pledge.comment:
        lines.append(ctx.t("records.comment", comment=pledge.comment))
    records = ctx.services.records
    if options is not None:
        ctx.reply(views.lines(*lines), options)
        return
    options = []
    if records.pledge_editable(pledge, campaign, ctx.today):
        options.append(
            [
                Option(ctx.t("records.edit"), f"pe:{pledge.id}"),
                Option(ctx.t("records.withdraw"), f"pw:{pledge.id}"),
            ]
        )
    elif campaign is not None and pledge.status in ("submitted", "confirmed", "returned"):
        lines.append(
            ctx.t(
                "pledge.locked_after",
                date=format_vn_date(campaign.registration_window_for(pledge.year).end),
            )
        )
    ctx.reply(views.lines(*lines), options)


async def own_pledge(ctx: Context) -> tuple[Pledge, Campaign | None] | None:
    """The person's own pledge named by the option, or a polite refusal."""
    number = ctx.value.split(":")[0]
    ident = record_id(number)
    pledge = await ctx.services.records.pledges.by_id(ident) if ident else None
    if pledge is None or pledge.person_id != ctx.person.id:
        ctx.reply(ctx.t("errors.not_yours"))
        return None
    return pledge, await ctx.services.catalog.get(pledge.campaign_id)


@router.option("pe")
async def edit_pledge(ctx: Context) -> None:
    found = await own_pledge(ctx)
    if found is None:
        return
    pledge, campaign = found
    if campaign is None or not ctx.services.records.pledge_editable(pledge, campaign, ctx.today):
        ctx.reply(ctx.t("pledge.locked"))
        return
    items = campaign.pledge_commitments(_recipients(pledge.kind))
    ctx.done()
    ctx.expect(
        "pledge.review",
        campaign=campaign.id,
        kind=pledge.kind,
        title=pledge.title,
        selected=[n for n, item in enumerate(items) if item in pledge.commitments],
        own=list(pledge.own_commitments),
        pledge_id=pledge.id,
    )
    await _review(ctx)


@router.option("pw")
async def withdraw_pledge(ctx: Context) -> None:
    found = await own_pledge(ctx)
    if found is None:
        return
    pledge, campaign = found
    if not ctx.services.records.pledge_editable(pledge, campaign, ctx.today):
        ctx.reply(ctx.t("pledge.locked"))
        return
    if not ctx.value.endswith(":yes"):
        ctx.reply(
            ctx.t("pledge.withdraw_confirm", ref=pledge.ref),
            [
                [
                    Option(ctx.t("records.withdraw_yes"), f"pw:{pledge.id}:yes"),
                    Option(ctx.t("records.keep"), f"my:p:{pledge.id}"),
                ]
            ],
        )
        return
    if await ctx.services.records.change_pledge_status(ctx.person, pledge, "withdrawn", None, []):
        ctx.reply(ctx.t("pledge.withdrawn", ref=pledge.ref), [[Option(ctx.t("menu.my"), "go:my")]])
    else:
        ctx.reply(ctx.t("records.changed_meanwhile"))


# Each button of a draft acts at one step; from any other it is answered as stale.
DRAFT_BUTTONS: dict[str, tuple[str, Callable[[Context, str], Awaitable[None]]]] = {
    "k": ("pledge.kind", _kind_chosen),
    "cp": ("pledge.copy", _copy_chosen),
    "t": ("pledge.title", _title_chosen),
    "x": ("pledge.commit", _toggle),
    "n": ("pledge.commit", _commitments_done),
    "ok": ("pledge.review", _confirm),
    "et": ("pledge.review", _edit_title),
    "ec": ("pledge.review", _edit_commitments),
}


@router.prompt("pledge")
async def resume_pledge(ctx: Context) -> None:
    step = ctx.conversation.step
    campaign = await _campaign(ctx)
    if campaign is None:
        return
    if step == "pledge.kind":
        await _start(ctx, campaign)
    elif step == "pledge.copy" and await _offer_last_year(ctx, campaign):
        pass
    elif step in ("pledge.title", "pledge.copy"):
        await _ask_title(ctx, campaign)
    elif step == "pledge.commit":
        _commitment_text(ctx, campaign)
    else:
        await _review(ctx)
