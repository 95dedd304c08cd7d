"""/export: the campaign's Excel workbook; /stats: who has registered, per unit, as text and as a
chart a phone shows well."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup

from bot.domain.campaign import Campaign
from bot.engine.context import Context
from bot.engine.events import OutgoingFile
from bot.engine.router import Router
from handlers import views
from handlers.secretariat.access import secretariat_only

router = Router()
NOT_REGISTERED_SHOWN = 30


async def _campaign_or_ask(ctx: Context, prefix: str) -> Campaign | None:
    """The campaign named in the arguments or option, else a question with every campaign."""
    catalog = ctx.services.catalog
    if ctx.incoming.kind == "option":
        return await catalog.get(ctx.value)
    named = await catalog.mentioned_in(ctx.value) if ctx.value else []
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
    stamp = datetime.now(ctx.services.clock.zone).strftime("%Y%m%d-%H%M")
    name = f"thi-dua-{campaign.id}-{stamp}.xlsx"
    reports = ctx.services.reports
    sheets = await reports.sheets(campaign, ctx.t)
    path = reports.write_workbook(sheets, ctx.services.settings.exports_path / name)
    counts = {s.key: len(s.rows) for s in sheets}
    ctx.reply(
        ctx.t(
            "desk.exported",
            campaign=campaign.short_title,
            individual=counts["individual"],
            collective=counts["collective"],
            initiatives=counts["initiatives"],
            missing=counts["not_registered"],
        ),
        files=[OutgoingFile(name, path)],
    )


async def stats(ctx: Context) -> None:
    campaign = await _campaign_or_ask(ctx, "st")
    if campaign is None:
        return
    reports = ctx.services.reports
    figures = await reports.figures(campaign)
    lines = [
        ctx.t(
            "stats.header",
            campaign=campaign.short_title,
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
    if figures.not_registered:
        lines.append(
            Markup("\n") + ctx.t("stats.not_registered", count=len(figures.not_registered))
        )
        lines += [
            ctx.t("stats.person", name=name, unit=unit)
            for name, unit in figures.not_registered[:NOT_REGISTERED_SHOWN]
        ]
    files = []
    if figures.units:
        chart = reports.chart(
            figures,
            str(ctx.t("stats.chart_title", campaign=campaign.short_title)),
            (str(ctx.t("stats.legend_members")), str(ctx.t("stats.legend_registered"))),
            ctx.services.settings.exports_path / f"stats-{campaign.id}.png",
        )
        files.append(OutgoingFile(f"thong-ke-{campaign.id}.png", chart, image=True))
    ctx.reply(views.lines(*lines), files=files)


router.command("export")(secretariat_only(export))
router.option("ex")(secretariat_only(export))
router.command("stats")(secretariat_only(stats))
router.option("st")(secretariat_only(stats))
