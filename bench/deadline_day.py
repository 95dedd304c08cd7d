"""Deadline day: many people at once through the real Telegram adapter and the Bot API
stand-in, against a bare python-telegram-bot echo bot on the same stand-in in the same run.

    .venv/bin/python -m bench.deadline_day [--users 1 50 200]

Each simulated person joins by invitation, opens /campaigns, asks two questions and completes
a pledge (11 updates, taps included); each echo-bot person sends 11 texts. Both wait for each
answer before the next step. Prints one JSON object per size: updates/s and per-update latency
p50/p95/p99 for both, and the ratios the issue sets targets for (>= 0.6 x updates/s, p99 <= 2 x)."""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from telegram import Update
from telegram.ext import Application, MessageHandler, TypeHandler, filters

from bot.channels.telegram import TelegramChannel
from bot.engine.engine import Engine
from bot.services.container import Services
from bot.settings import load_settings
from handlers import build_router
from run_bot import open_services
from tests.standins.telegram_api import TelegramStandIn, User

STEPS = 11


def summary(latencies: list[float], elapsed: float) -> dict[str, float]:
    ordered = sorted(latencies)

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)

    return {
        "updates_per_s": round(len(ordered) / elapsed, 1),
        "p50_ms": at(0.5),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
    }


async def timed(standin: TelegramStandIn, push: Callable[[], int], out: list[float]) -> None:
    started = time.perf_counter()
    await standin.wait_handled(push())
    out.append(time.perf_counter() - started)


async def echo_bot(users: int) -> dict[str, float]:
    standin = TelegramStandIn()
    await standin.start()
    app = Application.builder().token(standin.token).base_url(f"{standin.url}/bot").build()

    async def echo(update: Update, _: object) -> None:
        if update.effective_message and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    async def done(update: Update, _: object) -> None:
        await standin.mark_handled(update.update_id)

    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(TypeHandler(Update, done), group=1)
    latencies: list[float] = []
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=1, poll_interval=0)

        async def person(n: int) -> None:
            user = User(800000 + n)

            def say(text: str) -> Callable[[], int]:
                return lambda: standin.send_text(user, text)

            for step in range(STEPS):
                await timed(standin, say(f"tin {step}"), latencies)

        started = time.perf_counter()
        await asyncio.gather(*(person(n) for n in range(users)))
        elapsed = time.perf_counter() - started
        await app.updater.stop()
        await app.stop()
    await standin.stop()
    return summary(latencies, elapsed)


async def bot_on(standin: TelegramStandIn, folder: Path) -> tuple[Services, TelegramChannel]:
    """The bot, on the demo data in `folder`, talking to the stand-in through its real adapter."""
    settings = load_settings(
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        FILES_DIR=str(folder / "files"),
        BOT_TOKEN=standin.token,
        TELEGRAM_API_URL=standin.url,
        TODAY="22/11/2026",
    )
    services = await open_services(settings)
    channel = TelegramChannel(settings, Engine(services, build_router()), services)
    channel.on_update_done = standin.mark_handled
    return services, channel


async def thidua_bot(users: int) -> dict[str, float]:
    standin = TelegramStandIn()
    await standin.start()
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        services, channel = await bot_on(standin, Path(tmp))
        unit = await services.units.by_code("soctrang-snv-cchc")
        assert unit is not None
        invite = await services.invites.create(unit.id)
        stop = asyncio.Event()
        task = asyncio.create_task(channel.run_until(stop, poll_timeout=1))
        await standin.wait_until(lambda: "getUpdates" in standin.calls)

        async def person(n: int) -> None:
            user = User(810000 + n)

            def say(text: str) -> Callable[[], int]:
                return lambda: standin.send_text(user, text)

            def tap(label: str) -> Callable[[], int]:
                return lambda: standin.tap(user, standin.messages_to(user.id)[-1], label)

            for push in (
                say(f"/start inv_{invite.code}"),
                say(f"Nguyễn Văn {n}"),
                say("Chuyên viên"),
                say("/campaigns"),
                say("han nop ho so"),
                say("tieu chi ca nhan"),
                say("/pledge"),
                tap("Bằng khen"),
                say("Giải quyết đúng hạn 100% hồ sơ"),
                tap("Tiếp tục"),
                tap("Gửi đăng ký"),
            ):
                await timed(standin, push, latencies)

        started = time.perf_counter()
        await asyncio.gather(*(person(n) for n in range(users)))
        elapsed = time.perf_counter() - started
        pledges = int(await services.db.fetch_value("SELECT count(*) FROM pledges"))
        stop.set()
        await task
        await services.close()
    await standin.stop()
    assert pledges == users, f"{pledges} pledges for {users} people"
    assert not standin.rejected, standin.rejected[:3]
    return summary(latencies, elapsed)


async def run(users: int) -> dict[str, object]:
    echo = await echo_bot(users)
    ours = await thidua_bot(users)
    return {
        "benchmark": "deadline_day",
        "users": users,
        "updates": users * STEPS,
        "echo": echo,
        "thidua": ours,
        "throughput_ratio": round(ours["updates_per_s"] / echo["updates_per_s"], 2),
        "p99_ratio": round(ours["p99_ms"] / max(echo["p99_ms"], 0.1), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, nargs="+", default=[1, 50, 200])
    args = parser.parse_args()
    for users in args.users:
        print(json.dumps(asyncio.run(run(users))), flush=True)


if __name__ == "__main__":
    main()
