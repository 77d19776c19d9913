"""SQLite on the event loop: the driver connection behind SQLAlchemy's aiosqlite dialect.

aiosqlite runs every statement on a thread of its own and hands the result back through
the event loop: two thread switches and a wake-up of the loop per statement, which cost
far more than the statement itself (a few microseconds on a local file). A service takes
its events a batch at a time, a dozen statements per event; on two cores those hand-offs
were the bottleneck.

Here the statements run on the event loop's thread instead, where they return at once:
SQLite has one connection per process (see :func:`handoff_plumbing.db.create_engine`),
so no statement ever waits for a lock held by this process, and in WAL mode readers never
block the writer. Only the commit goes to a thread, because with ``synchronous=FULL`` it
waits for the disk (an fsync, milliseconds), and the loop must not wait with it.

The objects mimic the small part of aiosqlite's API that SQLAlchemy's adapter uses; the
exceptions are sqlite3's own, which aiosqlite re-exports, so SQLAlchemy maps them as usual.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import Any, Self


class Cursor:
    """An aiosqlite-shaped cursor whose coroutines complete without suspending."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Self:
        self._cursor.execute(sql, () if parameters is None else parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> Self:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    async def nextset(self) -> None:
        return None

    async def setinputsizes(self, *_sizes: Any) -> None:
        return None

    async def __aiter__(self) -> AsyncIterator[Any]:
        for row in self._cursor:
            yield row

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class _RunNow:
    """Stands in for aiosqlite's request queue, which SQLAlchemy uses to set isolation_level."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def put_nowait(self, item: tuple[asyncio.Future[Any], Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as exc:  # noqa: BLE001  (handed to the waiting caller)
            future.set_exception(exc)


class Connection:
    """An aiosqlite-shaped connection running its statements on the caller's thread."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._connection: sqlite3.Connection | None = connection
        self._tx = _RunNow(connection)

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> Cursor:
        return Cursor(self._conn.cursor())

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Cursor:
        return await self.cursor().execute(sql, parameters)

    async def commit(self) -> None:
        if self._conn.in_transaction:
            # The one call that waits for the disk: off the loop. Nothing else uses this
            # connection meanwhile (SQLAlchemy's adapter holds its mutex; one per process).
            await asyncio.to_thread(self._conn.commit)

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()


def creator(database: str, *, timeout: float) -> Callable[[], Any]:
    """SQLAlchemy's ``async_creator``: a connection to ``database`` on the event loop's thread."""

    async def connect() -> Connection:
        connection = sqlite3.connect(database, timeout=timeout, isolation_level=None, check_same_thread=False)
        return Connection(connection)

    return connect
