"""Units of work as storage runs them: statements batched into fewer trips to the database's
thread must still commit together, in order, or not at all."""

from __future__ import annotations

import sqlite3

import pytest

from bot.services.container import Services


async def test_a_write_nobody_waits_on_is_seen_by_the_next_read(services: Services) -> None:
    db = services.db
    async with db.transaction():
        await db.execute_soon(
            "INSERT INTO open_questions (asked_at, person_id, campaign, section, text) "
            "VALUES (?, NULL, NULL, NULL, ?)",
            (db.now(), "hạn nộp?"),
        )
        seen = await db.fetch_value("SELECT count(*) FROM open_questions")
    assert seen == 1


async def test_a_failing_pending_write_undoes_the_whole_unit(services: Services) -> None:
    db = services.db
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction():
            await db.execute(
                "INSERT INTO open_questions (asked_at, person_id, campaign, section, text) "
                "VALUES (?, NULL, NULL, NULL, ?)",
                (db.now(), "kept only with the rest"),
            )
            # NOT NULL broken: fails only when it is sent, with the COMMIT.
            await db.execute_soon("INSERT INTO open_questions (asked_at, text) VALUES (NULL, 'x')")
    assert await db.fetch_value("SELECT count(*) FROM open_questions") == 0
    # The connection is not left inside a transaction: the next unit of work commits.
    async with db.transaction():
        await db.execute_soon(
            "INSERT INTO open_questions (asked_at, text) VALUES (?, ?)", (db.now(), "next")
        )
    assert await db.fetch_value("SELECT text FROM open_questions") == "next"


async def test_an_empty_unit_of_work_leaves_the_connection_ready(services: Services) -> None:
    db = services.db
    async with db.transaction():
        pass
    async with db.transaction():
        assert await db.fetch_value("SELECT 1") == 1
