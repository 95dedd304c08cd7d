"""Telegram through python-telegram-bot: inline keyboards, HTML, the command menu, polling."""

from __future__ import annotations

import asyncio
import logging

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import Forbidden, TelegramError
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
from bot.engine.events import Incoming, Reply, parse_command
from bot.engine.split import split_html
from bot.i18n import LANGUAGES, Translator
from bot.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "telegram"
CALLBACK_DATA_LIMIT = 64
UPDATE_TYPES = ["message", "callback_query"]
# Commands in the menu, in this order; their descriptions come from locales (commands.*).
MENU_COMMANDS = ("campaigns", "deadlines", "criteria", "start", "help", "lang", "cancel")


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
    def __init__(self, settings: Settings, engine: Engine, translator: Translator) -> None:
        assert settings.bot_token, "TelegramChannel needs BOT_TOKEN"
        self.engine = engine
        self.translator = translator
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
        app.add_handler(MessageHandler(filters.ATTACHMENT & ~filters.TEXT, self._on_file))
        app.add_error_handler(self._on_error)

    async def run_until(self, stop: asyncio.Event, poll_timeout: int = 10) -> None:
        """Long polling until `stop` is set, then finish the updates in hand and shut down."""
        app = self.application
        async with app:
            await self.set_commands()
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(
                allowed_updates=UPDATE_TYPES, timeout=poll_timeout, poll_interval=0
            )
            log.info("Telegram polling started")
            await stop.wait()
            log.info("stopping: finishing the updates in hand")
            await app.updater.stop()
            await app.stop()

    async def set_commands(self) -> None:
        """The command menu, Vietnamese by default and English for English-language clients."""
        for language in LANGUAGES:
            t = self.translator.for_language(language)
            commands = [BotCommand(name, str(t(f"commands.{name}"))) for name in MENU_COMMANDS]
            code = None if language == self.translator.default else language
            await self.application.bot.set_my_commands(commands, language_code=code)

    async def _handle(self, update: Update, incoming: Incoming) -> None:
        replies = await self.engine.handle(incoming)
        chat = update.effective_chat
        if chat is not None:
            await self.send(chat.id, replies)

    async def send(self, chat_id: int, replies: list[Reply]) -> None:
        bot = self.application.bot
        for reply in replies:
            chunks = split_html(str(reply.text), MessageLimit.MAX_TEXT_LENGTH)
            for number, chunk in enumerate(chunks, 1):
                markup = keyboard(reply) if number == len(chunks) else None
                try:
                    await bot.send_message(chat_id, chunk, reply_markup=markup)
                except Forbidden:
                    log.info("chat %s blocked the bot; answer dropped", chat_id)
                    return

    @staticmethod
    def _base(update: Update) -> tuple[str, str]:
        user = update.effective_user
        return (str(user.id) if user else "", str(update.update_id))

    async def _on_command(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        parsed = parse_command(message.text or "") if message else None
        if parsed is None:
            return
        user_id, update_id = self._base(update)
        await self._handle(
            update,
            Incoming(
                CHANNEL, user_id, "command", command=parsed[0], args=parsed[1], update_id=update_id
            ),
        )

    async def _on_text(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        user_id, update_id = self._base(update)
        text = message.text if message and message.text else ""
        await self._handle(
            update, Incoming(CHANNEL, user_id, "text", text=text, update_id=update_id)
        )

    async def _on_option(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        await query.answer()
        user_id, update_id = self._base(update)
        await self._handle(
            update, Incoming(CHANNEL, user_id, "option", text=query.data or "", update_id=update_id)
        )

    async def _on_file(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        document = message.document if message else None
        user_id, update_id = self._base(update)
        await self._handle(
            update,
            Incoming(
                CHANNEL,
                user_id,
                "file",
                update_id=update_id,
                file_name=document.file_name if document else None,
            ),
        )

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling an update", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            t = self.translator.for_language(None)
            try:
                await context.bot.send_message(update.effective_chat.id, str(t("errors.internal")))
            except TelegramError:
                log.warning("could not tell chat %s about the error", update.effective_chat.id)
