"""Documents built from the committed example events, with fresh ids and dates, for tests."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from handoff_schemas.events.returns import CaseHandedOverToPoliceV1
from handoff_schemas.registry import EXAMPLE_DIR


def handover_document(now: datetime, **changes: Any) -> dict[str, Any]:
    """The committed example handover package, with fresh ids and dates that make it complete at ``now``."""
    example = EXAMPLE_DIR / f"{CaseHandedOverToPoliceV1.event_type}.json"
    document: dict[str, Any] = copy.deepcopy(json.loads(example.read_text(encoding="utf-8"))["data"])
    today = now.date()

    def day(offset: int) -> str:
        return (today - timedelta(days=offset)).isoformat()

    suffix = uuid.uuid4().hex[:8]
    document.update(
        return_case_id=f"RC-{suffix}",
        handover_id=f"HO-{suffix}",
        application_id=f"APP-{suffix}",
        person_ref=f"P-{suffix}",
        handed_over_at=(now - timedelta(hours=1)).isoformat(),
        enforceable_on=day(40),
    )
    document["identity"]["documents"][0]["expires_on"] = (today + timedelta(days=3 * 365)).isoformat()
    document["decisions"][0]["decided_on"] = day(60)
    document["counselling_history"][0]["held_on"] = day(30)
    document["counselling_history"][1]["held_on"] = day(15)
    document["last_known_address"]["known_on"] = day(5)
    document["inhibitions"][0].update(ordered_on=day(35), lifted_on=day(28))
    document.update(changes)
    return document
