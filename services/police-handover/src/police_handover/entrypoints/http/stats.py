"""Counts for the Police and for operators: occupancy and measures, plans by status, and the monitor's
judgements of the notices per department and month, the same figures as the monitor's (no personal data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from handoff_plumbing.http import Uow
from police_handover import queries
from police_handover.entrypoints.http.dependencies import PoliceOrOperator, Rules

router = APIRouter(prefix="/stats", tags=["statistics"])


class FacilityOut(BaseModel):
    facility: str
    capacity: int
    occupied: int
    free: int
    utilisation: float = Field(description="Occupied share of the capacity, 0 to 1 (0 if no capacity).")


class MeasuresOut(BaseModel):
    facilities: list[FacilityOut]
    detention_capacity: int
    detained: int
    minors_detained: int
    reviews_overdue: int = Field(description="Detentions in force whose review date has passed.")
    lighter_measures: dict[str, int] = Field(description="Lighter measures in force, by kind.")
    lighter_measures_total: int
    persons_under_measures: int = Field(description="Enforcement cases with any measure in force, each once.")


class PlanCount(BaseModel):
    status: str
    responsible_department: str
    transport: str
    count: int


class PlansOut(BaseModel):
    total: int
    by_status: dict[str, int]
    rows: list[PlanCount]


@router.get("/measures", summary="Detention occupancy per facility and lighter measures in force")
async def measures(uow: Uow, _caller: PoliceOrOperator, rules: Rules) -> MeasuresOut:
    counts = await queries.measure_counts(uow, rules)
    return MeasuresOut(
        facilities=[
            FacilityOut(
                facility=f.facility,
                capacity=f.capacity,
                occupied=f.occupied,
                free=f.free,
                utilisation=round(f.occupied / f.capacity, 4) if f.capacity else 0.0,
            )
            for f in counts.facilities
        ],
        detention_capacity=rules.total_capacity,
        detained=sum(f.occupied for f in counts.facilities),
        minors_detained=counts.minors_detained,
        reviews_overdue=counts.reviews_overdue,
        lighter_measures=counts.lighter_measures,
        lighter_measures_total=sum(counts.lighter_measures.values()),
        persons_under_measures=counts.persons_under_measures,
    )


@router.get("/removal-plans", summary="Removal plans by status, department and transport")
async def plans(uow: Uow, _caller: PoliceOrOperator) -> PlansOut:
    rows = [
        PlanCount(status=s, responsible_department=d, transport=t, count=n)
        for s, d, t, n in await queries.plan_counts(uow)
    ]
    by_status: dict[str, int] = {}
    for row in rows:
        by_status[row.status] = by_status.get(row.status, 0) + row.count
    return PlansOut(total=sum(by_status.values()), by_status=by_status, rows=rows)


MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class NoticeFiguresOut(BaseModel):
    department: str
    month: str = Field(description="The month of the removal (carried out, aborted, else planned), YYYY-MM.")
    notices: int = Field(description="Plans the monitor acknowledged (on time or late).")
    on_time: int
    late: int = Field(description="Judged late: short notice, or a removal carried out other than notified.")
    missing: int = Field(description="Removals the monitor learned of only when carried out or aborted.")
    unannounced_changes: int = Field(
        description="Removals carried out or aborted other than the last notice said: a revision was missing."
    )


@router.get("/notices", summary="The monitor's judgements of the notices, per department and month")
async def notices(
    uow: Uow,
    _caller: PoliceOrOperator,
    rules: Rules,
    department: Annotated[str | None, Query(min_length=1, max_length=32)] = None,
    from_month: Annotated[str | None, Query(pattern=MONTH, description="First month, YYYY-MM.")] = None,
    to_month: Annotated[str | None, Query(pattern=MONTH, description="Last month, YYYY-MM.")] = None,
) -> list[NoticeFiguresOut]:
    rows = await queries.notice_figures(
        uow, rules, department=department, from_month=from_month, to_month=to_month
    )
    return [NoticeFiguresOut(**row.__dict__) for row in rows]
