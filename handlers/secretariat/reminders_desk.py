"""/reminders: what deadline reminders go out tomorrow, to how many people; cancel one."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.dates import format_vn_date
from bot.engine.context import Context
from bot.engine.events import Option
from bot.numbers import index_in
from bot.services.reminders import Occasion
from handlers import views
from handlers.secretariat.access import desk_router

router = desk_router()


def _label(ctx: Context, occasion: Occasion) -> str:
    return occasion.label or ctx.t.plain("reminders.registration_label", year=occasion.year)


@router.command("reminders")
async def tomorrows_reminders(ctx: Context) -> None:
    day = ctx.today + timedelta(days=1)
    plan = await ctx.services.reminders.due_on(day)
    if not plan:
        ctx.reply(ctx.t("reminders.desk_none", date=format_vn_date(day)))
        return
    lines = [
        ctx.t(
            "reminders.desk_header",
            date=format_vn_date(day),
            hour=ctx.services.settings.reminder_hour,
        )
    ]
    options: list[list[Option]] = []
    for n, (occasion, people) in enumerate(plan):
        label = _label(ctx, occasion)
        cancelled = await ctx.services.reminders.log.cancelled(
            occasion.campaign.id, occasion.key, occasion.due, occasion.days_before
        )
        key = "reminders.desk_cancelled_item" if cancelled else "reminders.desk_item"
        lines.append(
            ctx.t(
                key,
                label=label,
                campaign=occasion.campaign.short_title,
                count=occasion.days_before,
                people=len(people),
            )
        )
        if not cancelled:
            stamp = day.strftime("%Y%m%d")
            short = views.short(label, 40)
            options.append([Option(ctx.t("reminders.cancel", label=short), f"rc:{stamp}:{n}")])
    ctx.reply(views.lines(*lines), options)


@router.option("rc")
async def cancel_reminder(ctx: Context) -> None:
    stamp, _, index = ctx.value.partition(":")
    try:
        day = datetime.strptime(stamp, "%Y%m%d").date() if len(stamp) == 8 else None
    except ValueError:
        day = None
    if day is None or not stamp.isascii():
        ctx.reply(ctx.t("errors.stale_option"))
        return
    plan = await ctx.services.reminders.due_on(day)
    chosen = index_in(index, len(plan))
    if chosen is None or day < ctx.today:
        ctx.reply(ctx.t("errors.stale_option"))
        return
    occasion, _ = plan[chosen]
    await ctx.services.reminders.log.cancel(
        occasion.campaign.id, occasion.key, occasion.due, occasion.days_before, ctx.person.id
    )
    ctx.reply(ctx.t("reminders.cancelled", label=_label(ctx, occasion), date=format_vn_date(day)))
