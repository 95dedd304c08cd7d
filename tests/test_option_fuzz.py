"""Property: whatever option data arrives — a stale button, forged data, every flow's prefix with
any tail — at whatever point of a conversation, the bot answers and never fails. Run through
the real engine and handlers on a real SQLite store, a copy per example."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine.engine import Engine
from bot.engine.events import Incoming
from bot.engine.profile import OPTION_DATA_LIMIT, ChannelProfile
from handlers import build_router
from run_bot import open_services
from tests.conftest import make_settings

ROUTER = build_router()
PREFIXES = [*sorted(ROUTER.options), "go", "go!", "zz"]
PROFILE = ChannelProfile(
    "fuzz",
    text_limit=4096,
    input_limit=4096,
    buttons=True,
    edits=True,
    option_data_limit=OPTION_DATA_LIMIT,
    join_hint=lambda code: code,
)
# Steps of real flows to start from, so buttons meet drafts at every stage.
OPENINGS = [
    ["/pledge"],
    ["/initiative"],
    ["/initiative", "Phần mềm nhắc hạn hồ sơ"],
    ["/start"],
    ["/my"],
]
TAILS = st.one_of(
    st.sampled_from(["", "0", "1", "99", "-1", "x", "ok", "yes", "b:", "p:soctrang", "1:x"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789:-_ ", max_size=30),
    st.sampled_from(["soctrang-cchc-2021-2030", "cantho-sxd-cchc-2021-2030", "k:collective"]),
)
STEP = st.tuples(st.sampled_from(PREFIXES), TAILS).map(lambda p: f"{p[0]}:{p[1]}")


async def prepared(folder: Path) -> Path:
    """A store with the demo data and one person who joined a unit (made once)."""
    services = await open_services(make_settings(folder))
    services.profiles["fuzz"] = PROFILE
    engine = Engine(services, ROUTER)
    unit = await services.units.by_code("soctrang-snv-cchc")
    assert unit is not None
    invite = await services.invites.create(unit.id, role="unit_head")
    for text in (f"/start inv_{invite.code}", "Phạm Quốc Hùng", "Trưởng phòng"):
        await engine.handle(_incoming(text, 0))
    await services.close()
    return folder / "bot.sqlite3"


def _incoming(text: str, n: int) -> Incoming:
    if text.startswith("/"):
        name, _, args = text[1:].partition(" ")
        return Incoming("fuzz", "fuzzer", "command", command=name, args=args, update_id=str(n))
    return Incoming("fuzz", "fuzzer", "text", text=text, update_id=str(n))


BASE = Path(tempfile.mkdtemp(prefix="fuzz-base-"))
DATABASE = asyncio.run(prepared(BASE))


async def session(folder: Path, opening: list[str], taps: list[str]) -> None:
    shutil.copy(DATABASE, folder / "bot.sqlite3")
    services = await open_services(make_settings(folder))
    services.profiles["fuzz"] = PROFILE
    engine = Engine(services, ROUTER)
    try:
        n = 100
        for text in opening:
            n += 1
            await engine.handle(_incoming(text, n))
        for data in taps:
            n += 1
            replies = await engine.handle(
                Incoming("fuzz", "fuzzer", "option", text=data, update_id=str(n))
            )
            assert replies, data  # every tap gets an answer
        await engine.drain()
    finally:
        await services.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(opening=st.sampled_from(OPENINGS), taps=st.lists(STEP, min_size=1, max_size=8))
def test_any_option_at_any_step_is_answered_without_failing(
    opening: list[str], taps: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(session(Path(folder), opening, taps))
