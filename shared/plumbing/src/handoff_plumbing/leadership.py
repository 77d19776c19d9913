"""One relay at a time per database: leadership among a service's replicas.

Several replicas of a service share one PostgreSQL database, and with it one outbox. Each
runs a relay, but only the replica that holds the database's advisory lock publishes:
``pg_try_advisory_lock`` on a connection of its own, kept open for as long as it leads.
The lock goes with the connection, so a replica that dies (even by SIGKILL) or loses its
database hands leadership on at once; the others try again at every relay pass.

A leader that loses its connection without noticing could publish a pass alongside the
new leader. That costs duplicates, which the consumers' inboxes absorb, but never order:
each relay sends a row only after every earlier row of the outbox was acknowledged or
sent before it on the same producer (see :mod:`handoff_plumbing.relay`). The leader checks
its connection before every pass, which keeps that window to one pass.

SQLite is the single-replica default (one process per database file): its relay always
leads.
"""

from __future__ import annotations

import contextlib
import hashlib

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from handoff_plumbing import db

log = structlog.get_logger("handoff.leadership")


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for ``name``."""
    digest = hashlib.sha256(f"handoff-relay:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class RelayLeadership:
    def __init__(self, engine: AsyncEngine, name: str) -> None:
        self._engine = engine
        self._key = lock_key(name)
        self._single = db.is_sqlite(engine.url)
        self._connection: AsyncConnection | None = None

    @property
    def leading(self) -> bool:
        return self._single or self._connection is not None

    async def hold(self) -> bool:
        """True if this replica leads now: keeps the lock, or takes it if it is free."""
        if self._single:
            return True
        if self._connection is not None:
            try:
                await self._connection.execute(text("SELECT 1"))
                return True
            except Exception as exc:  # noqa: BLE001  (the lock went with the connection)
                log.warning("relay leadership lost with its connection", error=repr(exc))
                await self._drop()
        connection = await self._engine.connect()
        try:
            # Autocommit: the held connection never sits idle inside a transaction.
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            taken = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key})
        except BaseException:
            await connection.close()
            raise
        if not taken:
            await connection.close()
            return False
        self._connection = connection
        log.info("relay leadership taken")
        return True

    async def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
            await self._drop()

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.invalidate()
            with contextlib.suppress(Exception):
                await connection.close()
