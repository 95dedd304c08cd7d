"""/review: initiatives waiting (oldest first) and pledges to accept; decisions reach the author
with the comment. Two members deciding at once: the second sees it was already decided."""

from __future__ import annotations

from typing import cast

from markupsafe import Markup

from bot.domain.records import Initiative, InitiativeStatus, Person, Pledge, PledgeStatus
from bot.engine.context import Context
from bot.engine.events import Option, OutgoingFile
from bot.numbers import record_id
from bot.services.records import Notice
from handlers import views
from handlers.initiatives import show_initiative
from handlers.pledges import show_pledge
from handlers.secretariat.access import desk_router
from handlers.secretariat.awards import award_buttons
from handlers.texts import clean_text

router = desk_router()
COMMENT_LIMIT = 1000
LIST_LIMIT = 20

# Where an initiative may go from where it is; anything else was decided already.
INITIATIVE_MOVES: dict[str, set[str]] = {
    "submitted": {"under_review", "recognised", "needs_changes", "not_recognised"},
    "under_review": {"recognised", "needs_changes", "not_recognised"},
}
PLEDGE_MOVES: dict[str, set[str]] = {
    "submitted": {"accepted", "returned"},
    "confirmed": {"accepted", "returned"},
    "accepted": {"achieved", "not_achieved"},
}
NEEDS_COMMENT = {"needs_changes", "not_recognised", "returned"}


async def _waiting(ctx: Context) -> tuple[list[Initiative], list[Pledge]]:
    records = ctx.services.records
    initiatives = await records.initiatives.with_status(("submitted", "under_review"))
    pledges = await records.pledges.with_status(("submitted", "confirmed"))
    return initiatives, pledges


@router.command("review")
async def review_list(ctx: Context) -> None:
    initiatives, pledges = await _waiting(ctx)
    accepted = await ctx.services.records.pledges.with_status(("accepted", "achieved"))
    if not initiatives and not pledges and not accepted:
        ctx.reply(ctx.t("review.nothing"))
        return
    lines = [ctx.t("review.header", initiatives=len(initiatives), pledges=len(pledges))]
    options: list[list[Option]] = []
    for i in initiatives[:LIST_LIMIT]:
        status = ctx.t(f"status.initiative.{i.status}")
        waited = _waited(ctx, i.updated_at)
        lines.append(
            ctx.t("review.initiative_item", ref=i.ref, title=i.title, status=status, waited=waited)
        )
        options.append([Option(f"💡 {i.ref} · {views.short(i.title)}", f"rv:i:{i.id}")])
    for p in pledges[:LIST_LIMIT]:
        lines.append(await _pledge_line(ctx, p))
        options.append([Option(f"📝 {p.ref} · {views.short(p.filed_name or p.title)}",
                               f"rv:p:{p.id}")])  # fmt: skip
    if accepted:
        # Accepted pledges stay reachable: this is where award proposals are made.
        options.append([Option(ctx.t("review.to_nominate", count=len(accepted)), "rv:a")])
    ctx.reply(views.lines(*lines), options)


async def _pledge_line(ctx: Context, p: Pledge) -> Markup:
    """Who, which unit, which campaign and year: enough to pick from a list."""
    campaign = await ctx.services.catalog.get(p.campaign_id)
    return ctx.t(
        "review.pledge_item",
        ref=p.ref,
        year=p.year,
        name=p.filed_name or "—",
        unit=p.filed_unit or "—",
        campaign=campaign.short_title if campaign else p.campaign_id,
        title=p.title,
        status=ctx.t(f"status.pledge.{p.status}"),
        waited=_waited(ctx, p.updated_at),
    )


def _waited(ctx: Context, stamp: str) -> Markup:
    return views.waited(ctx.t, stamp, ctx.today, ctx.services.clock.local)


async def accepted_list(ctx: Context) -> None:
    """Accepted and achieved pledges, to propose for an award form."""
    pledges = await ctx.services.records.pledges.with_status(("accepted", "achieved"))
    if not pledges:
        ctx.reply(ctx.t("review.nothing"))
        return
    lines = [ctx.t("review.accepted_header", count=len(pledges))]
    options: list[list[Option]] = []
    for p in pledges[:LIST_LIMIT]:
        lines.append(await _pledge_line(ctx, p))
        options.append([Option(f"🏅 {p.ref} · {views.short(p.filed_name or p.title)}",
                               f"rv:p:{p.id}")])  # fmt: skip
    options.append([Option(ctx.t("review.back"), "rv:l")])
    ctx.reply(views.lines(*lines), options)


def initiative_review_options(ctx: Context, initiative: Initiative) -> list[list[Option]]:
    moves = INITIATIVE_MOVES.get(initiative.status, set())
    order = ("under_review", "recognised", "needs_changes", "not_recognised")
    rows = [
        [Option(ctx.t(f"review.to_{s}"), f"rv:s:i:{initiative.id}:{s}")]
        for s in order
        if s in moves
    ]
    if initiative.attachments:
        rows.append([Option(ctx.t("review.files"), f"rv:f:{initiative.id}")])
    rows.append([Option(ctx.t("review.back"), "rv:l")])
    return rows


def _pledge_actions(
    ctx: Context, pledge: Pledge, campaign_awards: list[list[Option]]
) -> list[list[Option]]:
    moves = PLEDGE_MOVES.get(pledge.status, set())
    order = ("accepted", "returned", "achieved", "not_achieved")
    rows = [
        [Option(ctx.t(f"review.to_{s}"), f"rv:s:p:{pledge.id}:{s}")] for s in order if s in moves
    ]
    return [*rows, *campaign_awards, [Option(ctx.t("review.back"), "rv:l")]]


