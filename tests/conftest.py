from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.engine.engine import Engine
from bot.services.container import Services
from bot.settings import Settings, load_settings
from handlers import build_router
from run_bot import open_services
from tests.standins.telegram_api import SentMessage, TelegramStandIn, User
from tests.standins.zalo_api import ZaloSent, ZaloStandIn, ZaloUser, update_key

TODAY = "22/11/2026"


def make_settings(tmp_path: Path, **overrides: str) -> Settings:
    values = {"DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3", "TODAY": TODAY, **overrides}
    return load_settings(**values)


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    opened = await open_services(make_settings(tmp_path))
    yield opened
    await opened.close()


@pytest.fixture
async def standin() -> AsyncIterator[TelegramStandIn]:
    server = TelegramStandIn()
    await server.start()
    yield server
    await server.stop()


@dataclass
class RunningBot:
    services: Services
    stop: asyncio.Event
    task: asyncio.Task[None]

    async def shutdown(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, 15)
        await self.services.close()


BotStarter = Callable[..., Awaitable[RunningBot]]


async def running_bots(
    standin: Any, tmp_path: Path, messenger: dict[str, str], channel_class: Any
) -> AsyncIterator[BotStarter]:
    """Start the real adapter of `channel_class` against its stand-in; may be called again to
    'restart'. Afterwards no request the bot made may have been refused by the stand-in."""
    running: list[RunningBot] = []

    async def start(today: str = TODAY, **env: str) -> RunningBot:
        settings = make_settings(
            tmp_path, TODAY=today, FILES_DIR=str(tmp_path / "files"), **messenger, **env
        )
        services = await open_services(settings)
        channel = channel_class(settings, Engine(services, build_router()), services)
        # Told once the bot has handled and answered each update: tests wait for exactly that.
        channel.on_update_done = standin.mark_handled
        stop = asyncio.Event()
        polls = standin.calls.count("getUpdates")
        task = asyncio.create_task(channel.run_until(stop, poll_timeout=1))
        await standin.wait_until(lambda: task.done() or standin.calls.count("getUpdates") > polls)
        if task.done():
            task.result()  # the bot failed to start: show why
        bot = RunningBot(services, stop, task)
        running.append(bot)
        return bot

    yield start
    for bot in running:
        if not bot.task.done():
            await bot.shutdown()
    assert standin.rejected == []


@pytest.fixture
async def start_bot(standin: TelegramStandIn, tmp_path: Path) -> AsyncIterator[BotStarter]:
    """The real Telegram adapter against the Bot API stand-in."""
    messenger = {"BOT_TOKEN": standin.token, "TELEGRAM_API_URL": standin.url}
    async for starter in running_bots(standin, tmp_path, messenger, TelegramChannel):
        yield starter


class Chat:
    """One user talking to the bot through the stand-in."""

    def __init__(self, standin: TelegramStandIn, user: User) -> None:
        self.standin = standin
        self.user = user

    def _count(self) -> int:
        return len(self.standin.messages_to(self.user.id))

    async def _answer(self, update_id: int, before: int) -> list[SentMessage]:
        await self.standin.wait_until(lambda: update_id in self.standin.handled)
        return self.standin.messages_to(self.user.id)[before:]

    async def send(self, text: str) -> list[SentMessage]:
        before = self._count()
        return await self._answer(self.standin.send_text(self.user, text), before)

    async def tap(self, message: SentMessage, label: str) -> list[SentMessage]:
        before = self._count()
        return await self._answer(self.standin.tap(self.user, message, label), before)

    async def tap_data(self, message: SentMessage, data: str) -> list[SentMessage]:
        before = self._count()
        return await self._answer(self.standin.tap_data(self.user, message, data), before)

    @staticmethod
    def text(messages: list[SentMessage]) -> str:
        return "\n".join(m.text for m in messages)


@pytest.fixture
def chat(standin: TelegramStandIn) -> Chat:
    return Chat(standin, User(555001, "Lan"))


@pytest.fixture
async def zalo() -> AsyncIterator[ZaloStandIn]:
    server = ZaloStandIn()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def start_zalo_bot(zalo: ZaloStandIn, tmp_path: Path) -> AsyncIterator[BotStarter]:
    """The real Zalo adapter against the Zalo stand-in, on the same core as Telegram's; every
    message within Zalo's rules (1-2000 plain characters, no markup, no buttons)."""
    messenger = {"ZALO_BOT_TOKEN": zalo.token, "ZALO_API_URL": zalo.url}
    async for starter in running_bots(zalo, tmp_path, messenger, ZaloChannel):
        yield starter


@contextlib.asynccontextmanager
async def zalo_on_webhook(
    zalo: ZaloStandIn, tmp_path: Path, secret: str
) -> AsyncIterator[tuple[str, ZaloChannel, Services]]:
    """The real Zalo adapter in webhook mode against the stand-in: its hook's local address."""
    settings = make_settings(
        tmp_path,
        ZALO_BOT_TOKEN=zalo.token,
        ZALO_API_URL=zalo.url,
        ZALO_WEBHOOK_URL="https://bot.sonv.example.gov.vn/zalo/hook",
        ZALO_WEBHOOK_SECRET=secret,
        WEBHOOK_LISTEN="127.0.0.1:0",
    )
    services = await open_services(settings)
    channel = ZaloChannel(settings, Engine(services, build_router()), services)
    channel.on_update_done = zalo.mark_handled
    stop = asyncio.Event()
    task = asyncio.create_task(channel.run_until(stop))
    try:
        await zalo.wait_until(lambda: task.done() or channel.webhook_port is not None)
        if task.done():
            task.result()  # it failed to start: show why
        yield f"http://127.0.0.1:{channel.webhook_port}/zalo/hook", channel, services
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        await services.close()


class ZaloChat:
    """One person writing to the bot on Zalo: options come back numbered, "2" picks."""

    def __init__(self, zalo: ZaloStandIn, user: ZaloUser) -> None:
        self.zalo = zalo
        self.user = user

    async def send(self, text: str) -> list[ZaloSent]:
        before = len(self.zalo.messages_to(self.user))
        key = update_key(self.zalo.send_text(self.user, text))
        await self.zalo.wait_until(lambda: key in self.zalo.handled)
        return self.zalo.messages_to(self.user)[before:]

    @staticmethod
    def text(messages: list[ZaloSent]) -> str:
        return "\n".join(m.text for m in messages)

    def number_of(self, label: str) -> str:
        """The number in front of an option in the last message that lists it."""
        for message in reversed(self.zalo.messages_to(self.user)):
            for line in message.text.splitlines():
                number, _, rest = line.strip().partition(". ")
                if number.isdigit() and label in rest:
                    return number
        raise AssertionError(f"no option {label!r}")

    async def pick(self, label: str) -> list[ZaloSent]:
        return await self.send(self.number_of(label))
