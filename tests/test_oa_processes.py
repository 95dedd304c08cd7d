"""Two instances of `run_bot.py` serving one agency's Zalo OA on one store: the access token
expires in the middle of an announcement to 40 followers, both instances meet the refusal, and
the tokens are refreshed once (the lease in the store), the rotated refresh token kept; every
follower is told once. Started together with no token yet, they refresh once at start-up too."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path
from typing import Any

from bot.channels.zalo_oa import HOOK_PATH
from run_bot import open_services
from tests.conftest import OAChat, make_settings, oa_settings
from tests.e2e.test_zalo import free_port
from tests.process import TODAY, OAProcess
from tests.standins.zalo_oa_api import OASent, ZaloOAStandIn, event_key

DESK = "3008000000000000002"
FOLLOWERS = 40
UNIT = "soctrang-snv-cchc"


class DeskOverThere(OAChat):
    """The desk writing to the OA served by another process: an event is done once that process
    marked it answered in the store."""

    def __init__(self, oa: ZaloOAStandIn, user_id: str, folder: Path) -> None:
        super().__init__(oa, user_id, "Văn phòng")
        self.database = folder / "bot.sqlite3"

    def _done(self, key: str) -> bool:
        with sqlite3.connect(self.database) as db:
            row = db.execute(
                "SELECT answered_at FROM inbox WHERE channel = 'zalo_oa' AND update_id = ?", (key,)
            ).fetchone()
        return row is not None and row[0] is not None

    async def _answer(self, event: dict[str, Any], before: int) -> list[OASent]:
        key = event_key(event)
        deadline = asyncio.get_running_loop().time() + 15
        while not self._done(key):
            assert asyncio.get_running_loop().time() < deadline, f"{key} not answered"
            with contextlib.suppress(TimeoutError):  # look again after the next call to Zalo
                await self.oa.wait_until(lambda: False, 0.05)
        return self.messages()[before:]


async def seed_followers(oa: ZaloOAStandIn, folder: Path) -> list[str]:
    """Followers who joined the unit through the OA and wrote to it today."""
    settings = make_settings(folder, FILES_DIR=str(folder / "files"), **oa_settings(oa))
    services = await open_services(settings)
    try:
        unit = await services.units.by_code(UNIT)
        assert unit is not None
        ids = []
        for n in range(FOLLOWERS):
            user_id = f"30050000000000{n:05d}"
            person = await services.people.identify("zalo_oa", user_id)
            await services.people.join(person, unit, f"Cán bộ số {n}", "Chuyên viên", "staff")
            oa.user(user_id).last_interaction = oa.now()
            ids.append(user_id)
    finally:
        await services.close()
    return ids


async def test_a_token_expiring_mid_broadcast_is_refreshed_once_by_two_processes(
    oa: ZaloOAStandIn, tmp_path: Path
) -> None:
    followers = await seed_followers(oa, tmp_path)
    env = {**oa_settings(oa), "ADMIN_IDS": f"zalo_oa:{DESK}", "TODAY": TODAY}
    first, second = OAProcess(tmp_path, free_port(), **env), OAProcess(tmp_path, free_port(), **env)
    try:
        # Both start at once with no token yet: one refreshes, the other waits and reads it.
        await asyncio.gather(first.start(), second.start())
        await oa.wait_until(lambda: len(oa.refreshes) >= 1)
        oa.webhook = f"http://127.0.0.1:{first.port}{HOOK_PATH}"
        oa.send_delay = 0.01  # both instances busy sending when the token expires

        def expire_midway(sent: OASent) -> None:
            told = sum("Sóc Trăng" in m.text for m in oa.sent if m.user_id in followers)
            if told == FOLLOWERS // 4:
                oa.expire_access()

        oa.on_send = expire_midway
        desk = DeskOverThere(oa, DESK, tmp_path)
        await desk.send("/announce")
        await desk.pick("Sóc Trăng – CCHC 2021-2030")
        await desk.pick("Gửi")

        def told(user_id: str) -> int:
            return sum("Sóc Trăng" in m.text for m in oa.sent if m.user_id == user_id)

        await oa.wait_until(lambda: all(told(u) >= 1 for u in followers), 30)
        assert [told(u) for u in followers] == [1] * FOLLOWERS  # each once
        assert len(oa.refreshes) == 2  # at start-up, then once for both instances
        assert -220 in oa.refused  # the expiry was met
        assert len(oa.refresh_tokens) == 1  # the newest refresh token, unused, is what is kept
        assert oa.refreshes[1] != oa.refreshes[0]  # the rotated one was the one used
    finally:
        await asyncio.gather(first.stop(), second.stop())
    assert oa.rejected == []
    stored = await stored_refresh_token(tmp_path)
    assert stored in oa.refresh_tokens  # a restart continues the chain


async def stored_refresh_token(folder: Path) -> str:
    with sqlite3.connect(folder / "bot.sqlite3") as db:
        (token,) = db.execute("SELECT refresh_token FROM oa_tokens").fetchone()
    return str(token)