async def pledge_review_options(ctx: Context, pledge: Pledge) -> list[list[Option]]:
    """The desk's buttons under a pledge: its next decisions and its award forms."""
    return _pledge_actions(ctx, pledge, await award_buttons(ctx, pledge))


@router.option("rv")
async def review_option(ctx: Context) -> None:
    action, _, rest = ctx.value.partition(":")
    records = ctx.services.records
    if action == "l":
        await review_list(ctx)
    elif action == "a":
        await accepted_list(ctx)
    elif action == "i" and (initiative := await records.initiatives.by_id(_int(rest))):
        await show_initiative(ctx, initiative, initiative_review_options(ctx, initiative))
    elif action == "p" and (pledge := await records.pledges.by_id(_int(rest))):
        await show_pledge(ctx, pledge, options=await pledge_review_options(ctx, pledge))
    elif action == "f" and (initiative := await records.initiatives.by_id(_int(rest))):
        files = [
            OutgoingFile(a.file_name, ctx.services.files.path(a)) for a in initiative.attachments
        ]
        # The decisions come back under the files: the reviewer reads, then decides.
        ctx.reply(
            ctx.t("review.files_sent", ref=initiative.ref, count=len(files)),
            [
                row
                for row in initiative_review_options(ctx, initiative)
                if row[0].data[:4] != "rv:f"
            ],
            files=files,
        )
    elif action == "s":
        kind, _, tail = rest.partition(":")
        number, _, status = tail.partition(":")
        await _decide_or_ask(ctx, kind, _int(number), status)
    else:
        ctx.reply(ctx.t("errors.stale_option"))


def _int(text: str) -> int:
    """A record's id from an option; 0 (no such record) for anything else."""
    return record_id(text) or 0


async def _decide_or_ask(ctx: Context, kind: str, number: int, status: str) -> None:
    records = ctx.services.records
    record: Initiative | Pledge | None = (
        await records.initiatives.by_id(number)
        if kind == "i"
        else await records.pledges.by_id(number)
    )
    moves = INITIATIVE_MOVES if kind == "i" else PLEDGE_MOVES
    # Only moves listed here get through, which is what makes the casts in _decide safe.
    if record is None or status not in moves.get(record.status, set()):
        await _already_decided(ctx, record, kind)
        return
    if status in NEEDS_COMMENT:
        ctx.expect("review.comment", kind=kind, id=number, status=status, was=record.status)
        ctx.reply(
            ctx.t("review.ask_comment", ref=record.ref, status=_status_label(ctx, kind, status))
        )
        return
    await _decide(ctx, kind, record, status, None)


@router.step("review.comment")
async def comment_given(ctx: Context) -> None:
    comment = clean_text(ctx, ctx.incoming.text, 3, COMMENT_LIMIT)
    if comment is None:
        return
    data = dict(ctx.conversation.data)
    ctx.done()
    records = ctx.services.records
    kind = str(data["kind"])
    record: Initiative | Pledge | None = (
        await records.initiatives.by_id(int(data["id"]))
        if kind == "i"
        else await records.pledges.by_id(int(data["id"]))
    )
    if record is None or record.status != data["was"]:
        await _already_decided(ctx, record, kind)
        return
    await _decide(ctx, kind, record, str(data["status"]), comment)


def _status_label(ctx: Context, kind: str, status: str) -> str:
    return ctx.t.plain(f"status.{'initiative' if kind == 'i' else 'pledge'}.{status}")


async def _already_decided(ctx: Context, record: Initiative | Pledge | None, kind: str) -> None:
    if record is None:
        ctx.reply(ctx.t("errors.stale_option"))
        return
    ctx.reply(
        ctx.t("review.already", ref=record.ref, status=_status_label(ctx, kind, record.status)),
        [[Option(ctx.t("review.back"), "rv:l")]],
    )


async def _decide(
    ctx: Context, kind: str, record: Initiative | Pledge, status: str, comment: str | None
) -> None:
    records = ctx.services.records
    owner = await ctx.services.persons.by_id(record.person_id)
    notices = _tell_owner(ctx, owner, kind, record.ref, status, comment)
    if isinstance(record, Initiative):
        done = await records.change_initiative_status(
            ctx.person, record, cast(InitiativeStatus, status), comment, notices
        )
    else:
        done = await records.change_pledge_status(
            ctx.person, record, cast(PledgeStatus, status), comment, notices
        )
    if not done:
        fresh = await (
            records.initiatives.by_id(record.id)
            if kind == "i"
            else records.pledges.by_id(record.id)
        )
        await _already_decided(ctx, fresh, kind)
        return
    decided = ctx.t("review.decided", ref=record.ref, status=_status_label(ctx, kind, status))
    fresh_pledge = await records.pledges.by_id(record.id) if kind == "p" else None
    if fresh_pledge is not None and fresh_pledge.status in ("accepted", "achieved"):
        # What comes next for an accepted pledge: the award proposal, and its outcome.
        ctx.reply(decided)
        await show_pledge(ctx, fresh_pledge, options=await pledge_review_options(ctx, fresh_pledge))
        return
    ctx.reply(decided, [[Option(ctx.t("review.back"), "rv:l")]])


def _tell_owner(
    ctx: Context, owner: Person | None, kind: str, ref: str, status: str, comment: str | None
) -> list[Notice]:
    if owner is None or owner.id == ctx.person.id:
        return []
    t = ctx.services.translator.for_language(owner.locale)
    label = t(f"status.{'initiative' if kind == 'i' else 'pledge'}.{status}")
    text = t("review.told", ref=ref, status=label)
    if comment:
        text = views.lines(text, t("records.comment", comment=comment))
    return [Notice(owner, str(text), [[(t.plain("menu.my"), "go:my")]])]
