"""A unit head (trưởng phòng / thủ trưởng đơn vị) sees members' pledges and confirms or
returns them with a comment; the member is told."""

from __future__ import annotations

from bot.domain.records import Pledge, PledgeStatus
from bot.engine.context import Context
from bot.engine.events import Option
from bot.numbers import record_id, whole_number
from bot.services.nominations import award_name
from bot.services.records import Notice
from handlers import views
from handlers.pledges import show_pledge
from handlers.privacy import private_router
from handlers.secretariat.awards import PROPOSABLE, award_choices
from handlers.texts import clean_text

router = private_router()
COMMENT_LIMIT = 1000


def _is_head(ctx: Context) -> bool:
    if ctx.person.role == "unit_head" and ctx.person.unit_id is not None:
        return True
    ctx.reply(ctx.t("errors.not_allowed"))
    return False


async def _members_pledge(ctx: Context, value: str) -> Pledge | None:
    """A pledge of the head's own unit; anything else is refused (checked every time)."""
    ident = record_id(value)
    pledge = await ctx.services.records.pledges.by_id(ident) if ident else None
    if pledge is None or pledge.unit_id != ctx.person.unit_id:
        ctx.reply(ctx.t("errors.not_yours"))
        return None
    return pledge


@router.option("hu")
async def unit_pledges(ctx: Context) -> None:
    if not _is_head(ctx):
        return
    assert ctx.person.unit_id is not None
    pledges = await ctx.services.records.pledges.of_unit(ctx.person.unit_id)
    if not pledges:
        ctx.reply(ctx.t("unit.none"))
        return
    lines = [ctx.t("unit.header")]
    options = []
    for pledge in pledges:
        owner = await ctx.services.persons.by_id(pledge.person_id)
        name = owner.full_name if owner else "—"
        lines.append(
            ctx.t(
                "unit.item",
                ref=pledge.ref,
                name=name,
                title=pledge.title,
                status=ctx.t(f"status.pledge.{pledge.status}"),
            )
        )
        options.append([Option(f"{pledge.ref} · {name}", f"hp:{pledge.id}")])
    waiting = [p for p in pledges if p.status == "submitted" and p.person_id != ctx.person.id]
    if len(waiting) > 1:
        options.insert(0, [Option(ctx.t("unit.confirm_all", count=len(waiting)), "ha:")])
    ctx.reply(views.lines(*lines), options)


@router.option("ha")
async def confirm_all(ctx: Context) -> None:
    """Every member's pledge still waiting, confirmed at once (each checked and told)."""
    if not _is_head(ctx):
        return
    assert ctx.person.unit_id is not None
    pledges = await ctx.services.records.pledges.of_unit(ctx.person.unit_id)
    confirmed = 0
    for pledge in pledges:
        if pledge.status == "submitted" and pledge.person_id != ctx.person.id:
            confirmed += await _change(ctx, pledge, "confirmed", None)
    ctx.reply(ctx.t("unit.confirmed_all", count=confirmed), [[Option(ctx.t("unit.back"), "hu:")]])


@router.option("hp")
async def unit_pledge(ctx: Context) -> None:
    if _is_head(ctx) and (pledge := await _members_pledge(ctx, ctx.value)):
        await show_pledge(ctx, pledge, options=await head_options(ctx, pledge))


async def head_options(ctx: Context, pledge: Pledge) -> list[list[Option]]:
    """Under a member's pledge: confirm or return it; once the secretariat has accepted it,
    propose it for an award form (a suggestion the secretariat takes or not)."""
    options = []
    if pledge.status in ("submitted", "confirmed", "returned"):
        options.append(
            [
                Option(ctx.t("unit.confirm"), f"hc:{pledge.id}"),
                Option(ctx.t("unit.return"), f"hr:{pledge.id}"),
            ]
        )
    campaign = await ctx.services.catalog.get(pledge.campaign_id)
    if campaign is not None and pledge.status in PROPOSABLE:
        current = await ctx.services.records.awards.of_pledge(pledge.id)
        if current is None:
            options += [
                [Option(ctx.t("unit.suggest", form=award_name(campaign, n)), f"hs:{pledge.id}:{n}")]
                for n in award_choices(campaign, pledge)
            ]
        else:
            key = "unit.suggested" if current.suggested else "unit.proposed"
            options.append([Option(ctx.t(key, form=award_name(campaign, current.award_index)),
                                   f"hp:{pledge.id}")])  # fmt: skip
    options.append([Option(ctx.t("unit.back"), "hu:")])
    return options


