"""Loading and storing return cases, with a version check against lost updates.

A case is one row in ``return_cases`` and rows in the tables of its parts; saving replaces
the parts and the derived ``case_targets`` rows in the same transaction. Inhibitions are
loaded with the case but belong to the application's register and are saved with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import RowMapping, Select, and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging
from handoff_schemas.events.common import RemovalOrderKind
from handoff_schemas.events.returns import (
    DignifiedReturnEvaluation,
)
from returns.adapters import return_case_rows as records
from returns.adapters.inhibitions import InhibitionRepository
from returns.adapters.orm import (
    case_targets,
    counselling_meetings,
    handovers,
    impediment_applications,
    return_cases,
    support_applications,
    travel_bookings,
    travel_document_requests,
)
from returns.domain.case_state import CaseStatus
from returns.domain.errors import ConcurrentChange
from returns.domain.follow_up import MeasuredItem
from returns.domain.inhibitions import InhibitionRegister
from returns.domain.return_case import ReturnCase
from returns.domain.targets import Target, TargetItem

PARTS = (
    counselling_meetings,
    support_applications,
    travel_document_requests,
    travel_bookings,
    impediment_applications,
    handovers,
    case_targets,
)


@dataclass(frozen=True)
class CaseSummary:
    """A case as the list shows it: its row, its target items and whether a stay is in force."""

    return_case_id: str
    application_id: str
    person_ref: str
    status: CaseStatus
    unit: str
    removal_order: RemovalOrderKind
    destination_country: str
    enforceable_on: date
    unaccompanied_minor: bool
    targets: tuple[TargetItem, ...]
    inhibitions: InhibitionRegister

    def overdue(self, as_of: date) -> list[Target]:
        return sorted({item.target for item in self.targets if item.overdue(as_of)}, key=list(Target).index)


class ReturnCaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # ------------------------------------------------------------------ writing

    async def add(self, case: ReturnCase) -> None:
        case.version = 1
        await self._session.execute(insert(return_cases).values(**records.case_row(case)))
        await self._insert_parts(case)

    async def save(self, case: ReturnCase) -> None:
        """Store the case if nobody changed it since it was loaded; else :class:`ConcurrentChange`."""
        row = records.case_row(case)
        row["version"] = case.version + 1
        result = await self._session.execute(
            update(return_cases)
            .where(
                return_cases.c.return_case_id == case.return_case_id, return_cases.c.version == case.version
            )
            .values(**row)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrentChange(case.return_case_id)
        case.version += 1
        for table in PARTS:
            await self._session.execute(delete(table).where(table.c.return_case_id == case.return_case_id))
        await self._insert_parts(case)

    async def _insert_parts(self, case: ReturnCase) -> None:
        parts: list[tuple[Any, list[dict[str, Any]]]] = [
            (counselling_meetings, [records.meeting_row(case, m) for m in case.meetings]),
            (support_applications, [records.support_row(case, s) for s in case.support_applications]),
            (travel_document_requests, [records.travel_document_row(case, r) for r in case.travel_documents]),
            (travel_bookings, [records.booking_row(case, b) for b in case.bookings]),
            (
                impediment_applications,
                [records.impediment_row(case, i) for i in case.impediment_applications],
            ),
            (handovers, [records.handover_row(case, n, h) for n, h in enumerate(case.handovers)]),
            (
                case_targets,
                [
                    {
                        "return_case_id": case.return_case_id,
                        "target": t.target.value,
                        "ref": t.ref,
                        "due_on": t.due_on,
                        "met_on": t.met_on,
                        "stopped_on": t.stopped_on,
                    }
                    for t in case.target_items()
                ],
            ),
        ]
        for table, rows in parts:
            if rows:
                await self._session.execute(insert(table), rows)

    # ------------------------------------------------------------------ reading

    async def get(self, return_case_id: str) -> ReturnCase | None:
        row = (
            await self._session.execute(
                select(return_cases).where(return_cases.c.return_case_id == return_case_id)
            )
        ).first()
        if row is None:
            return None
        case = records.case(row._mapping)
        case.inhibitions = await InhibitionRepository(self._session).get(case.application_id)
        case.meetings = [
            records.meeting(m)
            for m in await self._parts(counselling_meetings, case, counselling_meetings.c.meeting_number)
        ]
        case.support_applications = [
            records.support(m)
            for m in await self._parts(support_applications, case, support_applications.c.arrived_on)
        ]
        case.travel_documents = [
            records.travel_document(m)
            for m in await self._parts(
                travel_document_requests, case, travel_document_requests.c.requested_on
            )
        ]
        case.bookings = [
            records.booking(m) for m in await self._parts(travel_bookings, case, travel_bookings.c.ordered_on)
        ]
        case.impediment_applications = [
            records.impediment(m)
            for m in await self._parts(impediment_applications, case, impediment_applications.c.lodged_on)
        ]
        case.handovers = [
            records.handover(m) for m in await self._parts(handovers, case, handovers.c.sequence)
        ]
        return case

    async def _parts(self, table: Any, case: ReturnCase, order: Any) -> Sequence[RowMapping]:
        rows = await self._session.execute(
            select(table).where(table.c.return_case_id == case.return_case_id).order_by(order)
        )
        return [row._mapping for row in rows]

    async def find(self, application_id: str, decision_id: str) -> str | None:
        found: str | None = await self._session.scalar(
            select(return_cases.c.return_case_id).where(
                return_cases.c.application_id == application_id, return_cases.c.decision_id == decision_id
            )
        )
        return found

    async def ids_for_application(self, application_id: str) -> list[str]:
        rows = await self._session.scalars(
            select(return_cases.c.return_case_id)
            .where(return_cases.c.application_id == application_id)
            .order_by(return_cases.c.opened_at)
        )
        return list(rows)

    async def page(
        self,
        *,
        status: CaseStatus | None,
        unit: str | None,
        overdue: Target | None,
        as_of: date,
        paging: Paging,
        application_id: str | None = None,
    ) -> tuple[int, list[CaseSummary]]:
        """One page of cases matching the filters, and how many match in all."""
        query: Select[Any] = select(return_cases)
        if application_id is not None:
            query = query.where(return_cases.c.application_id == application_id)
        if status is not None:
            query = query.where(return_cases.c.status == status.value)
        if unit is not None:
            query = query.where(return_cases.c.unit == unit)
        if overdue is not None:
            query = query.where(
                exists().where(
                    case_targets.c.return_case_id == return_cases.c.return_case_id,
                    case_targets.c.target == overdue.value,
                    _open_on(as_of),
                    case_targets.c.due_on < as_of,
                )
            )
        total = await self._session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = (
            await self._session.execute(
                query.order_by(return_cases.c.enforceable_on, return_cases.c.return_case_id)
                .limit(paging.limit)
                .offset(paging.offset)
            )
        ).all()
        ids = [row._mapping["return_case_id"] for row in rows]
        targets: dict[str, list[TargetItem]] = {i: [] for i in ids}
        if ids:
            for target_row in await self._session.execute(
                select(case_targets).where(case_targets.c.return_case_id.in_(ids))
            ):
                m = target_row._mapping
                targets[m["return_case_id"]].append(records.target(m))
        registers = await InhibitionRepository(self._session).for_applications(
            sorted({row._mapping["application_id"] for row in rows})
        )
        summaries = [
            CaseSummary(
                return_case_id=m["return_case_id"],
                application_id=m["application_id"],
                person_ref=m["person_ref"],
                status=CaseStatus(m["status"]),
                unit=m["unit"],
                removal_order=RemovalOrderKind(m["removal_order"]),
                destination_country=m["destination_country"],
                enforceable_on=m["enforceable_on"],
                unaccompanied_minor=m["unaccompanied_minor"],
                targets=tuple(targets[m["return_case_id"]]),
                inhibitions=registers[m["application_id"]],
            )
            for m in (row._mapping for row in rows)
        ]
        return total, summaries

    async def measured_items(
        self, *, due_from: date, due_until: date, unit: str | None, target: Target | None
    ) -> list[MeasuredItem]:
        """Every target item falling due in ``[due_from, due_until]``, with its case's unit."""
        query = (
            select(case_targets, return_cases.c.unit, return_cases.c.reception_ended_on)
            .join(return_cases, return_cases.c.return_case_id == case_targets.c.return_case_id)
            .where(case_targets.c.due_on >= due_from, case_targets.c.due_on <= due_until)
        )
        if unit is not None:
            query = query.where(return_cases.c.unit == unit)
        if target is not None:
            query = query.where(case_targets.c.target == target.value)
        return [
            MeasuredItem(item=records.target(m), unit=m["unit"], reception_ended_on=m["reception_ended_on"])
            for m in (row._mapping for row in await self._session.execute(query))
        ]


async def last_meeting_evaluations(
    session: AsyncSession, *, held_from: date, held_until: date, unit: str | None
) -> list[DignifiedReturnEvaluation | None]:
    """The evaluation of every last counselling meeting held in ``[held_from, held_until]``."""
    query = (
        select(counselling_meetings.c.evaluation)
        .join(return_cases, return_cases.c.return_case_id == counselling_meetings.c.return_case_id)
        .where(
            counselling_meetings.c.is_last_meeting.is_(True),
            counselling_meetings.c.held_on >= held_from,
            counselling_meetings.c.held_on <= held_until,
        )
    )
    if unit is not None:
        query = query.where(return_cases.c.unit == unit)
    return [
        DignifiedReturnEvaluation.model_validate(value) if value else None
        for value in await session.scalars(query)
    ]


def _open_on(as_of: date) -> Any:
    """Neither met nor stopped by the end of ``as_of``."""
    return and_(
        or_(case_targets.c.met_on.is_(None), case_targets.c.met_on > as_of),
        or_(case_targets.c.stopped_on.is_(None), case_targets.c.stopped_on > as_of),
    )
