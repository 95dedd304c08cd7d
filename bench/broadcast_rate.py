"""How fast an announcement reaches everyone: notices through the durable outbox and the real
Application to the Bot API stand-in, within Telegram's limits.

    .venv/bin/python -m bench.broadcast_rate [--people 300]

Prints one JSON object: delivery rate, time to the last message, and that none was sent twice."""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections import Counter
from pathlib import Path

from bot.channels.telegram import TelegramChannel
from bot.engine.engine import Engine
from bot.services.records import Notice
from bot.settings import load_settings
from handlers import build_router
from run_bot import open_services
from tests.standins.telegram_api import TelegramStandIn


async def run(people: int) -> dict[str, object]:
    standin = TelegramStandIn()
    await standin.start()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            BOT_TOKEN=standin.token,
            TELEGRAM_API_URL=standin.url,
        )
        services = await open_services(settings)
        unit = await services.units.by_code("soctrang-snv-cchc")
        assert unit is not None
        notices = []
        for n in range(people):
            person = await services.people.identify("telegram", str(800000 + n))
            person = await services.people.join(person, unit, f"Cán bộ {n}", "Chuyên viên", "staff")
            notices.append(
                Notice(person, f"📢 <b>Phong trào mới</b> số {n}", [[("Đăng ký", "pg:x")]])
            )
        channel = TelegramChannel(settings, Engine(services, build_router()), services)
        stop = asyncio.Event()
        task = asyncio.create_task(channel.run_until(stop, poll_timeout=1))
        await standin.wait_until(lambda: "getUpdates" in standin.calls)
        started = time.perf_counter()
        await services.records.notify(notices)
        await standin.wait_until(lambda: len(standin.sent) >= people, 600)
        elapsed = time.perf_counter() - started
        stop.set()
        await task
        await services.close()
    await standin.stop()
    per_chat = Counter(m.chat_id for m in standin.sent)
    return {
        "benchmark": "broadcast_rate",
        "people": people,
        "delivered": len(standin.sent),
        "sent_twice": sum(1 for c in per_chat.values() if c > 1),
        "messages_per_s": round(len(standin.sent) / elapsed, 1),
        "seconds_to_last": round(elapsed, 2),
        "rejected_requests": len(standin.rejected),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=300)
    print(json.dumps(asyncio.run(run(parser.parse_args().people))))


if __name__ == "__main__":
    main()