@router.option("hs")
async def suggest_award(ctx: Context) -> None:
    """The head proposes a member's accepted pledge for an award form; the desk is told."""
    number, _, choice = ctx.value.partition(":")
    if not _is_head(ctx) or (pledge := await _members_pledge(ctx, number)) is None:
        return
    campaign = await ctx.services.catalog.get(pledge.campaign_id)
    back = [[Option(ctx.t("unit.back"), "hu:")]]
    if (
        campaign is None
        or pledge.status not in PROPOSABLE
        or (award := whole_number(choice)) is None
        or award not in award_choices(campaign, pledge)
    ):
        ctx.reply(ctx.t("errors.stale_option"), back)
        return
    form = award_name(campaign, award)
    if not await ctx.services.records.suggest_for_award(ctx.person, pledge, campaign, award):
        ctx.reply(ctx.t("unit.suggest_refused", ref=pledge.ref, year=pledge.year), back)
        return
    notices = []
    for clerk in await ctx.services.persons.desk():
        t = ctx.services.translator.for_language(clerk.locale)
        text = t("unit.told_desk", ref=pledge.ref, name=pledge.filed_name, unit=pledge.filed_unit,
                 form=form, head=ctx.person.full_name)  # fmt: skip
        listing = (t.plain("unit.open_nominations"), f"nm:{campaign.id}:{pledge.year}")
        notices.append(Notice(clerk, str(text), [[listing]]))
    await ctx.services.records.notify(notices)
    ctx.reply(ctx.t("unit.suggested_done", ref=pledge.ref, form=form), back)


async def _change(ctx: Context, pledge: Pledge, status: PledgeStatus, comment: str | None) -> bool:
    """Confirm or return, the member told; False when someone changed it first."""
    owner = await ctx.services.persons.by_id(pledge.person_id)
    notices = []
    if owner is not None and owner.id != ctx.person.id:
        t = ctx.services.translator.for_language(owner.locale)
        key = "unit.told_confirmed" if status == "confirmed" else "unit.told_returned"
        text = t(key, ref=pledge.ref, head=ctx.person.full_name, comment=comment or "")
        notices.append(Notice(owner, str(text), [[(t.plain("menu.my"), "go:my")]]))
    return await ctx.services.records.change_pledge_status(
        ctx.person, pledge, status, comment, notices
    )


async def _decide(ctx: Context, pledge: Pledge, status: PledgeStatus, comment: str | None) -> None:
    if await _change(ctx, pledge, status, comment):
        key = "unit.confirmed" if status == "confirmed" else "unit.returned"
        ctx.reply(ctx.t(key, ref=pledge.ref), [[Option(ctx.t("unit.back"), "hu:")]])
    else:
        ctx.reply(ctx.t("records.changed_meanwhile"), [[Option(ctx.t("unit.back"), "hu:")]])


@router.option("hc")
async def confirm_pledge(ctx: Context) -> None:
    if _is_head(ctx) and (pledge := await _members_pledge(ctx, ctx.value)):
        if pledge.status not in ("submitted", "returned"):
            ctx.reply(ctx.t("records.changed_meanwhile"))
            return
        await _decide(ctx, pledge, "confirmed", None)


@router.option("hr")
async def return_pledge(ctx: Context) -> None:
    if _is_head(ctx) and (pledge := await _members_pledge(ctx, ctx.value)):
        ctx.expect("unit.comment", pledge=pledge.id)
        ctx.reply(ctx.t("unit.ask_comment", ref=pledge.ref))


@router.step("unit.comment")
async def return_comment(ctx: Context) -> None:
    comment = clean_text(ctx, ctx.incoming.text, 3, COMMENT_LIMIT)
    if comment is None or not _is_head(ctx):
        return
    pledge = await _members_pledge(ctx, str(ctx.conversation.data.get("pledge", "")))
    ctx.done()
    if pledge is not None:
        if pledge.status not in ("submitted", "confirmed"):
            ctx.reply(ctx.t("records.changed_meanwhile"))
            return
        await _decide(ctx, pledge, "returned", comment)
