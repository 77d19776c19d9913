"""Monitoring's 0005 on a database holding webhook subscriptions made with one plain secret."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, text
from standardwebhooks import Webhook

import monitoring
from handoff_plumbing import db, migrations
from monitoring.adapters.dispatcher import standard_webhook_headers
from monitoring.adapters.webhooks import SubscriptionRepository

pytestmark = pytest.mark.db
MIGRATIONS = Path(monitoring.__file__).parent / "migrations"
OLD_SECRET = "a-shared-secret-of-the-ombudsman-0123456789"


async def test_a_subscription_keeps_its_signing_key_through_0005_and_0005_downgrades(
    database_url: str,
) -> None:
    engine = db.create_engine(database_url)
    try:
        await migrations.upgrade(engine, MIGRATIONS, "0004")
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO webhook_subscriptions (subscription_id, url, secret, event_types, "
                    "created_at, created_by) "
                    "VALUES ('WH-old', 'https://o.example/', :secret, '[\"notice.late\"]', :at, 'm')"
                ),
                {"secret": OLD_SECRET, "at": datetime(2026, 11, 1, tzinfo=UTC)},
            )
        await migrations.upgrade(engine, MIGRATIONS)

        async with db.session_factory(engine)() as session:
            subscription = await SubscriptionRepository(session).get("WH-old")
        assert subscription is not None
        [secret] = subscription.signing_secrets
        assert Webhook(secret.secret)._whsecret == OLD_SECRET.encode()  # the same key bytes
        headers = standard_webhook_headers("d-1", (secret.secret,), "{}", datetime.now(UTC))
        Webhook(secret.secret).verify("{}", headers)

        def downgrade(connection: Connection) -> None:
            config = migrations.alembic_config(MIGRATIONS)
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")

        async with engine.begin() as connection:
            await connection.run_sync(downgrade)
            restored = await connection.scalar(text("SELECT secret FROM webhook_subscriptions"))
        assert restored == OLD_SECRET
        await migrations.upgrade(engine, MIGRATIONS)
    finally:
        await engine.dispose()
