"""Every secretariat command and button checks the role on the server, each time."""

from __future__ import annotations

import functools

from bot.engine.context import Context
from bot.engine.router import Handler, Router

DESK_ROLES = ("secretariat", "admin")


def secretariat_only(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def guarded(ctx: Context) -> None:
        if ctx.person.role not in DESK_ROLES:
            what = ctx.incoming.command or ctx.incoming.text.split(":", 1)[0]
            await ctx.services.people.log_denied(ctx.person, what)
            ctx.reply(ctx.t("desk.refused"))
            return
        if not ctx.incoming.private:  # other people's records are never shown in a group
            ctx.reply(ctx.t("desk.private_only"))
            return
        await handler(ctx)

    return guarded


def desk_router() -> Router:
    """A router of the secretariat's desk: every handler on it checks the role, every time."""
    return Router(guard=secretariat_only)
