"""A crash between any two steps of one update — at each call to Telegram, after each commit —
loses nothing acknowledged and duplicates nothing: after a restart there is exactly one record,
one audit entry, and one acknowledgment. Bursts and announcements survive SIGKILL too."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.process import BotProcess, Person
from tests.standins.telegram_api import TelegramStandIn, User

SOC_TRANG_CCHC = ["Tỉnh Sóc Trăng", "Sở Nội vụ", "Ban Thi đua"]
ACK = "Đã ghi nhận đăng ký thi đua, mã TD-2026-0001"


def rows(folder: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    with sqlite3.connect(folder / "bot.sqlite3") as db:
        return db.execute(sql, params).fetchall()


async def up_to_the_pledge_review(person: Person) -> None:
    await person.say("/start")
    for label in SOC_TRANG_CCHC:
        await person.tap(label)
    await person.say("Mai Thanh Hà")
    await person.say("Chuyên viên")
    await person.say("/pledge")
    await person.tap("Bằng khen")
    await person.say("Số hoá 100% hồ sơ")
    await person.tap("Tiếp tục")


# Where the process dies while "Gửi đăng ký" is being handled: as Telegram receives a call
# (before acting on it), or right after one of the update's commits.
KILL_AT_CALL = ["answerCallbackQuery", "sendMessage", "getUpdates"]
KILL_AT_COMMIT = ["stored", "handled", "answered"]


@pytest.mark.parametrize(
    "call, commit",
    [(c, None) for c in KILL_AT_CALL] + [(None, c) for c in KILL_AT_COMMIT],
)
async def test_a_crash_at_any_step_of_an_update_loses_and_duplicates_nothing(
    tmp_path: Path, call: str | None, commit: str | None
) -> None:
    standin = TelegramStandIn()
    await standin.start()
    person = Person(standin, User(777001), tmp_path)
    bot = BotProcess(standin, tmp_path)
    try:
        await bot.start()
        await up_to_the_pledge_review(person)
        await bot.stop()
        await bot.start(**({"THIDUA_TEST_KILL_AT": commit} if commit else {}))
        review = person.messages()[-1]
        tap_id = standin.tap(person.user, review, "Gửi đăng ký")

        def kill_at(method: str, params: dict[str, Any]) -> bool:
            # The confirming getUpdates is the one whose offset is past the tap.
            if method != call or (call == "getUpdates" and int(params.get("offset", 0)) <= tap_id):
                return False
            bot.kill()
            return True

        if call is not None:
            standin.on_call = kill_at
        await bot.killed()
        standin.on_call = None
        await bot.start()
        await standin.wait_until(lambda: any(ACK in m.text for m in person.messages()), 15)
        (mine,) = await person.say("/my")
        assert "TD-2026-0001 — năm 2026 — Bằng khen (UBND tỉnh)" in mine.text
        acks = [m for m in person.messages() if ACK in m.text]
        assert len(acks) == 1
        assert rows(tmp_path, "SELECT count(*) FROM pledges") == [(1,)]
        audit = "SELECT count(*) FROM audit_log WHERE entity = 'pledge' AND action = 'create'"
        assert rows(tmp_path, audit) == [(1,)]
    finally:
        bot.kill()
        await standin.stop()
    assert standin.rejected == []


async def test_killed_right_after_a_burst_was_fetched_every_update_is_answered(
    tmp_path: Path,
) -> None:
    standin = TelegramStandIn()
    await standin.start()
    bot = BotProcess(standin, tmp_path)
    people = [User(880000 + n) for n in range(30)]
    try:
        await bot.start()
        burst = [standin.send_text(user, "/help") for user in people]

        def kill_after_fetch(method: str, params: dict[str, Any]) -> bool:
            if method == "getUpdates" and int(params.get("offset", 0)) > burst[-1]:
                bot.kill()  # the burst was fetched (and perhaps stored): die before anything else
                return True
            return False

        standin.on_call = kill_after_fetch
        await bot.killed()
        standin.on_call = None
        # Answers go out while the next poll is made, so some may have reached Telegram before
        # the kill without being marked sent: those (and only those) are sent once more. That
        # is the promise (at least once, never none), so it is what is asserted.
        before_kill = Counter(m.chat_id for m in standin.sent)
        await bot.start()
        await standin.wait_until(lambda: all(standin.messages_to(u.id) for u in people), 20)
        answers = Counter(m.chat_id for m in standin.sent)
        assert all(1 <= answers[u.id] <= 1 + before_kill[u.id] for u in people), answers
        assert all(before_kill[u.id] <= 1 for u in people), before_kill
    finally:
        bot.kill()
        await standin.stop()


async def test_killed_during_an_announcement_everyone_is_told(tmp_path: Path) -> None:
    """120 people in one unit; the announcement's sender is killed after 30 notices. After a
    restart everyone has it, without waiting for the leases of the dead process to end; a notice
    in flight at the kill may arrive twice, never zero."""
    standin = TelegramStandIn()
    await standin.start()
    # The default lease (60 s): the notices leased by the killed process go out at once anyway.
    bot = BotProcess(standin, tmp_path, ADMIN_IDS="990001")
    desk = Person(standin, User(990001), tmp_path)
    people = [User(890000 + n) for n in range(120)]
    try:
        await bot.start()
        await desk.say("/start")  # the secretariat's own account
        await bot.stop()
        unit = rows(tmp_path, "SELECT id FROM units WHERE code = 'soctrang-snv-cchc'")[0][0]
        with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
            db.executemany(
                "INSERT INTO people (channel, external_id, full_name, position, unit_id, locale, "
                "created_at) VALUES ('telegram', ?, ?, 'Chuyên viên', ?, 'vi', '2026-11-01')",
                [(str(u.id), f"Người số {n}", unit) for n, u in enumerate(people)],
            )
        await bot.start()
        await desk.say("/announce")
        await desk.tap("Sóc Trăng – CCHC 2021-2030")
        sent = 0

        def kill_after_30(method: str, params: dict[str, Any]) -> bool:
            nonlocal sent
            if method == "sendMessage" and int(params["chat_id"]) in {u.id for u in people}:
                sent += 1
                if sent > 30:
                    bot.kill()
                    return True
            return False

        standin.on_call = kill_after_30
        await desk.tap("Gửi")
        await bot.killed()
        standin.on_call = None
        told_before = {m.chat_id for m in standin.sent}
        assert 0 < len(told_before & {u.id for u in people}) < 120
        await bot.start()
        await standin.wait_until(lambda: all(standin.messages_to(u.id) for u in people), 30)
        counts = Counter(m.chat_id for m in standin.sent if m.chat_id != desk.user.id)
        duplicates = sum(n - 1 for n in counts.values())
        assert all(counts[u.id] >= 1 for u in people)
        assert duplicates <= 1
    finally:
        bot.kill()
        await standin.stop()
