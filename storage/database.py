"""The embedded SQLite store: WAL, foreign keys, numbered migrations, and units of work.

A unit of work is `async with db.transaction():` — everything the repositories do inside it,
in the same task, commits together or not at all. Repositories never take a connection: they ask
the database, which knows whether the calling task is inside a unit of work. Outside one, a
write is its own small transaction. Nothing outside storage/ sees a driver type or exception."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import aiosqlite

from bot.clock import Clock
from bot.domain.errors import AlreadyExists

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

Row = aiosqlite.Row
_T = TypeVar("_T")
BEGIN = "BEGIN IMMEDIATE"
Params = Sequence[object]


@dataclass(frozen=True)
class Written:
    rowcount: int
    lastrowid: int | None


@dataclass
class _Unit:
    """The open unit of work of the calling task, and what to do once it commits."""

    after_commit: list[Callable[[], None]]
    savepoints: int = 0
    # Statements not run yet: BEGIN, and writes whose outcome nobody waits for. They go to the
    # database's thread with the next statement, in order, so each costs no trip of its own.
    pending: list[tuple[str, Params]] = field(default_factory=lambda: [(BEGIN, ())])
    begun: bool = False


_current: ContextVar[_Unit | None] = ContextVar("unit_of_work", default=None)


def _run(
    connection: sqlite3.Connection,
    pending: list[tuple[str, Params]],
    sql: str | None,
    params: Any,
    kind: str,
) -> Any:
    """On the database's thread: what was pending, then the statement, in one trip."""
    for before, before_params in pending:
        connection.execute(before, before_params).close()
    if sql is None:
        return None
    if kind == "many":
        connection.executemany(sql, params).close()
        return None
    cursor = connection.execute(sql, params)
    try:
        return cursor.fetchall() if kind == "rows" else Written(cursor.rowcount, cursor.lastrowid)
    finally:
        cursor.close()


