"""Telegram through python-telegram-bot: inline keyboards, HTML, the command menu, polling.

Updates go through the durable inbox: fetched, stored, and only then confirmed to Telegram (the
next getUpdates carries the offset); each is handled through the core's unit of work, people
concurrently and each person's updates in order; what was stored and not answered when the
process stopped is handled first at the next start."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Defaults, ExtBot

from bot.channels.common import deliver_notices, notice_reply, wind_down
from bot.channels.pacing import BULK, Pacing
from bot.channels.telegram_http import AiohttpRequest
from bot.commands import DESK_COMMANDS, MENU_COMMANDS
from bot.engine.dispatch import Dispatcher
from bot.engine.engine import Engine
from bot.engine.events import (
    FileTooLarge,
    Incoming,
    IncomingFile,
    IncomingKind,
    Reply,
    parse_command,
)
from bot.engine.profile import OPTION_DATA_LIMIT, ChannelProfile
from bot.engine.split import split_html
from bot.i18n import LANGUAGES
from bot.services.container import Services
from bot.settings import Settings
from storage.outbox import Notice

log = logging.getLogger(__name__)

CHANNEL = "telegram"
INVITE_PAYLOAD = "inv_"
UPDATE_TYPES = ["message", "callback_query"]
POLL_READ_MARGIN = 30  # seconds past the long poll's own timeout before the read gives up
UpdateDone = Callable[[int], Awaitable[None]]


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.options:
        return None
    for option in reply.flat_options:
        if len(option.data.encode()) > OPTION_DATA_LIMIT:
            raise ValueError(f"callback data over {OPTION_DATA_LIMIT} bytes: {option.data!r}")
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(o.label, callback_data=o.data) for o in row]
            for row in reply.options
        ]
    )


class TelegramChannel:
    def __init__(self, settings: Settings, engine: Engine, services: Services) -> None:
        assert settings.bot_token, "TelegramChannel needs BOT_TOKEN"
        self.engine = engine
        self.services = services
        self.admin_ids = [
            int(a.split(":", 1)[1]) for a in settings.admin_ids if a.startswith(f"{CHANNEL}:")
        ]
        self.translator = services.translator
        self.username: str | None = None
        base = settings.telegram_api_base
        self.bot: ExtBot[Any] = ExtBot(
            settings.bot_token,
            base_url=f"{base}/bot",
            base_file_url=f"{base}/file/bot",
            defaults=Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            ),
            request=AiohttpRequest(connections=64),
            get_updates_request=AiohttpRequest(connections=1, read_timeout=60),
            rate_limiter=Pacing(),
        )
        self.dispatcher = Dispatcher()
        # Called with each update id once it is handled and answered (tests wait on it).
        self.on_update_done: UpdateDone | None = None
        services.profiles[CHANNEL] = ChannelProfile(
            CHANNEL,
            text_limit=MessageLimit.MAX_TEXT_LENGTH,
            input_limit=MessageLimit.MAX_TEXT_LENGTH,
            buttons=True,
            edits=True,
            option_data_limit=OPTION_DATA_LIMIT,
            join_hint=self._join_link,
            chat_link=lambda: f"https://t.me/{self.username}" if self.username else None,
        )

    def _join_link(self, code: str) -> str:
        payload = f"{INVITE_PAYLOAD}{code}"
        link = f"https://t.me/{self.username}?start={payload}" if self.username else payload
        return f"Telegram: {link}"

    # --- lifecycle ------------------------------------------------------------------------
    async def run_until(self, stop: asyncio.Event, poll_timeout: int = 10) -> None:
        """Long polling until `stop` is set, then finish the updates in hand and shut down."""
        async with self.bot:
            self.username = self.bot.username
            await self.set_commands()
            await self.bot.delete_webhook()
            await self._resume_unfinished()
            sender = asyncio.create_task(
                deliver_notices(self.services.outbox, CHANNEL, stop, self._deliver)
            )
            poller = asyncio.create_task(self._poll(poll_timeout))
            log.info("Telegram polling started")
            await stop.wait()
            log.info("stopping: finishing the updates in hand")
            await wind_down(poller, self.dispatcher, self.engine, sender)
            await self._confirm_offset()

    async def set_commands(self) -> None:
        """The command menu, Vietnamese by default and English for English-language clients;
        the secretariat also sees its desk commands in its own chats."""
        for language in LANGUAGES:
            t = self.translator.for_language(language)
            commands = [BotCommand(name, t.plain(f"commands.{name}")) for name in MENU_COMMANDS]
            code = None if language == self.translator.default else language
            await self.bot.set_my_commands(commands, language_code=code)
        t = self.translator.for_language(None)
        desk = [
            BotCommand(n, t.plain(f"commands.{n}"))
            for n in ("admin", *DESK_COMMANDS, *MENU_COMMANDS)
        ]
        for admin_id in self.admin_ids:
            try:
                await self.bot.set_my_commands(desk, scope=BotCommandScopeChat(admin_id))
            except TelegramError as exc:  # they have not opened a chat with the bot yet
                log.warning("desk menu not set for %s: %s", admin_id, exc)

    # --- the durable inbox ----------------------------------------------------------------
    _offset: int | None = None

    async def _poll(self, poll_timeout: int) -> None:
        inbox = self.services.inbox
        failures = 0
        while True:
            try:
                updates, unreadable = await self._fetch(poll_timeout)
                failures = 0
            except RetryAfter as exc:
                await asyncio.sleep(float(exc.retry_after))  # type: ignore[arg-type]
                continue
            except TelegramError as exc:
                failures += 1
                log.warning("getUpdates failed (%s); trying again", exc)
                await asyncio.sleep(min(30.0, 0.5 * 2**failures))
                continue
            if not updates and not unreadable:
                continue
            # Stored first; Telegram hears they arrived only with the next offset.
            try:
                await inbox.store(
                    CHANNEL,
                    [(str(u.update_id), self._sender(u), json.dumps(u.to_dict())) for u in updates],
                )
                for update_id in unreadable:  # kept as done, so never fetched or tried again
                    await inbox.unreadable(CHANNEL, str(update_id))
            except Exception:  # not stored, so not confirmed: Telegram delivers them again
                log.exception("could not store %d updates; fetching them again", len(updates))
                await asyncio.sleep(1)
                continue
            self._offset = max([u.update_id for u in updates] + unreadable) + 1
            for update in updates:
                self._submit(update)

    async def _fetch(self, poll_timeout: int) -> tuple[list[Update], list[int]]:
        """The next updates, each read on its own: one of a shape python-telegram-bot cannot
        read (it would fail the whole batch, and the batch would come back at every poll) is
        logged once and given back by its id only, to be marked done."""
        raw = await self.bot._post(  # what get_updates calls, before it reads the batch whole
            "getUpdates",
            {"offset": self._offset, "timeout": poll_timeout, "allowed_updates": UPDATE_TYPES},
            read_timeout=float(poll_timeout) + POLL_READ_MARGIN,
        )
        updates: list[Update] = []
        unreadable: list[int] = []
        for item in raw if isinstance(raw, list) else []:
            try:
                update = Update.de_json(item, self.bot)
                if not isinstance(update, Update) or not isinstance(item.get("update_id"), int):
                    raise TypeError("not an update")
                updates.append(update)
            except Exception:
                log.warning("Telegram update of an unknown shape, marked done: %.300r", item)
                update_id = item.get("update_id") if isinstance(item, dict) else None
                if isinstance(update_id, int) and not isinstance(update_id, bool):
                    unreadable.append(update_id)
        return updates, unreadable

    async def _confirm_offset(self) -> None:
        if self._offset is None:
            return
        with contextlib.suppress(TelegramError):
            await self.bot.get_updates(offset=self._offset, timeout=0, allowed_updates=[])

    async def _resume_unfinished(self) -> None:
        """What was stored before a stop or a crash and not answered: handled first."""
        unfinished = await self.services.inbox.unfinished(CHANNEL)
        if unfinished:
            log.info("resuming %d stored updates", len(unfinished))
        for stored in unfinished:
            try:
                update = Update.de_json(json.loads(stored.payload or ""), self.bot)
            except Exception:  # kept by an older version, say: done, not a crash at every start
                log.warning("stored update %s cannot be read; marked done", stored.update_id)
                await self.services.inbox.answered(CHANNEL, stored.update_id)
                continue
            self._submit(update)

    @staticmethod
    def _sender(update: Update) -> str:
        user = update.effective_user
        chat = update.effective_chat
        return str(user.id if user else chat.id if chat else 0)

    def _submit(self, update: Update) -> None:
        self.dispatcher.submit(self._sender(update), lambda: self._handle(update))

    async def _handle(self, update: Update) -> None:
        try:
            incoming = await self._incoming(update)
        except Exception:  # a field of a type the library let through: done, never retried
            log.warning("Telegram update %s of an unknown shape: %.300r", update.update_id,
                        update.to_dict())  # fmt: skip
            incoming = None
        try:
            if incoming is None:  # nothing the bot reads, or nobody to answer: done, once
                log.info("Telegram update %s has nothing to answer", update.update_id)
                await self.services.inbox.answered(CHANNEL, str(update.update_id))
                return
            try:
                replies = await self.engine.handle(incoming)
            except Exception:
                log.exception("error while handling update %s", update.update_id)
                replies = [Reply(self.translator.for_language(None)("errors.internal"))]
            await self._answer(update, replies)
            await self.engine.answered(incoming)
        finally:
            if self.on_update_done is not None:
                await self.on_update_done(update.update_id)

    async def _answer(self, update: Update, replies: list[Reply]) -> None:
        chat = update.effective_chat
        if chat is None or not replies:
            return
        query = update.callback_query
        tapped = query.message if query is not None else None
        if replies[0].edit and isinstance(tapped, Message):
            edited = await self._edit(chat.id, tapped.message_id, replies[0])
            replies = replies[1:] if edited else replies
        await self.send(chat.id, replies)

    async def _edit(self, chat_id: int, message_id: int, reply: Reply) -> bool:
        """Replace the tapped message (a ticked checklist); False to send it anew instead."""
        chunks = split_html(str(reply.text), MessageLimit.MAX_TEXT_LENGTH)
        if len(chunks) > 1:
            return False
        try:
            await self.bot.edit_message_text(
                chunks[0], chat_id=chat_id, message_id=message_id, reply_markup=keyboard(reply)
            )
        except BadRequest as exc:
            return "not modified" in str(exc).lower()
        return True

    # --- notices ----------------------------------------------------------------------------
    async def _deliver(self, notice: Notice) -> None:
        """One notice: a person who blocked the bot is marked unreachable; timeouts, 5xx and
        floods are tried again later; a request Telegram refused is not."""
        outbox = self.services.outbox
        try:
            await self.send(int(notice.external_id), [notice_reply(notice)], bulk=True)
        except Forbidden:
            await self.services.persons.mark_unreachable(notice.person_id)
            await outbox.failed(notice, "blocked", final=True)
        except (NetworkError, RetryAfter) as exc:
            await outbox.failed(notice, f"{type(exc).__name__}: {exc}")
        except TelegramError as exc:
            await outbox.failed(notice, str(exc), final=True)
        else:
            await outbox.sent(notice.id)

    async def send(self, chat_id: int, replies: list[Reply], bulk: bool = False) -> None:
        """Replies at once; `bulk` notices paced, and their failures raised for the outbox."""
        pacing = BULK if bulk else None
        for reply in replies:
            chunks = split_html(str(reply.text), MessageLimit.MAX_TEXT_LENGTH)
            # The buttons go under the last thing sent, the files when there are any: what to
            # do next stays below what was just received.
            last = len(chunks) + len(reply.files)
            try:
                for number, chunk in enumerate(chunks, 1):
                    markup = keyboard(reply) if number == last else None
                    await self.bot.send_message(
                        chat_id, chunk, reply_markup=markup, rate_limit_args=pacing
                    )
                for number, outgoing in enumerate(reply.files, len(chunks) + 1):
                    content = InputFile(outgoing.path.read_bytes(), filename=outgoing.name)
                    markup = keyboard(reply) if number == last else None
                    send = self.bot.send_photo if outgoing.image else self.bot.send_document
                    await send(chat_id, content, reply_markup=markup, rate_limit_args=pacing)
            except Forbidden:
                if bulk:
                    raise
                log.info("chat %s blocked the bot; answer dropped", chat_id)
                return
            except TelegramError as exc:
                if bulk:
                    raise
                log.warning("answer to chat %s not sent: %s", chat_id, exc)
                return

    # --- from Telegram's updates to the core's events -----------------------------------------
    async def _incoming(self, update: Update) -> Incoming | None:
        if update.effective_user is None or update.effective_chat is None:
            return None  # a channel's post, a message from nobody: no one to answer
        query = update.callback_query
        if query is not None:
            # Stops the button's spinner; sent beside the handling, not before it.
            answering = asyncio.create_task(query.answer())
            answering.add_done_callback(_ignore_failure)
            data = query.data if isinstance(query.data, str) else ""
            return self._event(update, "option", text=data)
        message = update.message
        if message is None:
            return None
        text = message.text if isinstance(message.text, str) else None
        if text is not None and text.startswith("/"):
            parsed = parse_command(text)
            if parsed is not None:
                return self._event(update, "command", command=parsed[0], args=parsed[1])
        if text is not None:
            return self._event(update, "text", text=text)
        if message.document is not None or message.photo:
            return self._event(update, "file", file=self._file(message))
        return self._event(update, "other")

    def _file(self, message: Message) -> IncomingFile:
        if message.document is not None:
            document = message.document
            file_id, name, size = document.file_id, document.file_name or "tep", document.file_size
        else:
            largest = message.photo[-1]
            file_id, name, size = (
                largest.file_id,
                f"anh-{largest.file_unique_id}.jpg",
                largest.file_size,
            )
        bot = self.bot

        async def fetch(limit: int) -> bytes:
            # Telegram's own size for the file, not the one the message declared.
            telegram_file = await bot.get_file(file_id)
            if telegram_file.file_size is not None and telegram_file.file_size > limit:
                raise FileTooLarge(name)
            content = bytes(await telegram_file.download_as_bytearray())
            if len(content) > limit:
                raise FileTooLarge(name)
            return content

        return IncomingFile(name, size, fetch, is_photo=message.document is None)

    @staticmethod
    def _event(update: Update, kind: IncomingKind, **fields: Any) -> Incoming:
        """The neutral event for an update: who, which update, whether the chat is private."""
        user, chat = update.effective_user, update.effective_chat
        return Incoming(
            CHANNEL,
            str(user.id) if user else "",
            kind,
            update_id=str(update.update_id),
            private=chat is not None and chat.type == "private",
            **fields,
        )


def _ignore_failure(task: asyncio.Task[bool]) -> None:
    """An old button's query can no longer be answered: that is fine."""
    if not task.cancelled() and isinstance(task.exception(), TelegramError):
        return
    if not task.cancelled() and task.exception() is not None:
        log.warning("answering a button failed", exc_info=task.exception())
