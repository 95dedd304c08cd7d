"""Files made and read in a process of their own: `python -m bot.services.export_worker` reads a
job (pickled by the bot: which of JOBS, and its arguments) on stdin and writes back its result.
Writing 200,000 rows or drawing a chart is pure-Python CPU; in a thread it would fight the
event loop for the interpreter lock and both would crawl, so it runs here, on the machine's
other core, while the bot keeps answering. Reading a sent spreadsheet runs here too: openpyxl
takes many times a sheet's size in memory, and that memory goes when this process ends."""

from __future__ import annotations

import asyncio
import pickle
import sys
from asyncio.subprocess import PIPE
from collections.abc import Callable
from typing import Any

from bot.settings import PROJECT_ROOT


def _job(name: str) -> Callable[..., Any]:
    """The job's function, importing only what it needs (a sheet's reading needs openpyxl, not
    the whole bot: the worker starts sooner)."""
    if name == "sheet":
        from bot.services.containers import read_sheet

        return read_sheet
    from bot.services.reports import Reports, write_export

    jobs: dict[str, Callable[..., Any]] = {"export": write_export, "chart": Reports.chart}
    return jobs[name]


async def run_elsewhere(job: str, *args: Any) -> Any:
    """Run one of the jobs in a fresh worker process and return what it returned."""
    worker = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.services.export_worker",
        stdin=PIPE, stdout=PIPE, stderr=PIPE, cwd=PROJECT_ROOT,
    )  # fmt: skip
    out, err = await worker.communicate(pickle.dumps((job, args)))
    if worker.returncode != 0:
        raise RuntimeError(f"{job} failed: {err.decode(errors='replace')[-2000:]}")
    return pickle.loads(out)


def main() -> None:
    # Only what the bot itself sent: the pipe is between this process and its parent.
    job, args = pickle.loads(sys.stdin.buffer.read())
    result = _job(job)(*args)
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    main()
