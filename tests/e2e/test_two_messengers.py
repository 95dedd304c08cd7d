"""One process, Telegram and Zalo on the same records: a person links their two accounts with a
one-time code and sees one /my on both; a code works once; an announcement reaches Telegram and
Zalo members alike, each where they were last."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.engine.engine import Engine
from handlers import build_router
from run_bot import open_services
from tests.conftest import Chat, RunningBot, ZaloChat, make_settings
from tests.e2e.helpers import join_by_invite, last
from tests.e2e.test_pledges import register
from tests.e2e.test_zalo import join_with_code, pledge_by_numbers
from tests.standins.telegram_api import TelegramStandIn, User
from tests.standins.zalo_api import ZaloStandIn, ZaloUser

DESK = 930100
UNIT = "soctrang-snv-cchc"


@pytest.fixture
async def both(
    standin: TelegramStandIn, zalo: ZaloStandIn, tmp_path: Path
) -> AsyncIterator[RunningBot]:
    settings = make_settings(
        tmp_path,
        BOT_TOKEN=standin.token,
        TELEGRAM_API_URL=standin.url,
        ZALO_BOT_TOKEN=zalo.token,
        ZALO_API_URL=zalo.url,
        FILES_DIR=str(tmp_path / "files"),
        ADMIN_IDS=str(DESK),
    )
    services = await open_services(settings)
    engine = Engine(services, build_router())
    telegram = TelegramChannel(settings, engine, services)
    telegram.on_update_done = standin.mark_handled
    zalo_channel = ZaloChannel(settings, engine, services)
    zalo_channel.on_update_done = zalo.mark_handled
    stop = asyncio.Event()

    async def run() -> None:
        await asyncio.gather(
            telegram.run_until(stop, poll_timeout=1), zalo_channel.run_until(stop, poll_timeout=1)
        )

    task = asyncio.create_task(run())
    await standin.wait_until(lambda: "getUpdates" in standin.calls)
    await zalo.wait_until(lambda: "getUpdates" in zalo.calls)
    yield RunningBot(services, stop, task)
    stop.set()
    await asyncio.wait_for(task, 15)
    await services.close()
    assert standin.rejected == [] and zalo.rejected == []


async def test_one_person_on_telegram_and_zalo(
    both: RunningBot, standin: TelegramStandIn, zalo: ZaloStandIn
) -> None:
    lan = Chat(standin, User(640001, "Lan"))
    await join_by_invite(lan, both, UNIT, "Võ Thị Lan", "Chuyên viên")
    assert "mã TD-2026-0001" in await register(lan, "Bằng khen", [], own="Số hoá hồ sơ")
    # On Zalo, a new account asks for a code ...
    on_zalo = ZaloChat(zalo, ZaloUser("1a0000000000000a", "Lan"))
    issued = on_zalo.text(await on_zalo.send("lien ket"))
    match = re.search(r"Mã liên kết của tài khoản này: ([A-Z0-9]{8})", issued)
    assert match is not None, issued
    code = match.group(1)
    # ... typed on the account that holds the records, which confirms.
    (confirm,) = await lan.send(f"/link {code.lower()}")
    assert "Liên kết tài khoản Zalo" in confirm.text and "Võ Thị Lan" in confirm.text
    (done,) = await lan.tap(confirm, "Liên kết")
    assert "Đã liên kết tài khoản Zalo" in done.text
    await zalo.wait_until(
        lambda: any("đã được liên kết" in m.text for m in zalo.messages_to(on_zalo.user))
    )
    mine = on_zalo.text(await on_zalo.send("/my"))
    assert "TD-2026-0001" in mine
    # The code worked once: anyone trying it again gets nothing.
    mallory = Chat(standin, User(640002, "Mallory"))
    await join_by_invite(mallory, both, UNIT, "Kẻ Lạ", "Chuyên viên")
    (refused,) = await mallory.send(f"/link {code}")
    assert "không đúng, đã dùng hoặc đã hết hạn" in refused.text
    # An announcement reaches Telegram and Zalo members alike (Lan where she was last: Zalo).
    desk = Chat(standin, User(DESK, "Văn phòng"))
    await desk.send("/start")
    before_tg = len(standin.messages_to(mallory.user.id))
    before_zalo = len(zalo.messages_to(on_zalo.user))
    (ask,) = await desk.send("/announce")
    (count,) = await desk.tap(ask, "Sóc Trăng – CCHC 2021-2030")
    await desk.tap(count, "Gửi")
    await standin.wait_until(lambda: len(standin.messages_to(mallory.user.id)) > before_tg)
    await zalo.wait_until(lambda: len(zalo.messages_to(on_zalo.user)) > before_zalo)
    announced = zalo.messages_to(on_zalo.user)[-1].text
    assert "Sóc Trăng" in announced and "1. " in announced  # its options numbered on Zalo
    assert "Đăng ký thi đua" in last(standin.messages_to(mallory.user.id)).button_labels()[0]


async def test_an_account_with_records_of_its_own_is_not_merged(
    both: RunningBot, standin: TelegramStandIn, zalo: ZaloStandIn
) -> None:
    lan = Chat(standin, User(650001, "Lan"))
    await join_by_invite(lan, both, UNIT, "Võ Thị Lan", "Chuyên viên")
    other = ZaloChat(zalo, ZaloUser("2b0000000000000b"))
    await join_with_code(other, both, UNIT, "Võ Thị Lan")
    assert "mã TD-2026-0001" in await pledge_by_numbers(other)
    code = re.findall(r"[A-Z0-9]{8}", other.text(await other.send("link")))[0]
    (confirm,) = await lan.send(f"/link {code}")
    (refused,) = await lan.tap(confirm, "Liên kết")
    assert "đã có đăng ký hoặc sáng kiến riêng" in refused.text
    zalo_person = await both.services.persons.find("zalo", other.user.id)
    assert zalo_person is not None and zalo_person.full_name == "Võ Thị Lan"
    assert "TD-2026-0001" in other.text(await other.send("/my"))
