"""Telegram through python-telegram-bot: inline keyboards, HTML, the command menu, polling."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from markupsafe import Markup
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.engine.engine import Engine
from bot.engine.events import (
    Incoming,
    IncomingFile,
    IncomingKind,
    Option,
    Reply,
    parse_command,
)
from bot.engine.split import split_html
from bot.i18n import LANGUAGES
from bot.services.container import Services
from bot.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "telegram"
CALLBACK_DATA_LIMIT = 64
UPDATE_TYPES = ["message", "callback_query"]
# Commands in the menu, in this order; their descriptions come from locales (commands.*).
MENU_COMMANDS = (
    "campaigns",
    "deadlines",
    "criteria",
    "pledge",
    "initiative",
    "my",
    "start",
    "help",
    "lang",
    "cancel",
)
# The secretariat's commands, shown in its members' own menus only.
DESK_COMMANDS = ("admin", "review", "stats", "export", "invite", "announce", "remind")
NOTICE_INTERVAL = 0.5  # seconds between looks at the outbox


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.options:
        return None
    for option in reply.flat_options:
        if len(option.data.encode()) > CALLBACK_DATA_LIMIT:
            raise ValueError(f"callback data over {CALLBACK_DATA_LIMIT} bytes: {option.data!r}")
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
        self.admin_ids = settings.admin_ids
        self.translator = services.translator
        base = settings.telegram_api_base
        self.application: Application = (  # type: ignore[type-arg]
            Application.builder()
            .token(settings.bot_token)
            .base_url(f"{base}/bot")
            .base_file_url(f"{base}/file/bot")
            .defaults(
                Defaults(
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
            )
            .rate_limiter(AIORateLimiter(max_retries=3))
            .build()
        )
        app = self.application
        app.add_handler(MessageHandler(filters.COMMAND, self._on_command))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self._on_text))
        app.add_handler(CallbackQueryHandler(self._on_option))
        app.add_handler(MessageHandler(filters.Document.ALL | filters.PHOTO, self._on_file))
        app.add_error_handler(self._on_error)

    async def run_until(self, stop: asyncio.Event, poll_timeout: int = 10) -> None:
        """Long polling until `stop` is set, then finish the updates in hand and shut down."""
        app = self.application
        async with app:
            self.services.bot_username = app.bot.username
            await self.set_commands()
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(
                allowed_updates=UPDATE_TYPES, timeout=poll_timeout, poll_interval=0
            )
            log.info("Telegram polling started")
            sender = asyncio.create_task(self._deliver_notices(stop))
            await stop.wait()
            log.info("stopping: finishing the updates in hand")
            await sender
            await app.updater.stop()
            await app.stop()

    async def set_commands(self) -> None:
        """The command menu, Vietnamese by default and English for English-language clients;
        the secretariat (ADMIN_IDS) also sees its desk commands in its own chats."""
        bot = self.application.bot
        for language in LANGUAGES:
            t = self.translator.for_language(language)
            commands = [BotCommand(name, str(t(f"commands.{name}"))) for name in MENU_COMMANDS]
            code = None if language == self.translator.default else language
            await bot.set_my_commands(commands, language_code=code)
        t = self.translator.for_language(None)
        desk = [BotCommand(n, str(t(f"commands.{n}"))) for n in (*DESK_COMMANDS, *MENU_COMMANDS)]
        for admin_id in self.admin_ids:
            try:
                await bot.set_my_commands(desk, scope=BotCommandScopeChat(admin_id))
            except TelegramError as exc:  # they have not opened a chat with the bot yet
                log.warning("desk menu not set for %s: %s", admin_id, exc)

    async def _handle(self, update: Update, incoming: Incoming) -> None:
        replies = await self.engine.handle(incoming)
        chat = update.effective_chat
        if chat is None:
            return
        query = update.callback_query
        tapped = query.message if query is not None else None
        if replies and replies[0].edit and tapped is not None:
            edited = await self._edit(chat.id, tapped.message_id, replies[0])
            replies = replies[1:] if edited else replies
        await self.send(chat.id, replies)

    async def _edit(self, chat_id: int, message_id: int, reply: Reply) -> bool:
        """Replace the tapped message (a ticked checklist); False to send it anew instead."""
        chunks = split_html(str(reply.text), MessageLimit.MAX_TEXT_LENGTH)
        if len(chunks) > 1:
            return False
        try:
            await self.application.bot.edit_message_text(
                chunks[0], chat_id=chat_id, message_id=message_id, reply_markup=keyboard(reply)
            )
        except BadRequest as exc:
            return "not modified" in str(exc).lower()
        return True

    async def _deliver_notices(self, stop: asyncio.Event) -> None:
        """Send what the outbox holds for Telegram users; each notice at most once."""
        outbox, persons = self.services.outbox, self.services.persons
        while not stop.is_set():
            for notice in await outbox.claim(CHANNEL):
                reply = Reply(
                    Markup(notice.text),
                    [[Option(label, data) for label, data in row] for row in notice.options],
                )
                try:
                    await self.send(int(notice.external_id), [reply], raise_blocked=True)
                except Forbidden:
                    await persons.mark_unreachable(notice.person_id)
                    await outbox.finish(notice.id, "blocked")
                except TelegramError as exc:
                    await outbox.finish(notice.id, str(exc))
                else:
                    await outbox.finish(notice.id)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), NOTICE_INTERVAL)

    async def send(self, chat_id: int, replies: list[Reply], raise_blocked: bool = False) -> None:
        bot = self.application.bot
        for reply in replies:
            chunks = split_html(str(reply.text), MessageLimit.MAX_TEXT_LENGTH)
            for number, chunk in enumerate(chunks, 1):
                markup = keyboard(reply) if number == len(chunks) else None
                try:
                    await bot.send_message(chat_id, chunk, reply_markup=markup)
                except Forbidden:
                    if raise_blocked:
                        raise
                    log.info("chat %s blocked the bot; answer dropped", chat_id)
                    return
            for outgoing in reply.files:
                content = InputFile(outgoing.path.read_bytes(), filename=outgoing.name)
                if outgoing.image:
                    await bot.send_photo(chat_id, content)
                else:
                    await bot.send_document(chat_id, content)

    @staticmethod
    def _incoming(update: Update, kind: IncomingKind, **fields: Any) -> Incoming:
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

    async def _on_command(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        parsed = parse_command(message.text or "") if message else None
        if parsed is not None:
            name, args = parsed
            await self._handle(update, self._incoming(update, "command", command=name, args=args))

    async def _on_text(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        text = message.text if message and message.text else ""
        await self._handle(update, self._incoming(update, "text", text=text))

    async def _on_option(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        await query.answer()
        await self._handle(update, self._incoming(update, "option", text=query.data or ""))

    async def _on_file(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        bot = self.application.bot
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

        async def fetch() -> bytes:
            telegram_file = await bot.get_file(file_id)
            return bytes(await telegram_file.download_as_bytearray())

        photo = message.document is None
        incoming_file = IncomingFile(name, size, fetch, is_photo=photo)
        await self._handle(update, self._incoming(update, "file", file=incoming_file))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling an update", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            t = self.translator.for_language(None)
            try:
                await context.bot.send_message(update.effective_chat.id, str(t("errors.internal")))
            except TelegramError:
                log.warning("could not tell chat %s about the error", update.effective_chat.id)
