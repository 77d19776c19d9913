"""Counts for the Police and for operators: occupancy and measures, plans by status (no personal data)."""

from __future__ import annotations

from fastapi import APIRouter
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
