"""Round trip over Telegram: the real Application polling the local Bot API stand-in over HTTP.

    .venv/bin/python -m bench.telegram_roundtrip [--users 20] [--rounds 5]

Prints one JSON object: how long from a user's message entering getUpdates to the bot's answer
reaching sendMessage, per message, and the overall rate."""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

from bot.channels.telegram import TelegramChannel
from bot.engine.engine import Engine
from bot.settings import load_settings
from handlers import build_router
from run_bot import open_services
from tests.standins.telegram_api import TelegramStandIn, User

QUESTIONS = ["/campaigns", "han nop ho so", "tieu chi ca nhan can tho", "/deadlines"]


async def run(users: int, rounds: int) -> dict[str, object]:
    standin = TelegramStandIn()
    await standin.start()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            BOT_TOKEN=standin.token,
            TELEGRAM_API_URL=standin.url,
        )
        services = await open_services(settings)
        channel = TelegramChannel(settings, Engine(services, build_router()), services)
        stop = asyncio.Event()
        task = asyncio.create_task(channel.run_until(stop, poll_timeout=1))
        await standin.wait_until(lambda: "getUpdates" in standin.calls)
        latencies: list[float] = []
        started = time.perf_counter()
        for round_ in range(rounds):
            for n in range(users):
                user = User(700000 + n)
                before = len(standin.messages_to(user.id))
                t0 = time.perf_counter()
                standin.send_text(user, QUESTIONS[(round_ + n) % len(QUESTIONS)])
                await standin.wait_until(
                    lambda u=user.id, b=before: len(standin.messages_to(u)) > b  # type: ignore[misc]
                )
                latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
        stop.set()
        await task
        await services.close()
    await standin.stop()
    latencies.sort()
    return {
        "benchmark": "telegram_roundtrip",
        "messages": len(latencies),
        "messages_per_s": round(len(latencies) / elapsed, 1),
        "first_reply_ms_p50": round(statistics.median(latencies) * 1000, 2),
        "first_reply_ms_p95": round(latencies[int(len(latencies) * 0.95)] * 1000, 2),
        "rejected_requests": len(standin.rejected),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.users, args.rounds))))


if __name__ == "__main__":
    main()
