"""Nothing acknowledged is lost: the bot is killed (SIGKILL) the moment its acknowledgment reaches
Telegram, and the record is there after a restart. Stale drafts are forgotten, records never."""

from __future__ import annotations

from pathlib import Path

from bot.domain.records import Conversation
from bot.services.container import Services
from tests.process import BotProcess, Person
from tests.standins.telegram_api import TelegramStandIn, User
from tests.test_crashes import ACK, up_to_the_pledge_review


async def test_killed_right_after_the_acknowledgment_the_pledge_is_kept(tmp_path: Path) -> None:
    standin = TelegramStandIn()
    await standin.start()
    person = Person(standin, User(777001), tmp_path)
    bot = await BotProcess(standin, tmp_path).start()
    try:
        await up_to_the_pledge_review(person)
        standin.on_send = lambda m: bot.kill() if "mã TD-" in m.text else None
        standin.tap(person.user, person.messages()[-1], "Gửi đăng ký")
        await bot.killed()
        assert ACK in person.messages()[-1].text
        standin.on_send = None
        await bot.start()
        mine = (await person.say("/my"))[-1]
        assert "TD-2026-0001 — năm 2026 — Bằng khen (UBND tỉnh)" in mine.text
        # Killed after Telegram took the acknowledgment but before the bot noted it sent: the
        # bot cannot know, so it sends it again — the one case where a person sees it twice.
        assert sum(ACK in m.text for m in person.messages()) == 2
    finally:
        bot.kill()
        await standin.stop()


async def test_stale_drafts_are_forgotten_and_records_kept(services: Services) -> None:
    person = await services.people.identify("console", "drafter")
    draft = Conversation(person.id, "initiative", "initiative.title", {"campaign": "x"})
    await services.conversations.save(draft)
    assert await services.conversations.expire_drafts("1970-01-01T00:00:00") == 0
    assert await services.conversations.expire_drafts("9999-01-01T00:00:00") == 1
    assert (await services.conversations.load(person.id)).flow is None
