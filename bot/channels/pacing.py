"""Telegram's sending limits, applied so that a person's answer never waits behind a broadcast:
replies go out at once; bulk notices (announcements, reminders, exports) are paced at about 30
messages a second overall and one a second per chat. Both wait out a 429's retry_after."""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

Result = bool | dict[str, Any] | list[dict[str, Any]]
BULK = {"bulk": True}  # rate_limit_args of a bulk notice
CHATS_REMEMBERED = 10_000


class Pacing(BaseRateLimiter[dict[str, Any]]):
    def __init__(self, overall: float = 30, per_chat: float = 1, retries: int = 3) -> None:
        self._overall = AsyncLimiter(overall, 1)
        self._per_chat = per_chat
        self._chats: OrderedDict[object, AsyncLimiter] = OrderedDict()
        self._retries = retries

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def _chat(self, chat_id: object) -> AsyncLimiter:
        limiter = self._chats.pop(chat_id, None) or AsyncLimiter(1, 1 / self._per_chat)
        self._chats[chat_id] = limiter  # most recent last; the oldest forgotten
        if len(self._chats) > CHATS_REMEMBERED:
            self._chats.popitem(last=False)
        return limiter

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> Result:
        bulk = bool(rate_limit_args and rate_limit_args.get("bulk"))
        chat = data.get("chat_id")
        for attempt in range(self._retries + 1):
            async with contextlib.AsyncExitStack() as pace:
                if bulk:
                    await pace.enter_async_context(self._overall)
                    if chat is not None:
                        await pace.enter_async_context(self._chat(chat))
                elif self._overall.has_capacity():
                    # A reply never waits, but takes its share of the overall rate: bulk
                    # notices then wait for what replies leave, instead of causing 429s.
                    await self._overall.acquire()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self._retries:
                    raise
                wait = exc._retry_after  # the documented retry_after warns about its type
                seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                await asyncio.sleep(seconds)
        raise AssertionError("unreachable")
