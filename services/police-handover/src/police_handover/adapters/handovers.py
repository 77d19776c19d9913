"""The handovers the Police received and how they answered them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging, fetch_page
from handoff_schemas.events.police import (
    MissingItem,
)
from police_handover.adapters.filters import where_all
from police_handover.adapters.orm import (
    handovers,
)
from police_handover.domain.enforcement_case import (
    HandoverOutcome,
    HandoverRecord,
)

# Built once: every handover the Police receive goes through here.
_INSERT = insert(handovers)
_BY_ID = select(handovers).where(handovers.c.handover_id == bindparam("handover_id"))


class HandoverRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, handover_id: str) -> HandoverRecord | None:
        row = (await self._session.execute(_BY_ID, {"handover_id": handover_id})).first()
        return _handover(row._mapping) if row else None

    async def add(self, record: HandoverRecord) -> None:
        await self._session.execute(
            _INSERT,
            {
                "handover_id": record.handover_id,
                "return_case_id": record.return_case_id,
                "application_id": record.application_id,
                "handed_over_at": record.handed_over_at,
                "received_at": record.received_at,
                "outcome": record.outcome.value,
                "missing": [item.model_dump(mode="json") for item in record.missing],
                "enforcement_case_id": record.enforcement_case_id,
            },
        )

    async def search(
        self, paging: Paging, *, outcome: HandoverOutcome | None = None, return_case_id: str | None = None
    ) -> tuple[list[HandoverRecord], int]:
        query = select(handovers).where(
            where_all(
                handovers.c.outcome == outcome.value if outcome else None,
                handovers.c.return_case_id == return_case_id if return_case_id else None,
            )
        )
        rows, total = await fetch_page(
            self._session, query, paging, handovers.c.received_at.desc(), handovers.c.handover_id
        )
        return [_handover(row) for row in rows], total


def _handover(row: Any) -> HandoverRecord:
    return HandoverRecord(
        handover_id=row["handover_id"],
        return_case_id=row["return_case_id"],
        application_id=row["application_id"],
        handed_over_at=row["handed_over_at"],
        received_at=row["received_at"],
        outcome=HandoverOutcome(row["outcome"]),
        missing=tuple(MissingItem.model_validate(item) for item in row["missing"]),
        enforcement_case_id=row["enforcement_case_id"],
    )


# --------------------------------------------------------------------------- inhibitions
