"""Nothing acknowledged is lost: the bot is killed (SIGKILL) the moment its acknowledgment reaches
Telegram, and the record is there after a restart. Stale drafts are forgotten, records never."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from bot.domain.records import Conversation
from bot.services.container import Services
from tests.standins.telegram_api import TelegramStandIn, User

ROOT = Path(__file__).resolve().parent.parent


async def start_process(standin: TelegramStandIn, tmp_path: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "BOT_TOKEN": standin.token,
        "TELEGRAM_API_URL": standin.url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/kill.sqlite3",
        "TODAY": "22/11/2026",
        "FILES_DIR": str(tmp_path / "files"),
    }
    calls = standin.calls.count("getUpdates")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "run_bot.py"),
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    await standin.wait_until(lambda: standin.calls.count("getUpdates") > calls, 30)
    return process


async def say(standin: TelegramStandIn, user: User, text: str) -> None:
    before = len(standin.messages_to(user.id))
    standin.send_text(user, text)
    await standin.wait_until(lambda: len(standin.messages_to(user.id)) > before, 15)
    await asyncio.sleep(0.2)


async def tap(standin: TelegramStandIn, user: User, label: str) -> None:
    message = standin.messages_to(user.id)[-1]
    before = len(standin.messages_to(user.id)) + len(standin.edits)
    standin.tap(user, message, label)
    await standin.wait_until(
        lambda: len(standin.messages_to(user.id)) + len(standin.edits) > before, 15
    )
    await asyncio.sleep(0.2)


async def test_killed_right_after_the_acknowledgment_the_pledge_is_kept(tmp_path: Path) -> None:
    standin = TelegramStandIn()
    await standin.start()
    user = User(777001)
    process = await start_process(standin, tmp_path)
    try:
        await say(standin, user, "/start")
        for label in ("Tỉnh Sóc Trăng", "Sở Nội vụ", "Ban Thi đua"):
            await tap(standin, user, label)
        await say(standin, user, "Mai Thanh Hà")
        await say(standin, user, "Chuyên viên")
        await say(standin, user, "/pledge")
        await tap(standin, user, "Bằng khen")
        await tap(standin, user, "☐ 2")
        await tap(standin, user, "Tiếp tục")
        standin.on_send = lambda m: process.kill() if "mã TD-" in m.text else None
        standin.tap(user, standin.messages_to(user.id)[-1], "Gửi đăng ký")
        assert await asyncio.wait_for(process.wait(), 15) == -9
        ack = standin.messages_to(user.id)[-1].text
        assert "Đã ghi nhận đăng ký thi đua, mã TD-2026-0001" in ack
        standin.on_send = None
        process = await start_process(standin, tmp_path)
        await say(standin, user, "/my")
        assert "TD-2026-0001 — Bằng khen (UBND tỉnh)" in standin.messages_to(user.id)[-1].text
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()
        await standin.stop()


async def test_stale_drafts_are_forgotten_and_records_kept(services: Services) -> None:
    person = await services.people.identify("console", "drafter")
    draft = Conversation(person.id, "initiative", "initiative.title", {"campaign": "x"})
    await services.conversations.save(draft)
    assert await services.conversations.expire_drafts("1970-01-01T00:00:00") == 0
    assert await services.conversations.expire_drafts("9999-01-01T00:00:00") == 1
    assert (await services.conversations.load(person.id)).flow is None
