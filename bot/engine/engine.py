"""The one place every channel's messages go through: one update, one unit of work."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from bot import killpoints
from bot.domain.records import Conversation
from bot.engine.context import Context, Job
from bot.engine.events import Incoming, Reply, decode_replies, encode_replies
from bot.engine.profile import ChannelProfile
from bot.engine.router import Router
from bot.numbers import whole_number
from bot.services.container import Services
from bot.services.files import read_ahead
from bot.textmatch import fold

log = logging.getLogger(__name__)


class Engine:
    def __init__(self, services: Services, router: Router) -> None:
        self.services = services
        self.router = router
        self._later: set[asyncio.Task[None]] = set()
        # Phrases that stand for a command with a code: "THAM GIA <code>", "LIEN KET <code>".
        self._typed = [
            (fold(phrase), command, prefix)
            for key, command, prefix in (("join", "start", "inv_"), ("link", "link", ""))
            for catalog in services.translator.catalogs.values()
            for phrase in catalog.get(f"typed.{key}", "").split("|")
            if phrase.strip()
        ]

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Answer one incoming event. The update is claimed, handled, and its changes, audit
        entries, notices, conversation, claim and answer committed together; only then is the
        answer returned, for the channel to send and then mark sent (`answered`). A redelivery
        of a handled update gets the committed answer if it was not marked sent, else nothing:
        it is never handled twice."""
        services = self.services
        profile = services.profiles[incoming.channel]
        incoming = incoming.cleaned()
        if incoming.file is not None:  # outside the unit of work: nobody waits on a download
            incoming = replace(incoming, file=await read_ahead(incoming.file))
        update_id = incoming.update_id
        async with services.db.transaction():
            if update_id is not None and not await services.inbox.claim(
                incoming.channel, update_id, incoming.user_id
            ):
                log.info("update %s/%s handled before", incoming.channel, update_id)
                ctx = None
            else:
                ctx = await self._unit_of_work(incoming, profile)
                if update_id is not None:
                    await services.inbox.keep_replies(
                        incoming.channel, update_id, encode_replies(ctx.replies)
                    )
        killpoints.reached("handled")
        if ctx is not None:
            for job in ctx.jobs:
                self._run_later(job)
            return ctx.replies
        assert update_id is not None
        stored = await services.inbox.replies(incoming.channel, update_id)
        return decode_replies(stored) if stored else []

    async def answered(self, incoming: Incoming) -> None:
        """The channel sent the answer (or gave up on it): not sent again after a restart."""
        if incoming.update_id is not None:
            await self.services.inbox.answered(incoming.channel, incoming.update_id)

    async def _unit_of_work(self, incoming: Incoming, profile: ChannelProfile) -> Context:
        services = self.services
        person = await services.people.identify(incoming.channel, incoming.user_id)
        conversation = await services.conversations.load(person.id)
        if not profile.buttons:
            incoming = self._numbered_choice(incoming, conversation)
            incoming = self._typed_command(incoming)
        ctx = Context(
            incoming=incoming,
            person=person,
            conversation=conversation,
            t=services.translator.for_language(person.locale),
            services=services,
            today=services.clock.today(),
            profile=profile,
        )
        out_of_range = not profile.buttons and self._number_out_of_range(
            incoming, conversation.options
        )
        if out_of_range:  # the list stays as it was: the next number still picks from it
            ctx.reply(ctx.t("errors.option_range", count=len(conversation.options)))
        else:
            await self._dispatch(ctx)
        if not profile.buttons and not out_of_range:
            shown = [o for r in ctx.replies for o in r.flat_options]
            ctx.conversation.options = [o.data for o in shown]
            ctx.conversation.option_words = [fold(o.label) for o in shown]
        await services.conversations.save(ctx.conversation)
        return ctx

    def _run_later(self, job: Job) -> None:
        """Work the answer promised (a workbook, a chart), off the update's unit of work."""
        task: asyncio.Task[None] = asyncio.ensure_future(job())
        self._later.add(task)
        task.add_done_callback(self._later_done)

    def _later_done(self, task: asyncio.Task[None]) -> None:
        self._later.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background work failed", exc_info=task.exception())

    async def drain(self) -> None:
        """Wait for background work started by earlier updates (at shutdown, in tests)."""
        while self._later:
            await asyncio.gather(*self._later, return_exceptions=True)

    @staticmethod
    def _numbered_choice(incoming: Incoming, conversation: Conversation) -> Incoming:
        """On channels without buttons, "2" picks the second option last shown, and so does
        its label typed with or without diacritics ("tiep tuc" for "Tiếp tục ›")."""
        offered = conversation.options
        if incoming.kind != "text" or not offered:
            return incoming
        text = incoming.text.strip().rstrip(".")
        if whole_number(text) is not None:  # ASCII digits only: "²" is no number
            number = whole_number(text, low=1, high=len(offered))
            if number is not None:
                return replace(incoming, kind="option", text=offered[number - 1])
            return incoming
        typed = fold(text)
        same = [n for n, words in enumerate(conversation.option_words) if typed and words == typed]
        if len(same) == 1:
            return replace(incoming, kind="option", text=offered[same[0]])
        return incoming

    @staticmethod
    def _number_out_of_range(incoming: Incoming, offered: list[str]) -> bool:
        """ "7" typed when five options were listed: say the range rather than guess."""
        number = whole_number(incoming.text.strip().rstrip("."))
        return incoming.kind == "text" and number is not None and len(offered) > 0

    def _typed_command(self, incoming: Incoming) -> Incoming:
        """Where people do not know slash commands: "help" alone is /help, "THAM GIA
        7K3Q9XPM2A" joins with that invitation code, "LIEN KET 4K7Q2M9A" links accounts."""
        if incoming.kind != "text":
            return incoming
        words = incoming.text.split()
        folded = fold(incoming.text)
        for phrase, command, prefix in self._typed:
            if folded == phrase:  # the phrase alone: the command without a code
                return replace(incoming, kind="command", command=command, args="")
            if folded.startswith(f"{phrase} ") and len(words) == len(phrase.split()) + 1:
                return replace(
                    incoming, kind="command", command=command, args=f"{prefix}{words[-1]}"
                )
        name = words[0].lower() if len(words) == 1 else ""
        if name in self.router.commands and not name.startswith("__"):
            return replace(incoming, kind="command", command=name, args="")
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
            limit = ctx.profile.input_limit
            if len(text) > limit:
                # The step stays where it was: nothing typed before is lost.
                ctx.reply(ctx.t("errors.too_long", length=len(text), limit=limit))
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
        if incoming.kind == "other":
            await router.commands["__other__"](ctx)
            return
        if step and step in router.steps:
            await router.steps[step](ctx)
            return
        assert router.fallback is not None
        await router.fallback(ctx)
