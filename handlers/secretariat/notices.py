"""/outbox: notices that could not be delivered after every retry, and sending them again."""

from __future__ import annotations

from datetime import timedelta

from markupsafe import Markup

from bot.engine.context import Context
from bot.engine.events import Option
from handlers import views
from handlers.secretariat.access import desk_router

router = desk_router()
SHOWN = 10
WEEK = timedelta(days=7)
PREVIEW = 60


@router.command("outbox")
async def failed_notices(ctx: Context) -> None:
    count, latest = await ctx.services.outbox.failures(SHOWN)
    progress = await _progress(ctx)
    if not count:
        ctx.reply(views.lines(*progress, ctx.t("outbox.none")))
        return
    lines = [*progress, ctx.t("outbox.header", count=count)]
    for notice in latest:
        person = await ctx.services.persons.by_id(notice.person_id)
        text = views.plain_preview(notice.text, PREVIEW)
        lines.append(
            ctx.t(
                "outbox.item",
                name=person.full_name if person and person.full_name else "—",
                channel=notice.channel,
                at=ctx.services.clock.local(notice.at).strftime("%d/%m/%Y %H:%M"),
                error=ctx.t("outbox.blocked") if notice.error == "blocked" else notice.error,
                text=text,
            )
        )
    ctx.reply(views.lines(*lines), [[Option(ctx.t("outbox.retry"), "ob:retry")]])


async def _progress(ctx: Context) -> list[Markup]:
    """Notices still on their way (a broadcast going out), and how many the Zalo OA could not
    reach directly (outside its 7-day window): moved elsewhere, waiting, or sent by ZNS."""
    p = await ctx.services.outbox.progress(ctx.services.clock.stamp(-WEEK))
    if not (p.pending or p.waiting or p.zns):
        return []
    lines = [ctx.t("zalo_oa.progress", pending=p.pending, waiting=p.waiting, zns=p.zns)]
    if p.rerouted:
        lines.append(ctx.t("zalo_oa.progress_rerouted", count=p.rerouted))
    return lines


@router.option("ob")
async def retry(ctx: Context) -> None:
    if ctx.value != "retry":
        ctx.reply(ctx.t("errors.stale_option"))
        return
    again = await ctx.services.outbox.retry_failed()
    ctx.reply(ctx.t("outbox.retried", count=again))
