"""Intake's later migrations on a database that already holds applications registered under 0001."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, insert

import intake
from handoff_plumbing import db, migrations
from handoff_schemas.events.common import IdentityDocumentKind, Sex
from intake.adapters import orm
from intake.adapters.applications import ApplicationRepository

pytestmark = pytest.mark.db
MIGRATIONS = Path(intake.__file__).parent / "migrations"


async def test_applications_registered_before_0002_load_after_it_and_0002_downgrades(
    database_url: str,
) -> None:
    engine = db.create_engine(database_url)
    try:
        await migrations.upgrade(engine, MIGRATIONS, "0001")
        async with engine.begin() as connection:
            await connection.execute(
                insert(orm.applications).values(
                    application_id="APP-old",
                    person_ref="P-old",
                    full_name="Old Person",
                    date_of_birth=date(1980, 1, 1),
                    nationality="ERI",
                    lodged_on=date(2026, 1, 10),
                    registered_at=datetime(2026, 1, 10, 9, 0, tzinfo=UTC),
                    eurodac_hit=True,
                    documents=[{"kind": "passport", "number": "E1"}],
                    vulnerabilities=[],
                )
            )
        await migrations.upgrade(engine, MIGRATIONS)

        async with db.session_factory(engine)() as session:
            application = await ApplicationRepository(session).get("APP-old")
        assert application is not None
        assert application.applicant.sex is Sex.UNKNOWN
        [document] = application.documents
        assert (document.kind, document.number, document.issuing_country) == (
            IdentityDocumentKind.PASSPORT,
            "E1",
            None,
        )
        assert application.decision is None
        assert application.dublin_transfer is None

        def downgrade(connection: Connection) -> None:
            config = migrations.alembic_config(MIGRATIONS)
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")

        async with engine.begin() as connection:
            await connection.run_sync(downgrade)
        await migrations.upgrade(engine, MIGRATIONS)
    finally:
        await engine.dispose()
