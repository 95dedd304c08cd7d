"""What every messenger adapter does the same way: deliver the outbox under its leases, and
wind down after a stop without dropping the updates in hand."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from markupsafe import Markup

from bot.engine.dispatch import Dispatcher, first_of
from bot.engine.engine import Engine
from bot.engine.events import FileTooLarge, Option, OutgoingFile, Reply
from storage.outbox import Notice, Outbox

IDLE_LOOK = 1.0  # seconds between looks at the outbox when nothing wakes the sender

log = logging.getLogger(__name__)


async def deliver_notices(
    outbox: Outbox,
    channel: str,
    stop: asyncio.Event,
    deliver: Callable[[Notice], Awaitable[None]],
) -> None:
    """Claim the channel's notices and hand each to `deliver` (which records sent or failed);
    sleep until a commit adds notices, a retry falls due, or it is time to stop."""
    while not stop.is_set():
        arrived = outbox.arrival(channel)
        arrived.clear()
        notices = await outbox.claim(channel)
        for notice in notices:
            try:
                await deliver(notice)
            except Exception as exc:  # one broken notice (a file gone …) must not stop the rest
                log.exception("notice %s could not be delivered", notice.id)
                await outbox.failed(notice, f"{type(exc).__name__}: {exc}", final=True)
        if not notices:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(first_of(arrived.wait(), stop.wait()), IDLE_LOOK)


async def download(http: httpx.AsyncClient, url: str, limit: int) -> bytes:
    """A file a person sent, as the messenger serves it by URL, read no further than `limit`
    bytes whatever the sender declared."""
    content = bytearray()
    async with http.stream("GET", url) as response:
        response.raise_for_status()
        async for chunk in response.aiter_bytes():
            content += chunk
            if len(content) > limit:
                raise FileTooLarge(url)
    return bytes(content)


def notice_reply(notice: Notice) -> Reply:
    """A notice from the outbox as the reply a channel sends."""
    return Reply(
        Markup(notice.text),
        [[Option(label, data) for label, data in row] for row in notice.options],
        files=[
            OutgoingFile(str(f["name"]), Path(str(f["path"])), bool(f.get("image")))
            for f in notice.files
        ],
    )


async def wind_down(
    receiver: asyncio.Task[None],
    dispatcher: Dispatcher,
    engine: Engine,
    sender: asyncio.Task[None],
) -> None:
    """Stop taking updates, finish those in hand and the work they started, then the notices."""
    receiver.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await receiver
    await dispatcher.wait_idle()
    await engine.drain()
    await sender
