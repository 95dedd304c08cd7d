"""Updates handled concurrently, each person's in the order they arrived."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]


class Dispatcher:
    def __init__(self, concurrency: int = 64) -> None:
        self._queues: dict[str, deque[Job]] = {}
        self._running: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(concurrency)
        self._idle = asyncio.Event()
        self._idle.set()

    def submit(self, sender: str, job: Job) -> None:
        """Run `job` after every job already submitted for the same sender."""
        queue = self._queues.get(sender)
        if queue is not None:
            queue.append(job)
            return
        self._queues[sender] = deque([job])
        self._idle.clear()
        task = asyncio.create_task(self._drain(sender))
        self._running.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        if not self._running:
            self._idle.set()

    async def _drain(self, sender: str) -> None:
        queue = self._queues[sender]
        try:
            while queue:
                job = queue[0]
                async with self._slots:
                    try:
                        await job()
                    except Exception:  # one update's failure must not stop the person's next
                        log.exception("update of %s failed", sender)
                queue.popleft()
        finally:
            del self._queues[sender]

    @property
    def busy(self) -> int:
        return sum(len(q) for q in self._queues.values())

    async def wait_idle(self) -> None:
        await self._idle.wait()


async def first_of(*waits: Awaitable[Any]) -> None:
    """Return when the first of these finishes (a notice arrived, or it is time to stop)."""
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
