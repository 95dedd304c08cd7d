"""Personal records, members' records and drafts are shown only in a one-to-one chat."""

from __future__ import annotations

import functools

from bot.engine.context import Context
from bot.engine.router import Handler, Router


def private_only(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def guarded(ctx: Context) -> None:
        if ctx.incoming.private:
            await handler(ctx)
            return
        link = ctx.profile.chat_link()
        key = "errors.private_only_link" if link else "errors.private_only"
        ctx.reply(ctx.t(key, link=link or ""))

    return guarded


def private_router() -> Router:
    return Router(guard=private_only)
