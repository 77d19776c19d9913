"""Alembic, run by the service at start-up (or by the ``alembic`` CLI) on its own database.

Each service keeps its migrations in ``<package>/migrations``; its ``env.py`` only calls
:func:`run_env` with its metadata.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Connection, MetaData
from sqlalchemy.ext.asyncio import AsyncEngine

from handoff_plumbing.db import create_engine


def alembic_config(migrations_dir: Path, url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(engine: AsyncEngine, migrations_dir: Path, revision: str = "head") -> None:
    """Bring the database to ``revision`` over the given engine."""

    def _upgrade(connection: Connection) -> None:
        config = alembic_config(migrations_dir)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)


def run_env(target_metadata: MetaData) -> None:
    """The body of every service's ``env.py``."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection, target_metadata)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url (alembic -x) or run migrations from the service")
    asyncio.run(_run_with_new_engine(url, target_metadata))


async def _run_with_new_engine(url: str, target_metadata: MetaData) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run, target_metadata)
    finally:
        await engine.dispose()


def _run(connection: Connection, target_metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
