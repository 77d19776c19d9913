"""The follow-up of the time targets, per target, unit and month (role ``agency``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from handoff_plumbing.errors import InvalidInput
from handoff_plumbing.http import Uow
from handoff_plumbing.http.types import Day, Month
from handoff_workdays import add_months
from returns import queries
from returns.domain.targets import Target
from returns.entrypoints.http.dependencies import Agency, Rules
from returns.entrypoints.http.models import Text64

router = APIRouter(prefix="/follow-up", tags=["follow-up"])
MAX_MONTHS = 120


class FollowUpLineOut(BaseModel):
    target: Target
    unit: str
    month: str = Field(description="The month the deadlines fall due in (YYYY-MM).")
    due: int = Field(description="Items whose deadline falls in the month.")
    met_on_time: int
    met_late: int
    overdue: int = Field(description="Not met by as_of, and due before it.")
    not_yet_due: int
    no_longer_applicable: int = Field(description="Ended unmet because the case ended otherwise.")
    person_days_past_target: int = Field(description="Person-days in reception past the target.")
    cost_of_delay: int = Field(description="person_days_past_target times the cost per person-day.")


class EvaluationsOut(BaseModel):
    last_meetings: int = Field(description="Last counselling meetings held in the months.")
    answers: dict[str, dict[str, int]] = Field(
        description="Per question of the dignified-return evaluation, how many gave each answer."
    )


class FollowUpOut(BaseModel):
    as_of: date
    from_month: str
    to_month: str
    cost_per_person_day: int
    currency: str
    note: str = Field(
        default="Costs of different targets overlap (the same person-days can be late for several "
        "targets); compare them per target, do not add them up across targets."
    )
    lines: list[FollowUpLineOut]
    evaluations: EvaluationsOut


@router.get(
    "",
    summary="Due and overdue items and the cost of delay, per target, unit and month; the "
    "dignified-return evaluations aggregated",
)
async def report(
    uow: Uow,
    rules: Rules,
    _caller: Agency,
    from_month: Annotated[Month | None, Query(description="First month (YYYY-MM).")] = None,
    to_month: Annotated[Month | None, Query(description="Last month (YYYY-MM).")] = None,
    unit: Annotated[Text64 | None, Query()] = None,
    target: Target | None = None,
    as_of: Annotated[
        Day | None, Query(description="Count as at the end of this day; today if left out.")
    ] = None,
) -> FollowUpOut:
    today = rules.today(uow.clock.now())
    last = to_month or today.replace(day=1)
    first = from_month or add_months(last, -11)
    if first > last:
        raise InvalidInput("from_month", "must not be after to_month", location="query")
    if add_months(first, MAX_MONTHS - 1) < last:
        raise InvalidInput("from_month", f"at most {MAX_MONTHS} months in one report", location="query")
    result = await queries.follow_up_report(
        uow, rules, first_month=first, last_month=last, unit=unit, target=target, as_of=as_of
    )
    return FollowUpOut(
        as_of=result.as_of,
        from_month=f"{first:%Y-%m}",
        to_month=f"{last:%Y-%m}",
        cost_per_person_day=result.cost_per_person_day,
        currency=result.currency,
        lines=[FollowUpLineOut(**vars(line)) for line in result.lines],
        evaluations=EvaluationsOut(
            last_meetings=result.evaluations.last_meetings, answers=result.evaluations.answers
        ),
    )
