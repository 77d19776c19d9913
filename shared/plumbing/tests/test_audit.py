"""The personal-data audit trail: a hash chain that the verification walks; an edited entry, a
deleted one in the middle or at the end are each reported, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import MetaData, delete, update
from sqlalchemy.ext.asyncio import AsyncEngine

from handoff_plumbing import db
from handoff_plumbing.audit import (
    Access,
    Accessor,
    AuditTables,
    PersonalDataAudit,
    PersonalDataUse,
    define_audit_tables,
    main,
    verify,
)
from handoff_plumbing.paging import Paging

pytestmark = pytest.mark.db
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
POLICE = Accessor(subject="POL-SYD-4711", role="police")
AGENCY = Accessor(subject="handläggare-12", role="agency")


@pytest.fixture
async def trail(database_url: str) -> AsyncIterator[tuple[AsyncEngine, AuditTables]]:
    engine = db.create_engine(database_url)
    metadata = MetaData()
    tables = define_audit_tables(metadata)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine, tables
    await engine.dispose()


def use(person_ref: str, accessor: Accessor = POLICE, **overrides: object) -> PersonalDataUse:
    values: dict[str, object] = {
        "accessor": accessor,
        "person_ref": person_ref,
        "fields": ["identity.full_name", "identity.date_of_birth"],
        "purpose": "enforcement of the removal order",
        "resource": "GET /enforcement-cases/{enforcement_case_id}",
    }
    return PersonalDataUse(**{**values, **overrides})  # type: ignore[arg-type]


async def append(engine: AsyncEngine, tables: AuditTables, *uses: PersonalDataUse) -> None:
    async with db.session_factory(engine)() as session, session.begin():
        for n, one in enumerate(uses):
            await PersonalDataAudit(session, tables).record(one, now=T0 + timedelta(minutes=n))


async def check(engine: AsyncEngine, tables: AuditTables) -> list[str]:
    async with engine.connect() as connection:
        return (await verify(connection, tables)).problems


async def test_each_read_is_an_entry_linked_to_the_one_before(trail) -> None:
    engine, tables = trail
    await append(engine, tables, use("P-1"), use("P-2"))
    await append(
        engine,
        tables,
        use("P-1", AGENCY, access=Access.DISCLOSED, recipient="police", purpose="handover to the Police"),
    )

    async with db.session_factory(engine)() as session:
        found, total = await PersonalDataAudit(session, tables).search(
            Paging(), person_ref="P-1", subject=None, role=None
        )
    assert total == 2
    assert [(e.sequence, e.role, e.access, e.recipient) for e in found] == [
        (1, "police", Access.READ, None),
        (3, "agency", Access.DISCLOSED, "police"),
    ]
    assert found[0].fields == ("identity.date_of_birth", "identity.full_name")
    async with engine.connect() as connection:
        result = await verify(connection, tables)
    assert result.intact, result.problems
    assert (result.entries, result.head_sequence) == (3, 3)
    assert found[1].entry_hash == result.head_hash


async def test_an_edited_entry_is_detected(trail) -> None:
    engine, tables = trail
    await append(engine, tables, use("P-1"), use("P-2"), use("P-3"))
    async with engine.begin() as connection:
        await connection.execute(
            update(tables.entries).where(tables.entries.c.sequence == 2).values(subject="someone-else")
        )
    assert await check(engine, tables) == ["entry 2 does not match its hash (edited)"]


async def test_a_deleted_entry_is_detected(trail) -> None:
    engine, tables = trail
    await append(engine, tables, use("P-1"), use("P-2"), use("P-3"), use("P-4"))
    async with engine.begin() as connection:
        await connection.execute(delete(tables.entries).where(tables.entries.c.sequence.in_([2, 3])))
    assert await check(engine, tables) == ["entries 2 to 3 are missing (deleted): the trail jumps to 4"]


async def test_a_deleted_last_entry_is_detected_by_the_head(trail) -> None:
    engine, tables = trail
    await append(engine, tables, use("P-1"), use("P-2"))
    async with engine.begin() as connection:
        await connection.execute(delete(tables.entries).where(tables.entries.c.sequence == 2))
    [problem] = await check(engine, tables)
    assert problem.startswith("the head names entry 2, but the trail ends at entry 1")


async def test_the_verify_command_exits_1_on_a_broken_trail(trail, database_url, capsys) -> None:
    engine, tables = trail
    await append(engine, tables, use("P-1"), use("P-2"))
    await engine.dispose()  # the command runs its own asyncio loop and engine
    assert await _run_main(["verify", "--database-url", database_url]) == 0
    assert "intact: 2 entries, head 2 " in capsys.readouterr().out

    async with engine.begin() as connection:
        await connection.execute(
            update(tables.entries).where(tables.entries.c.sequence == 1).values(fields=["nothing"])
        )
    await engine.dispose()
    assert await _run_main(["verify", "--database-url", database_url]) == 1
    out = capsys.readouterr().out
    assert "broken: entry 1 does not match its hash (edited)" in out


async def _run_main(argv: list[str]) -> int:
    """``main`` runs its own event loop: call it from a worker thread."""
    import asyncio

    return await asyncio.to_thread(main, argv)
