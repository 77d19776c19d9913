"""What operators may do to a service's plumbing, each act recorded with who, when and why.

* **Parked outbox rows** (Kafka refused them for good; each holds back its own aggregate):
  list them; *release* one (the relay tries it again, e.g. after the topic's size limit or
  an ACL was fixed) or *drop* it (it will never be published; its aggregate flows again).
* **Dead letters** (records a consumer could not take): list them, read one, and
  *re-drive* it once its cause is fixed. A re-drive hands the stored record to the same
  consumer again, inside this service: the consumer's inbox makes it effectively-once (an
  event already taken is a duplicate), a record that fails again becomes a new dead
  letter, and a dead letter is re-driven at most once. It does not re-publish on the
  original topic: this service may not write there (the broker's ACLs), and the topic's
  other consumers took the record already.

Every act is a row in ``operator_actions`` written in the same transaction as its effect.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class RedriveRecord:
    """A stored dead letter shaped like the Kafka record it was (the consumer's ``Record``)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]
    position_id: str  # a dead letter of the re-drive is recorded under this, not the original position


async def record_action(
    session: AsyncSession,
    actions: Table,
    *,
    actor: str,
    action: str,
    target: str,
    reason: str,
    detail: dict[str, Any],
    now: datetime,
) -> str:
    action_id = str(uuid.uuid4())
    await session.execute(
        insert(actions),
        {
            "action_id": action_id,
            "at": now,
            "actor": actor,
            "action": action,
            "target": target,
            "reason": reason,
            "detail": detail,
        },
    )
    return action_id
