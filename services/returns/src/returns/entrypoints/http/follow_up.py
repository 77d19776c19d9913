"""The follow-up of the time targets, per target, unit and month (role ``agency``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from handoff_plumbing.errors import InvalidInput
from handoff_plumbing.http import Uow
from handoff_workdays import add_months
from returns import queries
from returns.domain.targets import Target
from returns.entrypoints.http.dependencies import Agency, Rules

router = APIRouter(prefix="/follow-up", tags=["follow-up"])
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


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


def _month(value: str | None, default: date) -> date:
    if value is None:
        return default
    year, month = value.split("-")
    return date(int(year), int(month), 1)


@router.get(
    "",
    summary="Due and overdue items and the cost of delay, per target, unit and month; the "
    "dignified-return evaluations aggregated",
)
async def report(
    uow: Uow,
    rules: Rules,
    _caller: Agency,
    from_month: Annotated[str | None, Query(pattern=MONTH, description="First month (YYYY-MM).")] = None,
    to_month: Annotated[str | None, Query(pattern=MONTH, description="Last month (YYYY-MM).")] = None,
    unit: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    target: Target | None = None,
    as_of: Annotated[
        date | None, Query(description="Count as at the end of this day; today if left out.")
    ] = None,
) -> FollowUpOut:
    today = rules.today(uow.clock.now())
    last = _month(to_month, today.replace(day=1))
    first = _month(from_month, add_months(last, -11))
    if first > last:
        raise InvalidInput("from_month", "must not be after to_month", location="query")
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
