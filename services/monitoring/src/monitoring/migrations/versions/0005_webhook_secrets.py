"""Several active secrets per webhook subscription (rotation), for Standard Webhooks signatures.

Each subscription's one secret becomes its first row in ``webhook_secrets``, in Standard
Webhooks' form: ``whsec_`` and the base64 of the old secret's bytes, so the signing key
stays the same bytes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import base64
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from handoff_plumbing.tables import UtcDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFIX = "whsec_"

# ALTER TABLE ... DROP/ADD COLUMN in place on both databases (SQLite 3.35+): a batch rebuild of the
# table would drop it under the deliveries and secrets that refer to it.


def upgrade() -> None:
    op.create_table(
        "webhook_secrets",
        sa.Column("secret_id", sa.String(64), primary_key=True),
        sa.Column(
            "subscription_id",
            sa.String(64),
            sa.ForeignKey("webhook_subscriptions.subscription_id"),
            nullable=False,
            index=True,
        ),
        sa.Column("secret", sa.String(256), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("retired_at", UtcDateTime(), nullable=True),
    )
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "INSERT INTO webhook_secrets (secret_id, subscription_id, secret, created_at) "
            "SELECT 'whs-' || subscription_id, subscription_id, secret, created_at FROM webhook_subscriptions"
        )
    )
    for secret_id, old in bind.execute(sa.text("SELECT secret_id, secret FROM webhook_secrets")).all():
        new = PREFIX + base64.b64encode(str(old).encode()).decode()
        bind.execute(
            sa.text("UPDATE webhook_secrets SET secret = :new WHERE secret_id = :id"),
            {"new": new, "id": secret_id},
        )
    op.execute("ALTER TABLE webhook_subscriptions DROP COLUMN secret")


def downgrade() -> None:
    op.execute("ALTER TABLE webhook_subscriptions ADD COLUMN secret VARCHAR(256)")
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT subscription_id, secret FROM webhook_secrets WHERE retired_at IS NULL ORDER BY created_at"
        )
    ).all()
    for subscription_id, secret in rows:  # the newest active secret wins
        old = base64.b64decode(str(secret).removeprefix(PREFIX)).decode("utf-8", "replace")
        bind.execute(
            sa.text("UPDATE webhook_subscriptions SET secret = :old WHERE subscription_id = :id"),
            {"old": old, "id": subscription_id},
        )
    if bind.dialect.name != "sqlite":  # SQLite keeps it nullable: NOT NULL would need a rebuild
        op.alter_column("webhook_subscriptions", "secret", existing_type=sa.String(256), nullable=False)
    op.drop_table("webhook_secrets")
