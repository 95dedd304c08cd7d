"""Deadline day under Telegram's sending limits: the stand-in answers 429 with retry_after past
~30 messages a second overall and past a short burst per chat (then one a second), while an
announcement to many people goes out and others chat at the same time; prints one JSON object.

    .venv/bin/python -m bench.limits [--broadcast 300] [--users 30]

It reports whether every reply arrived, how many 429s were served and whether any request came
back before its retry_after (none should), the replies' latency, and when the last reply came
against when the broadcast finished (replies go ahead of it). The anchor is the same chatting
with no broadcast, in the same run."""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.deadline_day import bot_on, summary, timed
from bot.services.records import Notice
from tests.standins.telegram_api import TelegramStandIn, User

ANNOUNCEMENT = "📢 Phong trào thi đua mới: thông báo thử"
QUESTIONS = ("/campaigns", "han nop ho so", "tieu chi ca nhan", "/deadlines", "khen thuong")


async def run(broadcast: int, users: int) -> dict[str, object]:
    standin = TelegramStandIn()
    await standin.start()
    standin.enforce_limits()
    result: dict[str, object] = {"benchmark": "limits", "broadcast": broadcast, "users": users}
    with tempfile.TemporaryDirectory() as tmp:
        services, channel = await bot_on(standin, Path(tmp))
        unit = await services.units.by_code("soctrang-snv-cchc")
        assert unit is not None
        listeners = []
        for n in range(broadcast):
            person = await services.people.identify("telegram", str(700000 + n))
            listeners.append(await services.people.join(person, unit, f"Người nghe {n}", "CV"))
        stop = asyncio.Event()
        task = asyncio.create_task(channel.run_until(stop, poll_timeout=1))
        await standin.wait_until(lambda: "getUpdates" in standin.calls)

        def said(user: User, text: str) -> Callable[[], int]:
            return lambda: standin.send_text(user, text)

        def delivered() -> int:
            return sum(m.text == ANNOUNCEMENT for m in standin.sent)

        async def chatting(first: int) -> tuple[list[float], float, int]:
            latencies: list[float] = []
            lost = 0

            async def person(n: int) -> None:
                nonlocal lost
                user = User(first + n)
                for text in QUESTIONS:
                    before = len(standin.messages_to(user.id))
                    await timed(standin, said(user, text), latencies)
                    lost += len(standin.messages_to(user.id)) == before

            started = time.perf_counter()
            await asyncio.gather(*(person(n) for n in range(users)))
            return latencies, time.perf_counter() - started, lost

        anchor, anchor_s, anchor_lost = await chatting(810000)
        started = time.perf_counter()
        await services.records.notify([Notice(p, ANNOUNCEMENT, []) for p in listeners])
        during, chat_s, lost = await chatting(820000)
        await standin.wait_until(lambda: delivered() >= broadcast, 120)
        broadcast_s = time.perf_counter() - started
        stop.set()
        await task
        await services.close()
    await standin.stop()
    result.update(
        {
            "replies_lost": anchor_lost + lost,
            "broadcast_delivered": delivered(),
            "broadcast_s": round(broadcast_s, 1),
            "chatting_done_s": round(chat_s, 1),
            "answered_429": standin.too_many,
            "came_back_too_early": standin.too_early,
            "anchor": summary(anchor, anchor_s),
            "during_broadcast": summary(during, chat_s),
            "rejected_other": [r for r in standin.rejected if "Too Many" not in r[1]][:3],
        }
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--broadcast", type=int, default=300)
    parser.add_argument("--users", type=int, default=30)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.broadcast, args.users))))


if __name__ == "__main__":
    main()
