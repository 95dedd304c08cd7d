"""Does one person's /export hold up everyone else? Answers to other people are timed with no
export running (the anchor) and again while the secretariat exports a campaign of that many
pledges, in the same run; prints one JSON object.

    .venv/bin/python -m bench.export_while_chatting [--pledges 10000] [--users 20]

The chatting goes through the real engine and SQLite (no messenger), so what is measured is the
core: the unit of work of each update against the export's queries and workbook."""

from __future__ import annotations

import argparse
import asyncio
import json
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

QUESTIONS = ["/campaigns", "han nop ho so", "tiêu chí cá nhân Cần Thơ", "/deadlines"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 2)


async def chat_round(engine: Engine, users: int, rounds: int) -> list[float]:
    latencies: list[float] = []

    async def person(n: int) -> None:
        for r in range(rounds):
            text = QUESTIONS[(n + r) % len(QUESTIONS)]
            if text.startswith("/"):
                incoming = Incoming("bench", f"u{n}", "command", command=text[1:])
            else:
                incoming = Incoming("bench", f"u{n}", "text", text=text)
            started = time.perf_counter()
            await engine.handle(incoming)
            latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(person(n) for n in range(users)))
    return latencies


async def run(pledges: int, users: int, rounds: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            FILES_DIR=str(Path(tmp) / "files"),
            TODAY="22/11/2026",
        )
        services = await open_services(settings)
        engine = Engine(services, build_router())
        services.profiles["bench"] = replace(CONSOLE, name="bench", buttons=True, operator=False)
        services.profiles["console"] = CONSOLE
        campaign = await services.campaigns.get("soctrang-cchc-2021-2030")
        assert campaign is not None
        units = [u for u in await services.units.subtree(["soctrang"]) if u.level == "phòng"]
        seeded = time.perf_counter()
        for n in range(pledges):
            async with services.db.transaction():
                person = await services.people.identify("seed", str(n))
                unit = units[n % len(units)]
                person = await services.people.join(person, unit, f"Cán bộ {n}", "CV", "staff")
                await services.records.register_pledge(
                    person,
                    campaign,
                    "individual",
                    unit.id,
                    "Bằng khen (UBND tỉnh)",
                    campaign.pledge_commitments("individual")[:2],
                    [],
                    2026,
                    [],
                )
        seeded = time.perf_counter() - seeded
        anchor = await chat_round(engine, users, rounds)
        export = Incoming("console", "desk", "command", command="export", args="52/KH-UBND")
        started = time.perf_counter()
        await engine.handle(export)
        during = await chat_round(engine, users, rounds)
        await engine.drain()
        export_s = time.perf_counter() - started
        await services.close()
    return {
        "benchmark": "export_while_chatting",
        "pledges": pledges,
        "users": users,
        "answers_each_run": users * rounds,
        "seed_s": round(seeded, 1),
        "export_s": round(export_s, 2),
        "anchor_ms_p50": percentile(anchor, 0.5),
        "anchor_ms_p99": percentile(anchor, 0.99),
        "during_export_ms_p50": percentile(during, 0.5),
        "during_export_ms_p99": percentile(during, 0.99),
        "during_export_ms_max": round(max(during) * 1000, 2),
        "p99_ratio": round(percentile(during, 0.99) / max(percentile(anchor, 0.99), 0.01), 2),
        "anchor_mean_ms": round(statistics.mean(anchor) * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pledges", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.pledges, args.users, args.rounds))))


if __name__ == "__main__":
    main()
