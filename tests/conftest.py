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
from bot.channels.zalo_oa import HOOK_PATH as OA_HOOK_PATH
from bot.channels.zalo_oa import ZaloOAChannel
from bot.engine.engine import Engine
from bot.services.container import Services
from bot.settings import Settings, load_settings
from handlers import build_router
from run_bot import open_services
from tests.standins.telegram_api import SentMessage, TelegramStandIn, User
from tests.standins.zalo_api import ZaloSent, ZaloStandIn, ZaloUser, update_key
from tests.standins.zalo_oa_api import OASent, ZaloOAStandIn
from tests.standins.zalo_oa_api import event_key as oa_event_key

TODAY = "22/11/2026"
FIRST_REFRESH = "first-refresh-token-0001"


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
    await shut_down(running, standin)


async def shut_down(running: list[RunningBot], *standins: Any) -> None:
    """Every bot a test started stopped; then no stand-in may have refused a request."""
    for bot in running:
        if not bot.task.done():
            await bot.shutdown()
    for server in standins:
        assert server.rejected == []


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


# --- the agency's Zalo Official Account --------------------------------------------------------
@pytest.fixture
async def oa() -> AsyncIterator[ZaloOAStandIn]:
    server = ZaloOAStandIn()
    await server.start()
    yield server
    await server.stop()


def oa_settings(oa: ZaloOAStandIn, refresh_token: str = FIRST_REFRESH) -> dict[str, str]:
    """The settings an agency gives for its OA, pointed at the stand-in (also as OAuth and ZNS
    server)."""
    return {
        "ZALO_OA_APP_ID": oa.app_id,
        "ZALO_OA_SECRET_KEY": oa.secret_key,
        "ZALO_OA_APP_SECRET": oa.app_secret,
        "ZALO_OA_REFRESH_TOKEN": refresh_token,
        "ZALO_OA_API_URL": oa.url,
        "ZALO_OAUTH_URL": oa.url,
        "ZALO_ZNS_API_URL": oa.url,
        "WEBHOOK_LISTEN": "127.0.0.1:0",
    }


@dataclass
class RunningOA(RunningBot):
    channel: ZaloOAChannel | None = None


OAStarter = Callable[..., Awaitable[RunningOA]]


@pytest.fixture
async def start_oa_bot(oa: ZaloOAStandIn, tmp_path: Path) -> AsyncIterator[OAStarter]:
    """The real OA adapter on its own web server, the stand-in posting to its webhook; may be
    called again to 'restart'. Afterwards no request may have been refused by the stand-in."""
    running: list[RunningOA] = []

    async def start(today: str = TODAY, **env: str) -> RunningOA:
        settings = make_settings(
            tmp_path, TODAY=today, FILES_DIR=str(tmp_path / "files"), **{**oa_settings(oa), **env}
        )
        services = await open_services(settings)
        channel = ZaloOAChannel(settings, Engine(services, build_router()), services)
        channel.on_update_done = oa.mark_handled
        stop = asyncio.Event()
        task = asyncio.create_task(channel.run_until(stop))
        ready = asyncio.create_task(channel.ready.wait())
        await asyncio.wait([task, ready], timeout=15, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # the bot failed to start: show why
        assert ready.done(), "the OA channel did not start"
        oa.webhook = f"http://127.0.0.1:{channel.webhook_port}{OA_HOOK_PATH}"
        bot = RunningOA(services, stop, task, channel)
        running.append(bot)
        return bot

    yield start
    await shut_down(list(running), oa)


class OAChat:
    """One follower writing to the agency's OA: buttons tapped where the bot sent them,
    numbers typed where it listed options."""

    def __init__(self, oa: ZaloOAStandIn, user_id: str, name: str = "Lan") -> None:
        self.oa = oa
        self.user = oa.user(user_id, name)

    def messages(self) -> list[OASent]:
        return self.oa.messages_to(self.user)

    async def _answer(self, event: dict[str, Any], before: int) -> list[OASent]:
        key = oa_event_key(event)
        await self.oa.wait_until(lambda: key in self.oa.handled)
        return self.messages()[before:]

    async def send(self, text: str) -> list[OASent]:
        before = len(self.messages())
        return await self._answer(self.oa.send_text(self.user, text), before)

    async def send_file(self, name: str, content: bytes) -> list[OASent]:
        before = len(self.messages())
        return await self._answer(self.oa.send_file(self.user, name, content), before)

    async def send_image(self, content: bytes) -> list[OASent]:
        before = len(self.messages())
        return await self._answer(self.oa.send_image(self.user, content), before)

    async def follow(self) -> list[OASent]:
        before = len(self.messages())
        return await self._answer(self.oa.follow(self.user), before)

    async def send_event(self, name: str, **message: Any) -> list[OASent]:
        """Something else sent to the OA (a sticker, a location …)."""
        before = len(self.messages())
        event = self.oa.event(self.user, name, **message)
        self.user.last_interaction = self.oa.now()
        self.oa.deliver(event)
        return await self._answer(event, before)

    async def pick(self, label: str) -> list[OASent]:
        """The latest message offering `label`: its button tapped, or its number typed."""
        for sent in reversed(self.messages()):
            for title, _ in sent.buttons:
                if label in title:
                    before = len(self.messages())
                    return await self._answer(self.oa.tap(self.user, sent, title), before)
            for line in sent.text.splitlines():
                number, _, rest = line.strip().partition(". ")
                if number.isdigit() and label in rest:
                    return await self.send(number)
        raise AssertionError(f"no option {label!r}")

    @staticmethod
    def text(messages: list[OASent]) -> str:
        return "\n".join(m.text for m in messages)
