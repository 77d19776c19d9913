"""Database engines: a SQLite file by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from handoff_plumbing import sqlite_inloop

# How long a SQLite statement waits for another process's write lock. Only another process
# can hold it (one connection per process), and a service's database is its own.
SQLITE_BUSY_SECONDS = 5.0


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, sqlite_synchronous: str = "FULL") -> AsyncEngine:
    """An async engine; SQLite files get WAL, a busy timeout and foreign keys."""
    parsed = make_url(url)
    if is_sqlite(parsed):
        options: dict[str, Any] = {}
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            # Statements on the event loop's thread, the commit's fsync on a worker thread.
            options["async_creator"] = sqlite_inloop.creator(parsed.database, timeout=SQLITE_BUSY_SECONDS)
        # One connection per process: SQLite has one writer at a time anyway, and a pool of
        # one makes transactions queue (asynchronously, in order) for the connection instead
        # of for SQLite's lock, whose busy handler polls with sleeps of up to 100 ms.
        # (SQLite is the single-replica default; PostgreSQL is the scale-out path.)
        engine = create_async_engine(parsed, pool_size=1, max_overflow=0, pool_timeout=60, **options)
        event.listen(engine.sync_engine, "connect", partial(_sqlite_pragmas, synchronous=sqlite_synchronous))
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    return create_async_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, synchronous: str) -> None:
    # Let SQLAlchemy, not the driver, decide when a transaction begins.
    if dbapi_connection.isolation_level is not None:
        dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    # FULL (the default): a commit is on disk before it returns, so an offset committed after
    # it never runs ahead of an effect, even across a power loss; it costs one fsync per
    # commit (a batch of events is one commit). NORMAL survives a process crash only.
    if synchronous not in ("FULL", "NORMAL"):
        raise ValueError(f"SQLite synchronous must be FULL or NORMAL, not {synchronous!r}")
    cursor.execute(f"PRAGMA synchronous={synchronous}")
    cursor.close()


WRITE = {"handoff_write": True}
"""Execution options of a transaction that may write (a unit of work): on SQLite it takes
the write lock when it begins, so a read that later writes can never deadlock against
another process's writer. Read-only sessions begin deferred and never wait for a writer."""


def _sqlite_begin(connection: Any) -> None:
    if connection.get_execution_options().get("handoff_write"):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


async def ensure_postgres_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` if it does not exist yet."""
    parsed = make_url(url)
    if is_sqlite(parsed) or not parsed.database:
        return
    admin = create_async_engine(
        parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    try:
        async with admin.connect() as conn:
            exists = await conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
            )
            if not exists:
                await conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        await admin.dispose()


async def drop_postgres_database(url: str, *, attempts: int = 20) -> None:
    """Drop the PostgreSQL database named in ``url`` (tests clean up with this).

    ``WITH (FORCE)`` ends our own sessions, but a non-superuser may not end the server's
    autovacuum worker, which sometimes analyses a fresh database just then: wait it out.
    """
    parsed = make_url(url)
    if is_sqlite(parsed) or not parsed.database:
        return
    admin = create_async_engine(
        parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    try:
        for attempt in range(attempts):
            try:
                async with admin.connect() as conn:
                    await conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
                return
            except DBAPIError as exc:
                if "must be a member of the role" not in str(exc) or attempt == attempts - 1:
                    raise
                await asyncio.sleep(0.25)
    finally:
        await admin.dispose()
