"""Conversation steps several end-to-end tests share."""

from __future__ import annotations

from tests.conftest import Chat, RunningBot
from tests.standins.telegram_api import SentMessage


async def join_by_picking(
    chat: Chat, path: list[str], name: str, position: str
) -> list[SentMessage]:
    """/start, tap down the unit tree along `path`, then give full name and position."""
    messages = await chat.send("/start")
    current = messages[-1]
    for label in path:
        (current,) = await chat.tap(current, label)
    await chat.send(name)
    return await chat.send(position)


async def join_by_invite(
    chat: Chat, bot: RunningBot, unit_code: str, name: str, position: str, head: bool = False
) -> list[SentMessage]:
    unit = await bot.services.units.by_code(unit_code)
    assert unit is not None
    code = (await bot.services.invites.create(unit.id, role="unit_head" if head else "staff")).code
    await chat.send(f"/start inv_{code}")
    await chat.send(name)
    return await chat.send(position)


def last(messages: list[SentMessage]) -> SentMessage:
    return messages[-1]
