"""Request ids remembered with the answer they got: one table in every service's database.

A client may send a ``request_id`` with a command. The first time, the command runs and
its answer (status and body) is stored under ``(scope, request_id)`` in the same
transaction as the command's effects; the stored row holds a fingerprint (SHA-256) of what
was asked (method, path, canonical body). A repetition with the same fingerprint gets the
stored answer and has no effect; one with another fingerprint is refused (the IETF
Idempotency-Key draft answers 422). The HTTP edge does this in
:class:`handoff_plumbing.http.commands.Command`; this module is the table and its two
statements, built once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.tables import UtcDateTime

_METADATA = MetaData()
IDEMPOTENCY_KEYS = Table(
    "idempotency_keys",
    _METADATA,
    Column("scope", String(255), primary_key=True),
    Column("request_id", String(128), primary_key=True),
    Column("operation", String(512), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    Column("body", JSON, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

_INSERT = insert(IDEMPOTENCY_KEYS)
_SELECT = select(
    IDEMPOTENCY_KEYS.c.operation,
    IDEMPOTENCY_KEYS.c.fingerprint,
    IDEMPOTENCY_KEYS.c.status,
    IDEMPOTENCY_KEYS.c.body,
).where(
    IDEMPOTENCY_KEYS.c.scope == bindparam("scope"),
    IDEMPOTENCY_KEYS.c.request_id == bindparam("request_id"),
)


def define_idempotency_table(metadata: MetaData) -> Table:
    """Add ``idempotency_keys`` to a service's metadata (its migrations create it)."""
    return IDEMPOTENCY_KEYS.to_metadata(metadata)


def fingerprint(operation: str, body: Any) -> str:
    """SHA-256 of the operation and the canonical JSON of the body (sorted keys, no spaces)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{operation}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class RequestKey:
    """One client request: who sent it (``scope``), its id, what it asked and its fingerprint."""

    scope: str
    request_id: str
    operation: str
    fingerprint: str


@dataclass(frozen=True)
class StoredAnswer:
    operation: str
    fingerprint: str
    status: int
    body: Any


async def find(session: AsyncSession, key: RequestKey) -> StoredAnswer | None:
    row = (await session.execute(_SELECT, {"scope": key.scope, "request_id": key.request_id})).first()
    return None if row is None else StoredAnswer(*row)


async def remember(session: AsyncSession, key: RequestKey, *, status: int, body: Any, now: datetime) -> None:
    """Store the answer in the session's transaction; a twin that committed first makes it fail."""
    await session.execute(
        _INSERT,
        {
            "scope": key.scope,
            "request_id": key.request_id,
            "operation": key.operation,
            "fingerprint": key.fingerprint,
            "status": status,
            "body": body,
            "created_at": now,
        },
    )
