"""Limits on typed secrets: link codes (/link) and invitation codes (THAM GIA …, /start inv_…).

Per account: GUESSES wrong codes within WINDOW and the account is refused, even the right code,
until the oldest of them is WINDOW old (at most 480 tries a day). Per code: a link code is
retired after LINK_CODE_GUESSES wrong guesses made by anyone while it lives (10 minutes), so
that many accounts together cannot outguess it either. A link code is 8 of 31 characters
(8.5·10¹¹ codes), an invitation code 10 (8.2·10¹⁴): guessing a live one is hopeless."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Literal

from bot.clock import Clock
from storage.guesses import WrongGuesses
from storage.links import RETIRED_AFTER

Kind = Literal["link", "invite"]
GUESSES = 5
WINDOW = timedelta(minutes=15)
LINK_CODE_GUESSES = RETIRED_AFTER


class GuessLimits:
    def __init__(self, guesses: WrongGuesses, clock: Clock) -> None:
        self.guesses = guesses
        self.clock = clock

    async def minutes_locked(self, kind: Kind, account: str) -> int | None:
        """Minutes this account must wait before trying a code of this kind again, or None."""
        wrong = await self.guesses.since(kind, account, self.clock.stamp(-WINDOW))
        if len(wrong) < GUESSES:
            return None
        until = datetime.fromisoformat(wrong[-GUESSES]) + WINDOW
        left = (until - self.clock.now()).total_seconds()
        return max(1, math.ceil(left / 60))

    async def wrong(self, kind: Kind, account: str) -> None:
        await self.guesses.add(kind, account)

    async def prune(self) -> int:
        return await self.guesses.prune(self.clock.stamp(-WINDOW))
