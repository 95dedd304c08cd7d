"""Console start-up: from starting the process to the bot's first words, against Python
importing python-telegram-bot alone (the anchor), in the same run; prints one JSON object.

    .venv/bin/python -m bench.startup [--runs 5]

Measured on a data folder already set up (the usual start) and on an empty one (the first
start, which loads the demo organisation, the seed campaigns and the demo pledges)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def first_words(data: Path) -> float:
    """Seconds until the console prints its first line."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{data}/thidua.sqlite3",
           "FILES_DIR": str(data / "files"), "TODAY": "22/11/2026"}  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "run_bot.py"), "console"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stdin is not None
    process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.stdin.write(b"/quit\n")
    process.stdin.close()
    process.wait(30)
    return elapsed


def importing(module: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        fresh = [first_words(Path(tmp) / f"fresh{n}") for n in range(runs)]
        again = [first_words(Path(tmp) / "fresh0") for _ in range(runs)]
    anchor = [importing("telegram") for _ in range(runs)]
    bare = [importing("sys") for _ in range(runs)]
    median = statistics.median
    print(json.dumps({
        "benchmark": "startup",
        "runs": runs,
        "console_first_words_s": round(median(again), 3),
        "console_first_start_s": round(median(fresh), 3),
        "import_telegram_s": round(median(anchor), 3),
        "python_alone_s": round(median(bare), 3),
        "target_s": 1.0,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
