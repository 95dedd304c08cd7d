"""Inputs that used to raise instead of answering (issue 18): unicode digits typed as a choice
or a share, forged ids of 20 to 40 digits, Zalo and Telegram updates of shapes the adapters did
not expect (each logged once, answered where there is someone to answer, marked done and never
tried again), webhook bodies past the limit however they are sent; and the smaller findings:
a head re-picking their own unit, the inbox pruned, a restart after a crash."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from run_bot import housekeeping, open_services
from tests.conftest import BotStarter, Chat, ZaloChat, make_settings, zalo_on_webhook
from tests.e2e.helpers import join_by_invite
from tests.e2e.test_zalo import join_with_code
from tests.standins.telegram_api import TelegramStandIn
from tests.standins.zalo_api import ZaloStandIn, ZaloUser, update_key

INTERNAL = "có lỗi khi xử lý"
UNIT = "soctrang-snv-cchc"
UNIT_PATH = ["Tỉnh Sóc Trăng", "Sở Nội vụ", "Phòng Cải cách hành chính"]
SECRET = "s3cret-of-the-agency"
CAMPAIGN = "soctrang-cchc-2021-2030"


async def test_unicode_digits_are_not_numbers_on_zalo(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot = await start_zalo_bot()
    chat = ZaloChat(zalo, ZaloUser("5e5e000000000001", "Mai"))
    await chat.send("/start")  # a numbered list of places
    for typed in ("²", "¹", "①", "⁷⁰", "٣", "1" * 40):
        answer = chat.text(await chat.send(typed))
        assert INTERNAL not in answer, typed
        assert "Bạn đang ở" not in answer and "Tỉnh Sóc Trăng —" not in answer, typed
    assert "chọn một số từ 1 đến" in chat.text(await chat.send("0"))
    await join_with_code(chat, bot, UNIT, "Nguyễn Thị Mai")
    await chat.send("/initiative")
    await chat.send("Phần mềm nhắc hạn hồ sơ một cửa")
    await chat.pick("thủ tục hành chính")
    share = chat.text(await chat.send("Trần Văn Bình; Phòng Kiểm soát TTHC; ³⁰%"))
    assert "Dòng 1 chưa đúng dạng" in share
    await chat.send("Trần Văn Bình; Phòng Kiểm soát TTHC; 30%")
    for typed in ("⁷⁰", "７０", "70" + "0" * 30):
        answer = chat.text(await chat.send(typed))
        assert "nhập 70" in answer and INTERNAL not in answer, typed


async def test_forged_ids_of_any_length_are_stale_buttons(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    bot = await start_bot(ADMIN_IDS=str(chat.user.id))
    await join_by_invite(chat, bot, UNIT, "Võ Thị Lan", "Chuyên viên", head=True)
    (anything,) = await chat.send("/help")
    for digits in ("9" * 20, "9" * 40, "²"):
        for data in (f"my:p:{digits}", f"my:i:{digits}", f"pe:{digits}", f"pw:{digits}",
                     f"ie:{digits}", f"hp:{digits}", f"hc:{digits}", f"hs:{digits}:{digits}",
                     f"mb:ok:{digits}", f"ar:{digits}", f"rv:p:{digits}", f"rv:i:{digits}",
                     f"rv:s:p:{digits}:accepted", f"ap:{digits}:{digits}", f"oq:{digits}",
                     f"nm:{CAMPAIGN}:{digits}", f"nu:{CAMPAIGN}:2026:u{digits}",
                     f"ik:n:{UNIT}:{digits}:staff", f"rc:{digits}:{digits}", f"pg:t:{digits}",
                     f"jr:{digits}"):  # fmt: skip
            answers = await chat.tap_data(anything, data)
            assert answers, data
            assert INTERNAL not in Chat.text(answers), data


async def test_zalo_updates_of_unknown_shapes_are_done_after_one_try(
    zalo: ZaloStandIn, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    user = ZaloUser("5a5a000000000001", "Lan")
    good = {"X-Bot-Api-Secret-Token": SECRET}
    text = zalo.message(user, "/help")

    def message(**fields: Any) -> dict[str, Any]:
        return {"event_name": "message.text.received", "message": {**text, **fields}}

    shapes: list[dict[str, Any]] = [
        {"event_name": "message.text.received", "message": "xin chào"},
        message(**{"from": user.id}),
        message(message_id="m-chat", chat="PRIVATE"),
        message(message_id="m-text", text={"a": 1}),
        {"event_name": ["x"], "message": {**text, "message_id": {"id": 1}}},
        {**message(message_id="m-photo", photo=["x"]), "event_name": "message.image.received"},
    ]
    caplog.set_level(logging.WARNING)
    async with zalo_on_webhook(zalo, tmp_path, SECRET) as (hook, _, services):
        async with httpx.AsyncClient() as client:
            for body in [*shapes, "a string", [1, 2], 42]:
                answer = await client.post(hook, json=body, headers=good)
                assert answer.status_code == 200, body
        answerable = {update_key(s) for s in (shapes[2], shapes[3], shapes[5])}
        await zalo.wait_until(lambda: answerable <= zalo.handled)
        unfinished = await services.inbox.unfinished("zalo")
        assert unfinished == []
        stored = await services.db.fetch_value("SELECT count(*) FROM inbox")
        assert stored == 3  # the others carry no id to know them by: dropped, not stored
    told = [m.text for m in zalo.messages_to(user)]
    assert len(told) == 3 and not any(INTERNAL in t for t in told)
    dropped = [r for r in caplog.records if "unknown shape" in r.getMessage()]
    assert len(dropped) == 6  # each logged once
    # A restart tries none of them again.
    async with zalo_on_webhook(zalo, tmp_path, SECRET) as (_, _, services):
        assert await services.inbox.unfinished("zalo") == []
    assert len(zalo.messages_to(user)) == 3


async def test_webhook_bodies_are_limited_on_the_bytes_read(
    zalo: ZaloStandIn, tmp_path: Path
) -> None:
    good = {"X-Bot-Api-Secret-Token": SECRET}

    async def chunks(size: int) -> AsyncIterator[bytes]:
        body = json.dumps({"event_name": "message.text.received", "pad": "x" * size}).encode()
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    async with zalo_on_webhook(zalo, tmp_path, SECRET) as (hook, _, services):
        async with httpx.AsyncClient(timeout=30) as client:
            sizes = [3 * 1024 * 1024] * 5
            answers = await asyncio.gather(
                *(client.post(hook, content=chunks(size), headers=good) for size in sizes)
            )
            assert [a.status_code for a in answers] == [413] * 5
            declared = await client.post(hook, content=b"x" * 300_000, headers=good)
            assert declared.status_code == 413
            small = await client.post(hook, content=chunks(1000), headers=good)
            assert small.status_code == 200  # chunked and within the limit: read (no message)
        assert await services.db.fetch_value("SELECT count(*) FROM inbox") == 0


async def test_telegram_updates_of_unknown_shapes_do_not_stop_polling(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    bot = await start_bot()
    base = {"message_id": 1, "date": 0, "chat": {"id": chat.user.id, "type": "private"},
            "from": chat.user.as_json()}  # fmt: skip
    odd = [
        standin._push({"message": "chuỗi"}),
        standin._push({"message": {**base, "chat": "x"}}),
        standin._push({"callback_query": 5}),
        standin._push({"message": {**base, "text": {"a": 1}}}),
        standin._push({"message": {**base, "chat": {"id": -100, "type": "channel"}, "from": None}}),
    ]
    answers = await chat.send("/help")  # polling goes on, past them
    assert "/deadlines" in Chat.text(answers)
    # The one with something to answer (a text that is not text) was answered as "other".
    assert "Tôi chỉ đọc được tin nhắn chữ" in Chat.text(standin.messages_to(chat.user.id))
    for update_id in odd:
        answered = await bot.services.db.fetch_value(
            "SELECT answered_at FROM inbox WHERE channel = 'telegram' AND update_id = ?",
            (str(update_id),),
        )
        assert answered is not None, update_id
    assert await bot.services.inbox.unfinished("telegram") == []


async def test_a_head_picking_their_own_unit_again_stays_head(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    bot = await start_bot()
    await join_by_invite(chat, bot, UNIT, "Phạm Quốc Hùng", "Trưởng phòng", head=True)

    async def change_unit(path: list[str], position: str) -> None:
        (welcome,) = await chat.send("/start")
        (current,) = await chat.tap(welcome, "Đổi đơn vị")
        for label in path:
            (current,) = await chat.tap(current, label)
        await chat.send("Phạm Quốc Hùng")
        await chat.send(position)

    await change_unit(UNIT_PATH, "Trưởng phòng Cải cách")
    person = await bot.services.persons.find("telegram", str(chat.user.id))
    assert person is not None
    assert (person.role, person.confirmed, person.position) == (
        "unit_head",
        True,
        "Trưởng phòng Cải cách",
    )
    # Another unit: the role does not travel with the person.
    await change_unit(["Tỉnh Sóc Trăng", "Sở Nội vụ", "Văn phòng Sở"], "Chuyên viên")
    moved = await bot.services.persons.find("telegram", str(chat.user.id))
    assert moved is not None and (moved.role, moved.confirmed) == ("staff", False)


async def test_answered_inbox_rows_are_deleted_after_the_retention(
    tmp_path: Path,
) -> None:
    services = await open_services(make_settings(tmp_path, INBOX_RETENTION_DAYS="30"))
    try:
        clock = services.clock
        rows = [
            ("old", clock.stamp(-timedelta(days=31)), "{}"),
            ("recent", clock.stamp(-timedelta(days=29)), "{}"),
        ]
        for update_id, at, payload in rows:
            await services.db.execute(
                "INSERT INTO inbox (channel, update_id, payload, received_at, handled_at, "
                "answered_at) VALUES ('telegram', ?, ?, ?, ?, ?)",
                (update_id, payload, at, at, at),
            )
        await services.db.execute(
            "INSERT INTO inbox (channel, update_id, payload, received_at) "
            "VALUES ('telegram', 'waiting', '{}', ?)",
            (rows[0][1],),
        )
        await housekeeping(services)
        kept = await services.db.fetch_all("SELECT update_id FROM inbox ORDER BY update_id")
        assert [r[0] for r in kept] == ["recent", "waiting"]  # never an unanswered one
    finally:
        await services.close()
