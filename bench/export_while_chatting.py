"""Deadline day's heavy work, end to end: the secretariat's /export of a campaign with 100,000
pledges and 10,000 initiatives, and its /stats, while other people chat. Answers to other people
are timed with nothing heavy running (the anchor) and again during each, in the same run; prints
one JSON object.

    .venv/bin/python -m bench.export_while_chatting [--pledges 100000] [--initiatives 10000]

The data is written straight into SQLite (bench/seed.py); the export and the figures go through
the real engine, handlers, storage and workbook writer, as the desk's commands do. The chatting
goes through the same engine (no messenger): what is measured is the core."""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.seed import bulk_seed
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


async def run(pledges: int, initiatives: int, users: int, rounds: int) -> dict[str, object]:
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
        await asyncio.to_thread(
            bulk_seed, settings.sqlite_path, campaign.id,
            campaign.pledge_commitments("individual"), [u.id for u in units],
            [u.name for u in units], pledges, initiatives,
        )  # fmt: skip
        seeded = time.perf_counter() - seeded
        rss_before = peak_rss_mb()
        anchor = await chat_round(engine, users, rounds)

        async def desk(command: str) -> tuple[float, float, list[float]]:
            """The answer's time, the time until the promised file was made, and the other
            people's answers meanwhile."""
            name, _, args = command.partition(" ")
            incoming = Incoming("console", "desk", "command", command=name, args=args)
            sent = "SELECT count(*) FROM outbox WHERE external_id = 'desk'"
            before = await services.db.fetch_value(sent)
            started = time.perf_counter()
            await engine.handle(incoming)
            answered = time.perf_counter() - started
            during: list[float] = []
            # People keep asking until the promised file reaches the desk's outbox.
            while not during or await services.db.fetch_value(sent) == before:
                during += await chat_round(engine, users, 1)
            return answered, time.perf_counter() - started, during

        stats_answer, stats_done, during_stats = await desk("stats 52/KH-UBND")
        _, export_done, during_export = await desk("export 52/KH-UBND")
        exported = sorted((Path(tmp) / "exports").glob("*.xlsx"))
        size_kb = exported[-1].stat().st_size // 1024 if exported else 0
        await services.close()
    p99 = percentile(anchor, 0.99)
    return {
        "benchmark": "export_while_chatting",
        "pledges": pledges,
        "initiatives": initiatives,
        "users": users,
        "answers_each_run": users * rounds,
        "seed_s": round(seeded, 1),
        "export_s": round(export_done, 2),
        "export_kb": size_kb,
        "peak_rss_mb": peak_rss_mb(),
        "export_worker_peak_rss_mb": peak_rss_mb(resource.RUSAGE_CHILDREN),
        "rss_before_export_mb": rss_before,
        "stats_answer_s": round(stats_answer, 3),
        "stats_with_chart_s": round(stats_done, 2),
        "anchor_ms_p50": percentile(anchor, 0.5),
        "anchor_ms_p99": p99,
        "during_export_ms_p99": percentile(during_export, 0.99),
        "during_stats_ms_p99": percentile(during_stats, 0.99),
        "export_p99_ratio": round(percentile(during_export, 0.99) / max(p99, 0.01), 2),
        "stats_p99_ratio": round(percentile(during_stats, 0.99) / max(p99, 0.01), 2),
        "targets": {"export_s": 15, "peak_rss_mb": 300, "stats_answer_s": 1, "p99_ratio": 2},
    }


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pledges", type=int, default=100_000)
    parser.add_argument("--initiatives", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.pledges, args.initiatives, args.users, args.rounds))))


if __name__ == "__main__":
    main()
