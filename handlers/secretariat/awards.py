"""Proposing an accepted pledge for an award form, refused with the numbers when the quota is
full (e.g. at most 10 Bằng khen for individuals a year; 10 individuals per unit) or when the
year's list has gone to the Council. A unit head's suggestion is taken or declined here."""

from __future__ import annotations

from bot.domain.campaign import Campaign, Recipients
from bot.domain.records import Pledge
from bot.engine.context import Context
from bot.engine.events import Option
from bot.numbers import record_id, whole_number
from bot.services.records import Notice
from handlers import views
from handlers.secretariat.access import desk_router

router = desk_router()
PROPOSABLE = ("accepted", "achieved")


def award_choices(campaign: Campaign, pledge: Pledge) -> list[int]:
    """The award forms this pledge's kind may be proposed for."""
    recipients: Recipients = "collective" if pledge.kind == "collective" else "individual"
    return [n for n, a in enumerate(campaign.awards) if a.recipients == recipients]


async def award_buttons(ctx: Context, pledge: Pledge) -> list[list[Option]]:
    """Under an accepted pledge: the award forms it may be proposed for, the one it is (to
    withdraw), or the one its unit head suggests (to take or decline)."""
    campaign = await ctx.services.catalog.get(pledge.campaign_id)
    if campaign is None or pledge.status not in PROPOSABLE:
        return []
    current = await ctx.services.records.awards.of_pledge(pledge.id)
    if current is not None and current.award_index < len(campaign.awards):
        award = campaign.awards[current.award_index]
        if current.suggested:
            take = ctx.t("awards_desk.take", form=award.form, granted_by=award.granted_by)
            return [
                [Option(take, f"ap:{pledge.id}:{current.award_index}")],
                [Option(ctx.t("awards_desk.decline"), f"ap:{pledge.id}:x")],
            ]
        label = ctx.t("awards_desk.proposed", form=award.form, granted_by=award.granted_by)
        return [[Option(label, f"ap:{pledge.id}:x")]]
    return [
        [Option(await quota_label(ctx, campaign, pledge, n), f"ap:{pledge.id}:{n}")]
        for n in award_choices(campaign, pledge)
    ]


async def quota_label(ctx: Context, campaign: Campaign, pledge: Pledge, index: int) -> str:
    """Two quotas of one form told apart: "… — hằng năm 2026, 3/10" and "… — cuối Giai đoạn
    10 năm 2021-2030, 0/20"."""
    from handlers.secretariat.nominations import occasion_label

    award = campaign.awards[index]
    period = ctx.services.records.award_period(campaign, index, pledge.year)
    unit = pledge.unit_id if award.per_unit else None
    used = await ctx.services.records.awards.count(campaign.id, index, period, unit)
    return ctx.t.plain("awards_desk.propose_quota", form=award.form, granted_by=award.granted_by,
                     occasion=occasion_label(ctx, campaign, index, pledge.year), used=used,
                     quota=award.quota if award.quota is not None else "∞")  # fmt: skip


@router.option("ap")
async def propose(ctx: Context) -> None:
    number, _, choice = ctx.value.partition(":")
    records = ctx.services.records
    ident = record_id(number)
    pledge = await records.pledges.by_id(ident) if ident else None
    campaign = await ctx.services.catalog.get(pledge.campaign_id) if pledge else None
    if pledge is None or campaign is None or pledge.status not in PROPOSABLE:
        ctx.reply(ctx.t("errors.stale_option"))
        return
    back = [
        [Option(ctx.t("nominations.back"), f"nm:{campaign.id}:{pledge.year}")],
        [Option(ctx.t("review.back"), "rv:l")],
    ]
    if choice == "x":
        await _withdraw(ctx, pledge, campaign, back)
        return
    index = whole_number(choice)
    if index is None or index not in award_choices(campaign, pledge):
        ctx.reply(ctx.t("errors.stale_option"))
        return
    current = await records.awards.of_pledge(pledge.id)
    if current is not None and not (current.suggested and current.award_index == index):
        ctx.reply(ctx.t("awards_desk.already", ref=pledge.ref), back)
        return
    suggested_by = await records.awards.suggested_by(pledge.id)
    award = campaign.awards[index]
    verdict = await ctx.services.council.check(pledge, campaign, index)
    if verdict.refused:
        assert verdict.rule is not None
        ctx.reply(ctx.t("awards_desk.not_eligible", ref=pledge.ref, form=award.form,
                        granted_by=award.granted_by, rule=verdict.rule.says,
                        article=verdict.rule.article, missing="; ".join(verdict.missing)),
                  back)  # fmt: skip
        return
    check = await records.propose_for_award(ctx.person, pledge, campaign, index)
    values = {
        "ref": pledge.ref,
        "form": award.form,
        "granted_by": award.granted_by,
        "used": check.used,
        "quota": check.quota if check.quota is not None else "∞",
        "period": check.period,
        "scope": ctx.t("awards_desk.per_unit") if award.per_unit else "",
        "recipients": ctx.t(f"awards.{award.recipients}"),
        "year": pledge.year,
    }
    if check.closed:
        ctx.reply(ctx.t("awards_desk.list_closed", **values), back)
        return
    if check.accepted and suggested_by is not None and suggested_by != ctx.person.id:
        await _tell_head(ctx, suggested_by, "awards_desk.told_taken", pledge, values)
    key = "awards_desk.done" if check.accepted else "awards_desk.over_quota"
    text = ctx.t(key, **values)
    if check.accepted and verdict.flagged:
        assert verdict.rule is not None
        text = views.lines(text, ctx.t("awards_desk.flagged", missing="; ".join(verdict.missing),
                                       article=verdict.rule.article))  # fmt: skip
    ctx.reply(text, back)


async def _withdraw(
    ctx: Context, pledge: Pledge, campaign: Campaign, back: list[list[Option]]
) -> None:
    records = ctx.services.records
    suggested_by = await records.awards.suggested_by(pledge.id)
    if not await records.withdraw_proposal(ctx.person, pledge):
        closed = await records.nomination_lists.closed(campaign.id, pledge.year)
        key = "awards_desk.list_closed" if closed else "errors.stale_option"
        ctx.reply(ctx.t(key, ref=pledge.ref, year=pledge.year), back)
        return
    if suggested_by is not None:
        await _tell_head(ctx, suggested_by, "awards_desk.told_declined", pledge, {})
        ctx.reply(ctx.t("awards_desk.declined", ref=pledge.ref), back)
        return
    ctx.reply(ctx.t("awards_desk.withdrawn", ref=pledge.ref), back)


async def _tell_head(
    ctx: Context, head_id: int, key: str, pledge: Pledge, values: dict[str, object]
) -> None:
    head = await ctx.services.persons.by_id(head_id)
    if head is None:
        return
    t = ctx.services.translator.for_language(head.locale)
    text = t(key, **{**values, "ref": pledge.ref, "name": pledge.filed_name})
    await ctx.services.records.notify([Notice(head, str(text), [])])
