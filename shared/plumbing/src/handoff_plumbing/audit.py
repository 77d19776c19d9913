"""The audit trail of personal data: every read and every disclosure, append-only and tamper-evident.

Each service that shows or sends personal data keeps its own trail in its own database, in the
same shape (:func:`define_audit_tables`). An entry says who (the caller's subject and role), when,
which person reference, which fields, for what purpose, what happened (read by the caller, or
disclosed to another authority: ``recipient``) and through which operation. It never holds the
personal values themselves: field *names* only, and the person's pseudonymous reference.

Tamper evidence is a hash chain: entry *n* carries the SHA-256 of its own content together with
the hash of entry *n-1*, and a one-row head names the last entry and its hash. So

* an edited entry no longer matches its hash,
* a deleted entry breaks the sequence (1, 2, 3, ...) and the next entry's link,
* a deleted last entry leaves the head naming an entry that is gone,

and :func:`verify` (``python -m handoff_plumbing.audit verify --database-url …``) reports each.
Appends are serialised on the head row (``SELECT … FOR UPDATE``; SQLite's write transactions are
serial anyway), so the chain never forks; the entry's sequence is assigned here, not by a database
sequence, so a rolled-back request leaves no gap. The migration (:mod:`handoff_plumbing.plumbing_migrations`)
adds triggers that refuse any UPDATE or DELETE of an entry: someone who drops them to rewrite
history is still caught by the chain, unless they rewrite every later entry and the head too;
against that, keep the head hash that ``verify`` prints somewhere else (an auditor's note, a
ticket) and compare.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import functools
import hashlib
import json
import secrets
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from handoff_plumbing.paging import Paging, fetch_page
from handoff_plumbing.tables import UtcDateTime
from handoff_schemas import Event

ENTRIES = "personal_data_audit"
HEAD = "personal_data_audit_head"
GENESIS = "0" * 64
_SEQUENCE = BigInteger().with_variant(Integer(), "sqlite")
"""The hash the first entry links to."""


class Access(StrEnum):
    """What happened to the personal data."""

    READ = "read"
    """Shown to the caller (over HTTP)."""
    DISCLOSED = "disclosed"
    """Sent to another authority (on a topic that carries personal data)."""


@dataclass(frozen=True)
class Accessor:
    """Who read or caused the disclosure: the caller's token subject and role, and the unit
    (police department, county, municipality) the caller acted for, if any."""

    subject: str
    role: str
    unit: str | None = None


@dataclass(frozen=True)
class PersonalDataUse:
    """One read or disclosure of one person's data, as it is to be recorded."""

    accessor: Accessor
    person_ref: str
    fields: Sequence[str]
    purpose: str
    resource: str
    access: Access = Access.READ
    recipient: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    sequence: int
    entry_id: str
    at: datetime
    subject: str
    role: str
    unit: str | None
    access: Access
    person_ref: str
    fields: tuple[str, ...]
    purpose: str
    recipient: str | None
    resource: str
    previous_hash: str
    entry_hash: str

    def content(self) -> dict[str, Any]:
        """What the hash covers: everything but the hash itself."""
        return {
            "sequence": self.sequence,
            "entry_id": self.entry_id,
            "at": self.at.isoformat(),
            "subject": self.subject,
            "role": self.role,
            "unit": self.unit,
            "access": self.access.value,
            "person_ref": self.person_ref,
            "fields": list(self.fields),
            "purpose": self.purpose,
            "recipient": self.recipient,
            "resource": self.resource,
            "previous_hash": self.previous_hash,
        }


@functools.cache
def personal_fields_of(model: type[Event]) -> tuple[str, ...]:
    """The paths of an event's fields marked as personal data (what a disclosure of it discloses)."""
    from handoff_schemas import registry

    return tuple(registry.personal_fields(registry.json_schema(model)))


def entry_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


# --------------------------------------------------------------------------- the tables


def audit_entry_columns() -> list[Column[Any]]:
    return [
        Column("sequence", _SEQUENCE, primary_key=True, autoincrement=False),
        Column("entry_id", String(64), nullable=False, unique=True),
        Column("at", UtcDateTime(), nullable=False),
        Column("subject", String(255), nullable=False),
        Column("role", String(64), nullable=False),
        Column("unit", String(64), nullable=True),
        Column("access", String(16), nullable=False),
        Column("person_ref", String(64), nullable=False),
        Column("fields", JSON, nullable=False),
        Column("purpose", String(255), nullable=False),
        Column("recipient", String(64), nullable=True),
        Column("resource", String(255), nullable=False),
        Column("previous_hash", String(64), nullable=False),
        Column("entry_hash", String(64), nullable=False),
    ]


def audit_head_columns() -> list[Column[Any]]:
    return [
        Column("chain", Integer, primary_key=True, autoincrement=False),
        Column("sequence", BigInteger, nullable=False),
        Column("entry_hash", String(64), nullable=False),
    ]


def audit_indexes() -> list[tuple[str, list[str]]]:
    return [
        ("ix_personal_data_audit_person_ref", ["person_ref"]),
        ("ix_personal_data_audit_caller", ["subject", "role"]),
    ]


@dataclass(frozen=True)
class AuditTables:
    entries: Table
    head: Table


def define_audit_tables(metadata: MetaData) -> AuditTables:
    """Add the trail's tables to a service's metadata (its migration adds them with
    :func:`handoff_plumbing.plumbing_migrations.upgrade_audit`)."""
    entries = Table(ENTRIES, metadata, *audit_entry_columns())
    for name, columns in audit_indexes():
        Index(name, *(entries.c[c] for c in columns))
    return AuditTables(entries, Table(HEAD, metadata, *audit_head_columns()))


