"""Files built to inflate, sent to the real bot process (python run_bot.py) over the Bot API
stand-in while ten people keep asking: how soon each is refused, what the others' answers take
meanwhile against the same people with nothing heavy (the anchor, same run), and how much the
bot's peak memory (VmHWM) grows. Prints one JSON object.

    .venv/bin/python -m bench.hostile_files [--rounds 3]

The files: a staff list of 312 KB holding one 300 MB cell, a 1 MB .docx that unpacks to 1 GB,
a staff list of 200,000 rows; and a staff list of 20,000 real rows, which is read (the worker
process parses it) and loaded."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from tests.process import BotProcess, Person, peak_memory_mb
from tests.standins.telegram_api import TelegramStandIn, User
from tests.zips import docx_bomb, rows_sheet, xlsx_with_huge_cell

DESK = 960001
PEOPLE = 10


def real_staff_list(rows: int) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Mã đơn vị", "Đơn vị", "Họ và tên", "Chức vụ", "Điện thoại / email"])
    for n in range(rows - 1):
        sheet.append(["soctrang-snv-cchc", "", f"Nguyễn Văn Số {n}", "Chuyên viên", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)


async def chatting(people: list[Person], stop: asyncio.Event, out: list[float]) -> None:
    async def one(person: Person) -> None:
        while not stop.is_set():
            started = time.perf_counter()
            await person.until_answered(person.standin.send_text(person.user, "/help"))
            out.append(time.perf_counter() - started)

    await asyncio.gather(*(one(p) for p in people))


async def measure(rounds: int) -> dict[str, object]:
    standin = TelegramStandIn()
    await standin.start()
    with tempfile.TemporaryDirectory() as folder:
        bot = BotProcess(standin, Path(folder), ADMIN_IDS=str(DESK))
        desk = Person(standin, User(DESK), Path(folder))
        people = [Person(standin, User(961000 + n), Path(folder)) for n in range(PEOPLE)]
        try:
            await bot.start()
            assert bot.process is not None
            for person in (desk, *people):
                await person.say("/help")
            files: dict[str, Callable[[], bytes]] = {
                "cell_300mb_xlsx": lambda: xlsx_with_huge_cell(300),
                "bomb_1gb_docx": lambda: docx_bomb(1024),
                "rows_200000_xlsx": lambda: rows_sheet(200_000),
                "staff_list_20000_rows_xlsx": lambda: real_staff_list(20_000),
            }
            anchor: list[float] = []
            stop = asyncio.Event()
            chat = asyncio.create_task(chatting(people, stop, anchor))
            await asyncio.sleep(3)
            stop.set()
            await chat
            result: dict[str, object] = {
                "benchmark": "hostile_files",
                "people_chatting": PEOPLE,
                "anchor_p50_ms": percentile(anchor, 0.5),
                "anchor_p99_ms": percentile(anchor, 0.99),
            }
            before = peak_memory_mb(bot.process.pid)
            for name, make in files.items():
                content = make()
                refused: list[float] = []
                during: list[float] = []
                for _ in range(rounds):
                    stop = asyncio.Event()
                    chat = asyncio.create_task(chatting(people, stop, during))
                    started = time.perf_counter()
                    await desk.until_answered(
                        standin.send_document(desk.user, f"{name}.{name[-4:]}", content), 60
                    )
                    refused.append(time.perf_counter() - started)
                    stop.set()
                    await chat
                result[name] = {
                    "sent_kb": len(content) // 1024,
                    "answered_s": round(max(refused), 3),
                    "said": desk.messages()[-1].text[:90],
                    "others_p50_ms": percentile(during, 0.5),
                    "others_p99_ms": percentile(during, 0.99),
                }
            result["bot_peak_rss_before_mb"] = round(before)
            result["bot_peak_rss_growth_mb"] = round(peak_memory_mb(bot.process.pid) - before, 1)
            return result
        finally:
            await bot.stop()
            await standin.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    print(json.dumps(asyncio.run(measure(parser.parse_args().rounds)), ensure_ascii=False))


if __name__ == "__main__":
    main()
