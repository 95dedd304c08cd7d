"""/questions: what people asked that the plans did not answer, to improve the campaign files."""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.events import Option
from bot.numbers import record_id
from handlers import views
from handlers.secretariat.access import desk_router

router = desk_router()
SHOWN = 30
PREVIEW = 120


@router.command("questions")
async def open_questions(ctx: Context) -> None:
    latest, total = await ctx.services.open_questions.unseen(SHOWN)
    if not latest:
        ctx.reply(ctx.t("open_questions.none"))
        return
    titles = {c.id: c.short_title for c in await ctx.services.catalog.published()}
    lines = [ctx.t("open_questions.header", count=total)]
    for q in latest:
        what = ctx.t(f"answers.what.{q.section}") if ctx.t.has(f"answers.what.{q.section}") else ""
        lines.append(
            ctx.t(
                "open_questions.item",
                at=ctx.services.clock.local(q.asked_at).strftime("%d/%m %H:%M"),
                text=views.plain_preview(q.text, PREVIEW),
                campaign=titles.get(q.campaign or "", ctx.t("open_questions.no_campaign")),
                what=what or "—",
            )
        )
    newest = max(q.id for q in latest)
    ctx.reply(
        views.lines(*lines, views.NL + ctx.t("open_questions.hint")),
        [[Option(ctx.t("open_questions.seen"), f"oq:{newest}")]],
    )


@router.option("oq")
async def mark_seen(ctx: Context) -> None:
    newest = record_id(ctx.value)
    if newest is None:
        ctx.reply(ctx.t("errors.stale_option"))
        return
    count = await ctx.services.open_questions.mark_seen(newest)
    ctx.reply(ctx.t("open_questions.marked", count=count))