class Database:
    def __init__(self, connection: aiosqlite.Connection, clock: Clock) -> None:
        self._conn = connection
        self._conn.row_factory = aiosqlite.Row
        self.clock = clock
        # One writer at a time, and no read slips into another task's open transaction.
        self._lock = asyncio.Lock()
        self._path: Path | None = None
        self._reader: aiosqlite.Connection | None = None

    @classmethod
    async def open(cls, path: Path, clock: Clock) -> Database:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE) in transaction().
        connection = await aiosqlite.connect(path, isolation_level=None)
        database = cls(connection, clock)
        database._path = path
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=5000"):
            await connection.execute(f"PRAGMA {pragma}")
        await connection.execute("PRAGMA synchronous=NORMAL")
        await database.migrate()
        return database

    @property
    def path(self) -> Path:
        assert self._path is not None
        return self._path

    async def close(self) -> None:
        if self._reader is not None:
            await self._reader.close()
        await self._conn.close()

    async def snapshot(self, sql: str, params: Params = ()) -> list[Row]:
        """A long read (an export, figures) on a connection of its own: it sees what was
        committed when it began and holds up no one's unit of work (WAL lets both run)."""
        if self._reader is None:
            assert self._path is not None
            self._reader = await aiosqlite.connect(self._path)
            self._reader.row_factory = aiosqlite.Row
            await self._reader.execute("PRAGMA query_only=ON")
        return list(await self._reader.execute_fetchall(sql, params))

    def now(self) -> str:
        """A stamp for a record, from the injected clock."""
        return self.clock.stamp()

    # --- units of work ------------------------------------------------------------------
    @staticmethod
    def in_transaction() -> bool:
        return _current.get() is not None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """Commit everything inside together; inside another unit of work, join it. BEGIN
        goes with the first statement and COMMIT with the last writes: a unit of work costs
        its statements' trips to the database's thread, no more."""
        if _current.get() is not None:
            yield
            return
        async with self._lock:
            unit = _Unit([])
            token = _current.set(unit)
            try:
                yield
            except BaseException:
                unit.pending.clear()
                if unit.begun:
                    with contextlib.suppress(sqlite3.OperationalError):
                        await self._in_thread(_run, [], "ROLLBACK", (), "write")
                raise
            else:
                pending = self._take(unit)
                if unit.begun:
                    try:
                        await self._in_thread(_run, pending, "COMMIT", (), "write")
                    except BaseException:  # a pending write failed: nothing of it stays
                        with contextlib.suppress(sqlite3.OperationalError):
                            await self._in_thread(_run, [], "ROLLBACK", (), "write")
                        raise
            finally:
                _current.reset(token)
        for callback in unit.after_commit:
            callback()

    @staticmethod
    def _take(unit: _Unit | None) -> list[tuple[str, Params]]:
        """The unit's pending statements, to run now (BEGIN among them: it has begun)."""
        if unit is None or not unit.pending:
            return []
        pending, unit.pending = unit.pending, []
        unit.begun = unit.begun or any(sql == BEGIN for sql, _ in pending)
        return pending

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run once the current unit of work has committed (at once outside one)."""
        unit = _current.get()
        if unit is None:
            callback()
        else:
            unit.after_commit.append(callback)

    @asynccontextmanager
    async def unique(self) -> AsyncIterator[None]:
        """A part of a unit of work that is undone alone when it breaks a unique key, raising
        AlreadyExists; the rest of the unit of work goes on."""
        async with self.transaction():
            unit = _current.get()
            assert unit is not None
            unit.savepoints += 1
            name = f"sp{unit.savepoints}"
            unit.pending.append((f"SAVEPOINT {name}", ()))
            try:
                yield
            except sqlite3.IntegrityError as exc:
                await self._undo_to(unit, name)
                raise AlreadyExists(str(exc)) from exc
            except BaseException:
                await self._undo_to(unit, name)
                raise
            unit.pending.append((f"RELEASE {name}", ()))

    async def _undo_to(self, unit: _Unit, name: str) -> None:
        pending = self._take(unit)
        await self._in_thread(_run, pending, f"ROLLBACK TO {name}", (), "write")
        await self._in_thread(_run, [], f"RELEASE {name}", (), "write")

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """Inside a unit of work the connection is ours; outside, wait for it."""
        if _current.get() is not None:
            yield
        else:
            async with self._lock:
                yield

    # --- statements ---------------------------------------------------------------------
    async def _statement(self, sql: str, params: Any, kind: str) -> Any:
        """One statement in one trip, with whatever the unit of work has pending. Outside a
        unit of work a write is its own transaction: SQLite makes one statement atomic."""
        async with self._turn():
            return await self._in_thread(_run, self._take(_current.get()), sql, params, kind)

    async def _in_thread(self, job: Callable[..., _T], *args: Any) -> _T:
        # aiosqlite's own way to run on its connection's thread: one hop for several statements
        # (its public API takes one statement a trip, and a write's rowcount needs a second).
        run = cast(Callable[..., Awaitable[_T]], self._conn._execute)
        return await run(job, self._conn._conn, *args)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        return list(await self._statement(sql, params, "rows"))

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return row[0] if row is not None else None

    async def execute(self, sql: str, params: Params = ()) -> Written:
        written: Written = await self._statement(sql, params, "write")
        return written

    async def execute_soon(self, sql: str, params: Params = ()) -> None:
        """A write nobody waits on (a conversation saved, an audit entry): inside a unit of
        work it goes with the next statement or the COMMIT, in order; outside, at once."""
        unit = _current.get()
        if unit is None:
            await self.execute(sql, params)
        else:
            unit.pending.append((sql, params))

    async def returning(self, sql: str, params: Params = ()) -> list[Row]:
        """A write with RETURNING: the rows it wrote."""
        async with self.transaction():
            return list(await self._statement(sql, params, "rows"))

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction():
            await self._statement(sql, list(rows), "many")

    # --- schema ---------------------------------------------------------------------------
    async def schema_version(self) -> int:
        return int(await self.fetch_value("PRAGMA user_version") or 0)

    async def migrate(self) -> None:
        current = await self.schema_version()
        for script in sorted(MIGRATIONS_DIR.glob("*.sql")):
            version = int(script.name.split("_", 1)[0])
            if version <= current:
                continue
            sql = script.read_text(encoding="utf-8")
            # executescript commits on its own, so the version bump goes inside the script.
            await self._conn.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
            )
