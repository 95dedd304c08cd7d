"""Messages per second and latency through the core (engine + SQLite store), and memory.

    .venv/bin/python -m bench.engine_throughput [--messages 2000] [--users 50]

Prints one JSON object. Each message is a real question or command from a distinct user mix,
handled exactly as a channel would hand it over (state loaded and saved, update id recorded)."""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bot.channels.console import PROFILE as CONSOLE
from bot.engine.engine import Engine
from bot.engine.events import Incoming
from bot.settings import load_settings
from handlers import build_router
from run_bot import open_services

QUESTIONS = [
    ("command", "campaigns"),
    ("command", "deadlines"),
    ("text", "han nop ho so"),
    ("text", "tiêu chí cá nhân Cần Thơ"),
    ("text", "khen thuong bao nhieu soc trang 52/KH-UBND"),
    ("option", "cp:soctrang-cchc-2021-2030"),
    ("option", "cr:sxd-cchc-2024:a"),
    ("text", "ai duoc tham gia an giang"),
]


async def run(messages: int, users: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        services = await open_services(settings)
        engine = Engine(services, build_router())
        services.profiles["bench"] = replace(CONSOLE, name="bench", buttons=True)
        latencies: list[float] = []
        started = time.perf_counter()
        for n in range(messages):
            kind, value = QUESTIONS[n % len(QUESTIONS)]
            user = str(n % users)
            incoming = (
                Incoming("bench", user, "command", command=value, update_id=str(n))
                if kind == "command"
                else Incoming("bench", user, kind, text=value, update_id=str(n))  # type: ignore[arg-type]
            )
            t0 = time.perf_counter()
            replies = await engine.handle(incoming)
            latencies.append(time.perf_counter() - t0)
            assert replies, incoming
        elapsed = time.perf_counter() - started
        await services.close()
    latencies.sort()
    return {
        "benchmark": "engine_throughput",
        "messages": messages,
        "users": users,
        "messages_per_s": round(messages / elapsed, 1),
        "latency_ms_p50": round(statistics.median(latencies) * 1000, 2),
        "latency_ms_p95": round(latencies[int(len(latencies) * 0.95)] * 1000, 2),
        "latency_ms_max": round(latencies[-1] * 1000, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.messages, args.users))))


if __name__ == "__main__":
    main()
