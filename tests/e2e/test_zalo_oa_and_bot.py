"""The Zalo OA and the Zalo Bot in one process, on one web server and one store, as
`run_bot.py` runs them: a notice the OA cannot deliver (its 7-day window) goes to the person's
Zalo Bot account; when Zalo refuses to renew the OA's tokens the secretariat hears it on the Zalo
Bot, the OA's answers are kept, and a new grant set in the settings works after a restart."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.channels.web import WebServer
from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_oa import HOOK_PATH, ZaloOAChannel
from bot.engine.engine import Engine
from handlers import build_router
from run_bot import open_services
from tests.conftest import OAChat, RunningBot, ZaloChat, make_settings, oa_settings, shut_down
from tests.e2e.test_zalo_oa import UNIT, join_with_code, until
from tests.standins.zalo_api import ZaloStandIn, ZaloUser
from tests.standins.zalo_oa_api import ZaloOAStandIn

DESK_OA, DESK_BOT = "3008000000000000001", "de5c0000000000a1"
Starter = Callable[..., Awaitable[RunningBot]]


@pytest.fixture
async def start_both(
    oa: ZaloOAStandIn, zalo: ZaloStandIn, tmp_path: Path
) -> AsyncIterator[Starter]:
    running: list[RunningBot] = []

    async def start(today: str, **env: str) -> RunningBot:
        settings = make_settings(
            tmp_path,
            TODAY=today,
            FILES_DIR=str(tmp_path / "files"),
            ZALO_BOT_TOKEN=zalo.token,
            ZALO_API_URL=zalo.url,
            ADMIN_IDS=f"zalo_oa:{DESK_OA},zalo:{DESK_BOT}",
            **{**oa_settings(oa), **env},
        )
        services = await open_services(settings)
        engine = Engine(services, build_router())
        web = WebServer(settings, services)
        oa_channel = ZaloOAChannel(settings, engine, services, web)
        oa_channel.on_update_done = oa.mark_handled
        bot_channel = ZaloChannel(settings, engine, services, web)
        bot_channel.on_update_done = zalo.mark_handled
        await web.start()
        stop = asyncio.Event()
        polls = zalo.calls.count("getUpdates")

        async def run() -> None:
            try:
                await asyncio.gather(
                    oa_channel.run_until(stop), bot_channel.run_until(stop, poll_timeout=1)
                )
            finally:
                await web.stop()

        task = asyncio.create_task(run())
        await oa_channel.ready.wait()
        await zalo.wait_until(lambda: zalo.calls.count("getUpdates") > polls)
        oa.webhook = f"http://127.0.0.1:{web.port}{HOOK_PATH}"
        bot = RunningBot(services, stop, task)
        running.append(bot)
        return bot

    yield start
    await shut_down(running, oa, zalo)


async def test_outside_the_window_a_notice_goes_to_the_zalo_bot_and_refused_tokens_are_told(
    start_both: Starter,
    oa: ZaloOAStandIn,
    zalo: ZaloStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = await start_both("22/11/2026")
    desk_bot = ZaloChat(zalo, ZaloUser(DESK_BOT, "Văn phòng"))
    await desk_bot.send("/help")  # the secretariat also writes on the Zalo Bot
    hung = OAChat(oa, "3001000000000000010", "Hùng")
    await join_with_code(hung, bot, UNIT, "Phạm Quốc Hùng")
    # Hùng also uses the Zalo Bot: the new account asks for a code, the OA account confirms.
    hung_bot = ZaloChat(zalo, ZaloUser("4ead0000000000b2", "Hùng"))
    issued = hung_bot.text(await hung_bot.send("lien ket"))
    match = re.search(r"Mã liên kết của tài khoản này: ([A-Z0-9]{8})", issued)
    assert match is not None, issued
    await hung.send(f"/link {match.group(1)}")
    assert "Đã liên kết tài khoản Zalo" in hung.text(await hung.pick("Liên kết"))
    await bot.shutdown()

    # Eight days later Hùng has not written to the OA: the announcement reaches his Zalo Bot.
    oa.advance(timedelta(days=8))
    bot = await start_both("30/11/2026")
    desk = OAChat(oa, DESK_OA, "Văn phòng")
    await desk.send("/announce")
    await desk.pick("Sóc Trăng – CCHC 2021-2030")
    before = len(hung.messages())
    await desk.pick("Gửi")
    await zalo.wait_until(
        lambda: any("Sóc Trăng" in m.text for m in zalo.messages_to(hung_bot.user)[1:])
    )
    assert len(hung.messages()) == before  # nothing tried where Zalo would refuse it
    rerouted = await bot.services.db.fetch_value(
        "SELECT count(*) FROM outbox WHERE via = 'rerouted' AND channel = 'zalo'"
    )
    assert rerouted == 1

    # The OA withdraws the app's permissions: the desk hears it on the Zalo Bot, the answer waits.
    oa.revoke()
    caplog.set_level(logging.ERROR)
    told = len(zalo.messages_to(desk_bot.user))
    await desk.send("/help")
    await zalo.wait_until(lambda: len(zalo.messages_to(desk_bot.user)) > told)
    warning = zalo.messages_to(desk_bot.user)[-1].text
    assert "Zalo OA của cơ quan tạm thời không gửi được tin nhắn" in warning
    assert "ZALO_OA_REFRESH_TOKEN" not in warning  # a clerk is not told a setting's name
    assert "ZALO_OA_REFRESH_TOKEN" in caplog.text  # the administrator's log says what to do
    kept = "SELECT count(*) FROM outbox WHERE channel = 'zalo_oa' AND state = 'pending'"
    await until(bot, kept, 1)
    await bot.shutdown()

    # Authorised again: the new refresh token goes in the settings, and the bot starts with it.
    oa.refresh_tokens.add("second-grant-token-0002")
    bot = await start_both("30/11/2026", ZALO_OA_REFRESH_TOKEN="second-grant-token-0002")
    assert "/deadlines" in desk.text(await desk.send("/help"))
    assert oa.refreshes[-1] == "second-grant-token-0002"
