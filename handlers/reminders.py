"""A deadline reminder's own buttons: mute this campaign's reminders, or turn them back on."""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.events import Option
from bot.engine.router import Router

router = Router()


@router.option("nh")
async def mute_or_unmute(ctx: Context) -> None:
    action, _, slug = ctx.value.partition(":")
    campaign = await ctx.services.catalog.get(slug)
    if campaign is None or action not in ("off", "on"):
        ctx.reply(ctx.t("errors.stale_option"))
        return
    log = ctx.services.reminders.log
    if action == "off":
        await log.mute(ctx.person.id, campaign.id)
        ctx.reply(
            ctx.t("reminders.muted", campaign=campaign.short_title),
            [[Option(ctx.t("reminders.unmute"), f"nh:on:{campaign.id}")]],
        )
    else:
        await log.unmute(ctx.person.id, campaign.id)
        ctx.reply(ctx.t("reminders.unmuted", campaign=campaign.short_title))
