"""/export: the campaign's Excel workbook; /stats: who has registered, per unit, as text and as a
chart a phone shows well."""

from __future__ import annotations

from markupsafe import Markup

from bot.domain.campaign import Campaign
from bot.engine.context import Context
from bot.engine.events import OutgoingFile
from bot.services.export_worker import run_elsewhere
from bot.services.records import Notice
from handlers import views
from handlers.secretariat.access import desk_router

router = desk_router()
NOT_REGISTERED_SHOWN = 30


async def _campaign_or_ask(ctx: Context, prefix: str) -> Campaign | None:
    """The campaign named in the arguments or option, else a question with every campaign."""
    catalog = ctx.services.catalog
    if ctx.incoming.kind == "option":
        return await catalog.get(ctx.value)
    named = await ctx.services.answerer.named_in(ctx.value, await catalog.published())
    if len(named) == 1:
        return named[0]
    ctx.reply(
        ctx.t("desk.pick_campaign"), views.campaign_buttons(await catalog.published(), prefix)
    )
    return None


async def export(ctx: Context) -> None:
    campaign = await _campaign_or_ask(ctx, "ex")
    if campaign is None:
        return
    stamp = ctx.services.clock.now().strftime("%Y%m%d-%H%M")
    year = campaign.emulation_year(ctx.today)
    name = f"thi-dua-{campaign.id}-nam-{year}-{stamp}.xlsx"
    services, person, t = ctx.services, ctx.person, ctx.t

    async def build_and_send() -> None:
        # After the update has committed: the queries and the workbook do not hold up anyone.
        path = services.settings.exports_path / name
        counts = await services.reports.export(campaign, t, year, path)
        text = t(
            "desk.exported",
            campaign=campaign.short_title,
            year=year,
            individual=counts["individual"],
            collective=counts["collective"],
            initiatives=counts["initiatives"],
            missing=counts["not_registered"],
        )
        more = [
            [(t.plain("commands.stats"), f"st:{campaign.id}")],
            [(t.plain("commands.admin"), "go:admin")],
        ]
        await services.records.notify([Notice(person, str(text), more, [OutgoingFile(name, path)])])

    ctx.reply(ctx.t("desk.exporting", campaign=campaign.short_title, year=year))
    ctx.later(build_and_send)


async def stats(ctx: Context) -> None:
    campaign = await _campaign_or_ask(ctx, "st")
    if campaign is None:
        return
    reports = ctx.services.reports
    year = campaign.emulation_year(ctx.today)
    figures = await reports.figures(campaign, year, NOT_REGISTERED_SHOWN)
    lines = [
        ctx.t(
            "stats.header",
            campaign=campaign.short_title,
            year=year,
            registered=figures.registered,
            members=figures.members,
        )
    ]
    lines += [
        ctx.t(
            "stats.unit",
            unit=u.unit,
            registered=u.registered,
            members=u.members,
            collective=ctx.t("stats.collective_yes" if u.collective else "stats.collective_no"),
        )
        for u in figures.units
    ]
    if figures.initiatives_by_status:
        lines.append(Markup("\n") + ctx.t("stats.initiatives"))
        lines += [
            ctx.t("stats.count", label=ctx.t(f"status.initiative.{s}"), count=n)
            for s, n in figures.initiatives_by_status.most_common()
        ]
        lines += [
            ctx.t("stats.count", label=ctx.t(f"reform_area.{a}"), count=n)
            for a, n in figures.initiatives_by_area.most_common()
        ]
    if figures.not_registered_count:
        count, listed = figures.not_registered_count, figures.not_on_bot
        lines.append(Markup("\n") + ctx.t("stats.not_registered", count=count))
        if listed:  # who /remind can reach, and what to do about the others
            lines.append(ctx.t("stats.not_on_bot", on_bot=count - listed, listed=listed))
        lines += [
            ctx.t("stats.person" if joined else "stats.person_listed", name=name, unit=unit)
            for name, unit, joined in figures.not_registered
        ]
    ctx.reply(views.lines(*lines))
    if not figures.units:
        return
    services, person, t = ctx.services, ctx.person, ctx.t
    title = ctx.t.plain("stats.chart_title", campaign=campaign.short_title, year=year)
    legend = (ctx.t.plain("stats.legend_members"), ctx.t.plain("stats.legend_registered"))
    path = ctx.services.settings.exports_path / f"stats-{campaign.id}-{person.id}.png"

    async def draw_and_send() -> None:
        chart = await run_elsewhere("chart", figures, title, legend, path)
        outgoing = OutgoingFile(f"thong-ke-{campaign.id}.png", chart, image=True)
        more = [
            [(t.plain("commands.export"), f"ex:{campaign.id}")],
            [(t.plain("commands.admin"), "go:admin")],
        ]
        await services.records.notify([Notice(person, title, more, [outgoing])])

    ctx.later(draw_and_send)


router.command("export")(export)
router.option("ex")(export)
router.command("stats")(stats)
router.option("st")(stats)