def audit_tables_of(metadata: MetaData) -> AuditTables:
    return AuditTables(metadata.tables[ENTRIES], metadata.tables[HEAD])


# --------------------------------------------------------------------------- appending


class PersonalDataAudit:
    """The trail in one unit of work: append within the caller's transaction, read, verify."""

    def __init__(self, session: AsyncSession, tables: AuditTables) -> None:
        self._session = session
        self._tables = tables

    async def record(self, use: PersonalDataUse, *, now: datetime) -> AuditEntry:
        """Append one entry, linked to the last; commits with the caller's transaction."""
        head = self._tables.head
        row = (await self._session.execute(select(head).where(head.c.chain == 1).with_for_update())).first()
        if row is None:
            await self._session.execute(insert(head).values(chain=1, sequence=0, entry_hash=GENESIS))
            sequence, previous = 0, GENESIS
        else:
            sequence, previous = int(row.sequence), str(row.entry_hash)
        draft = AuditEntry(
            sequence=sequence + 1,
            entry_id=f"AUD-{secrets.token_hex(8)}",
            at=now.astimezone(UTC),
            subject=use.accessor.subject,
            role=use.accessor.role,
            unit=use.accessor.unit,
            access=use.access,
            person_ref=use.person_ref,
            fields=tuple(sorted(set(use.fields))),
            purpose=use.purpose,
            recipient=use.recipient,
            resource=use.resource,
            previous_hash=previous,
            entry_hash="",
        )
        entry = dataclasses.replace(draft, entry_hash=entry_hash(draft.content()))
        await self._session.execute(insert(self._tables.entries).values(_row(entry)))
        await self._session.execute(
            update(head).where(head.c.chain == 1).values(sequence=entry.sequence, entry_hash=entry.entry_hash)
        )
        return entry

    async def search(
        self, paging: Paging, *, person_ref: str | None, subject: str | None, role: str | None
    ) -> tuple[list[AuditEntry], int]:
        entries = self._tables.entries
        query = select(entries)
        for column, value in (("person_ref", person_ref), ("subject", subject), ("role", role)):
            if value is not None:
                query = query.where(entries.c[column] == value)
        rows, total = await fetch_page(self._session, query, paging, entries.c.sequence)
        return [_entry(row) for row in rows], total


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {**entry.content(), "at": entry.at, "fields": list(entry.fields), "entry_hash": entry.entry_hash}


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        sequence=int(row["sequence"]),
        entry_id=row["entry_id"],
        at=row["at"],
        subject=row["subject"],
        role=row["role"],
        unit=row["unit"],
        access=Access(row["access"]),
        person_ref=row["person_ref"],
        fields=tuple(row["fields"]),
        purpose=row["purpose"],
        recipient=row["recipient"],
        resource=row["resource"],
        previous_hash=row["previous_hash"],
        entry_hash=row["entry_hash"],
    )


# --------------------------------------------------------------------------- verification


@dataclass
class Verification:
    entries: int = 0
    head_sequence: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


async def verify(connection: AsyncConnection | AsyncSession, tables: AuditTables) -> Verification:
    """Walk the chain from the first entry: every link, every hash, and the head at the end."""
    result = Verification()
    expected_sequence, previous = 1, GENESIS
    rows = await connection.execute(select(tables.entries).order_by(tables.entries.c.sequence))
    for row in rows:
        entry = _entry(row._mapping)
        result.entries += 1
        if entry.sequence != expected_sequence:
            gone = range(expected_sequence, entry.sequence)
            result.problems.append(
                f"entries {gone.start} to {gone.stop - 1} are missing (deleted): the trail jumps to "
                f"{entry.sequence}"
                if len(gone) > 1
                else f"entry {gone.start} is missing (deleted): the trail jumps to {entry.sequence}"
            )
        elif entry.previous_hash != previous:
            result.problems.append(f"entry {entry.sequence} does not link to the entry before it")
        if entry_hash(entry.content()) != entry.entry_hash:
            result.problems.append(f"entry {entry.sequence} does not match its hash (edited)")
        expected_sequence, previous = entry.sequence + 1, entry.entry_hash
    head = (await connection.execute(select(tables.head).where(tables.head.c.chain == 1))).first()
    if head is not None:
        result.head_sequence, result.head_hash = int(head.sequence), str(head.entry_hash)
    if (result.head_sequence, result.head_hash) != (expected_sequence - 1, previous):
        result.problems.append(
            f"the head names entry {result.head_sequence}, but the trail ends at entry "
            f"{expected_sequence - 1}: entries were deleted from its end, or the head was altered"
        )
    return result


# --------------------------------------------------------------------------- command line


async def _verify_database(url: str) -> Verification:
    from handoff_plumbing.db import create_engine

    engine = create_engine(url)
    metadata = MetaData()
    tables = define_audit_tables(metadata)
    try:
        async with engine.connect() as connection:
            return await verify(connection, tables)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """``python -m handoff_plumbing.audit verify --database-url URL``: exit 0 if intact, 1 if not."""
    parser = argparse.ArgumentParser(description="Verify a service's personal-data audit trail.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("verify", help="walk the hash chain and report every break")
    check.add_argument("--database-url", required=True, help="the service's database (SQLAlchemy URL)")
    args = parser.parse_args(argv)
    result = asyncio.run(_verify_database(args.database_url))
    for problem in result.problems:
        sys.stdout.write(f"broken: {problem}\n")
    state = "intact" if result.intact else "BROKEN"
    sys.stdout.write(f"{state}: {result.entries} entries, head {result.head_sequence} {result.head_hash}\n")
    return 0 if result.intact else 1


if __name__ == "__main__":
    raise SystemExit(main())
