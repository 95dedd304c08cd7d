"""The one place every channel's messages go through."""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.engine.context import Context
from bot.engine.events import Incoming, Reply
from bot.engine.router import Router
from bot.services.container import Services

log = logging.getLogger(__name__)

# Longer than any answer we need; Telegram itself stops at 4096.
MAX_TEXT = 4096


class Engine:
    def __init__(self, services: Services, router: Router) -> None:
        self.services = services
        self.router = router

    async def handle(self, incoming: Incoming, *, buttons: bool = True) -> list[Reply]:
        """Answer one incoming event. `buttons=False` for channels that number options instead."""
        services = self.services
        if incoming.update_id and await services.updates.seen(incoming.channel, incoming.update_id):
            log.info("update %s/%s already handled", incoming.channel, incoming.update_id)
            return []
        person = await services.people.identify(incoming.channel, incoming.user_id)
        conversation = await services.conversations.load(person.id)
        if not buttons:
            incoming = self._numbered_choice(incoming, conversation.options)
        ctx = Context(
            incoming=incoming,
            person=person,
            conversation=conversation,
            t=services.translator.for_language(person.locale),
            services=services,
            today=services.clock.today(),
        )
        await self._dispatch(ctx)
        if not buttons:
            offered = [o.data for r in ctx.replies for o in r.flat_options]
            conversation.options = offered
        async with services.db.transaction() as conn:
            await services.conversations.save(conn, ctx.conversation)
            if incoming.update_id:
                await services.updates.mark(conn, incoming.channel, incoming.update_id)
        return ctx.replies

    @staticmethod
    def _numbered_choice(incoming: Incoming, offered: list[str]) -> Incoming:
        """On channels without buttons, "2" picks the second option last shown."""
        text = incoming.text.strip().rstrip(".")
        if incoming.kind == "text" and text.isdigit() and offered:
            number = int(text)
            if 1 <= number <= len(offered):
                return Incoming(
                    incoming.channel,
                    incoming.user_id,
                    "option",
                    text=offered[number - 1],
                    update_id=incoming.update_id,
                )
        return incoming

    async def _dispatch(self, ctx: Context) -> None:
        router = self.router
        flow = ctx.conversation.flow
        prompt = router.prompts.get(flow) if flow else None
        if prompt is not None:
            ctx.resume = lambda: prompt(ctx)
        incoming = ctx.incoming
        if incoming.kind == "option" and incoming.text.startswith(("go:", "go!:")):
            # A button that does what a command does; "go!" first discards the draft.
            if incoming.text.startswith("go!:"):
                ctx.done()
            name, _, args = incoming.text.split(":", 1)[1].partition(" ")
            incoming = ctx.incoming = replace(incoming, kind="command", command=name, args=args)
        if incoming.kind == "text":
            text = incoming.text.strip()
            if not text:
                ctx.reply(ctx.t("errors.empty"))
                return
            if len(text) > MAX_TEXT:
                # The step stays where it was: nothing typed before is lost.
                ctx.reply(ctx.t("errors.too_long", length=len(text), limit=MAX_TEXT))
                return
        ctx.value = incoming.args if incoming.kind == "command" else ""
        if incoming.kind == "command":
            handler = router.commands.get(incoming.command)
            if handler is None:
                handler = router.commands["__unknown__"]
            elif incoming.command in router.flow_commands:
                if ctx.conversation.flow in router.prompts:
                    handler = router.commands["__interrupt__"]  # a draft would be lost: ask
                else:
                    ctx.done()
            await handler(ctx)
            return
        if incoming.kind == "option":
            prefix, _, ctx.value = incoming.text.partition(":")
            await router.options.get(prefix, router.commands["__stale__"])(ctx)
            return
        step = ctx.conversation.step
        if incoming.kind == "file":
            name = incoming.file.name.lower() if incoming.file else ""
            by_kind = next((h for s, h in router.file_kinds.items() if name.endswith(s)), None)
            handler = router.file_steps.get(step or "") or by_kind or router.commands["__file__"]
            await handler(ctx)
            return
        if step and step in router.steps:
            await router.steps[step](ctx)
            return
        assert router.fallback is not None
        await router.fallback(ctx)
