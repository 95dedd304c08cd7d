"""Proposing an accepted pledge for an award form, refused with the numbers when the quota is
full (e.g. at most 10 Bằng khen for individuals a year; 10 individuals per unit)."""

from __future__ import annotations

from bot.domain.campaign import Recipients
from bot.domain.records import Pledge
from bot.engine.context import Context
from bot.engine.events import Option
from handlers.secretariat.access import desk_router

router = desk_router()
PROPOSABLE = ("accepted", "achieved")


async def award_buttons(ctx: Context, pledge: Pledge) -> list[list[Option]]:
    """Under an accepted pledge: the award forms it may be proposed for, or the one it is."""
    campaign = await ctx.services.catalog.get(pledge.campaign_id)
    if campaign is None or pledge.status not in PROPOSABLE:
        return []
    current = await ctx.services.records.awards.of_pledge(pledge.id)
    if current is not None and current < len(campaign.awards):
        award = campaign.awards[current]
        label = ctx.t("awards_desk.proposed", form=award.form, granted_by=award.granted_by)
        return [[Option(str(label), f"ap:{pledge.id}:x")]]
    recipients: Recipients = "collective" if pledge.kind == "collective" else "individual"
    return [
        [
            Option(
                str(ctx.t("awards_desk.propose", form=a.form, granted_by=a.granted_by)),
                f"ap:{pledge.id}:{n}",
            )
        ]
        for n, a in enumerate(campaign.awards)
        if a.recipients == recipients
    ]


@router.option("ap")
async def propose(ctx: Context) -> None:
    number, _, choice = ctx.value.partition(":")
    records = ctx.services.records
    pledge = await records.pledges.by_id(int(number)) if number.isdigit() else None
    campaign = await ctx.services.catalog.get(pledge.campaign_id) if pledge else None
    if pledge is None or campaign is None or pledge.status not in PROPOSABLE:
        ctx.reply(ctx.t("errors.stale_option"))
        return
    back = [[Option(ctx.t("review.back"), "rv:l")]]
    if choice == "x":
        await records.withdraw_proposal(ctx.person, pledge)
        ctx.reply(ctx.t("awards_desk.withdrawn", ref=pledge.ref), back)
        return
    if not choice.isdigit() or int(choice) >= len(campaign.awards):
        ctx.reply(ctx.t("errors.stale_option"))
        return
    if await records.awards.of_pledge(pledge.id) is not None:
        ctx.reply(ctx.t("awards_desk.already", ref=pledge.ref), back)
        return
    award = campaign.awards[int(choice)]
    check = await records.propose_for_award(ctx.person, pledge, campaign, int(choice), ctx.today)
    scope = ctx.t("awards_desk.per_unit") if award.per_unit else ""
    values = {
        "ref": pledge.ref,
        "form": award.form,
        "granted_by": award.granted_by,
        "used": check.used,
        "quota": check.quota if check.quota is not None else "∞",
        "period": check.period,
        "scope": scope,
        "recipients": ctx.t(f"awards.{award.recipients}"),
    }
    key = "awards_desk.done" if check.accepted else "awards_desk.over_quota"
    ctx.reply(ctx.t(key, **values), back)
