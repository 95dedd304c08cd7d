"""/my: everything the person sent, with status, reference and the next deadline that applies."""

from __future__ import annotations

from markupsafe import Markup

from bot.engine.context import Context
from bot.engine.events import Option
from handlers import views
from handlers.initiatives import own_initiative, show_initiative
from handlers.menu import main_menu
from handlers.pledges import own_pledge, show_pledge
from handlers.privacy import private_router

router = private_router()


async def _next_date(ctx: Context, campaign_id: str) -> Markup:
    campaign = await ctx.services.catalog.get(campaign_id)
    upcoming = campaign.next_occurrences(ctx.today) if campaign else []
    if not upcoming:
        return Markup("")
    return ctx.t(
        "records.next_date", label=upcoming[0].deadline.label, when=views.when(ctx.t, upcoming[0])
    )


@router.command("my")
async def my_records(ctx: Context) -> None:
    records = ctx.services.records
    pledges = await records.pledges.of_person(ctx.person.id)
    initiatives = await records.initiatives.of_person(ctx.person.id)
    lines = [ctx.t("records.header")]
    options: list[list[Option]] = []
    if pledges:
        lines.append(Markup("\n") + ctx.t("records.pledges"))
    for p in pledges:
        lines.append(
            ctx.t(
                "records.pledge_item",
                ref=p.ref,
                year=p.year,
                title=p.title,
                status=ctx.t(f"status.pledge.{p.status}"),
            )
        )
        lines.append(await _next_date(ctx, p.campaign_id))
        options.append([Option(f"📝 {p.ref}", f"my:p:{p.id}")])
    if initiatives:
        lines.append(Markup("\n") + ctx.t("records.initiatives"))
    for i in initiatives:
        lines.append(
            ctx.t(
                "records.initiative_item",
                ref=i.ref,
                title=i.title,
                status=ctx.t(f"status.initiative.{i.status}"),
            )
        )
        lines.append(await _next_date(ctx, i.campaign_id))
        options.append([Option(f"💡 {i.ref}", f"my:i:{i.id}")])
    if not pledges and not initiatives:
        lines.append(ctx.t("records.none"))
        options = [
            [
                Option(ctx.t("menu.pledge"), "go:pledge"),
                Option(ctx.t("menu.initiative"), "go:initiative"),
            ]
        ]
    history = [Option(ctx.t("history.open"), "ah:")]
    if ctx.person.role == "unit_head":
        options.append([Option(ctx.t("unit.open"), "hu:")])
        history.append(Option(ctx.t("history.open_unit"), "ah:u"))
    options.append(history)
    ctx.reply(views.lines(*lines), options or main_menu(ctx.t))


@router.option("my")
async def my_record(ctx: Context) -> None:
    kind, _, ctx.value = ctx.value.partition(":")
    if kind == "p" and (pledge := await own_pledge(ctx)):
        await show_pledge(ctx, pledge[0])
    elif kind == "i" and (initiative := await own_initiative(ctx)):
        await show_initiative(ctx, initiative)
    elif kind not in ("p", "i"):
        ctx.reply(ctx.t("errors.stale_option"))
