"""/outbox: notices that could not be delivered after every retry, and sending them again."""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.events import Option
from handlers import views
from handlers.secretariat.access import desk_router

router = desk_router()
SHOWN = 10
PREVIEW = 60


@router.command("outbox")
async def failed_notices(ctx: Context) -> None:
    count, latest = await ctx.services.outbox.failures(SHOWN)
    if not count:
        ctx.reply(ctx.t("outbox.none"))
        return
    lines = [ctx.t("outbox.header", count=count)]
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


@router.option("ob")
async def retry(ctx: Context) -> None:
    if ctx.value != "retry":
        ctx.reply(ctx.t("errors.stale_option"))
        return
    again = await ctx.services.outbox.retry_failed()
    ctx.reply(ctx.t("outbox.retried", count=again))
