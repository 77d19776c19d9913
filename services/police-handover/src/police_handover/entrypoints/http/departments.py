"""A police department sees its own enforcement cases and what hangs on them; another's answer 404.

A Police token names its department in the claim ``department``; a token without one speaks
for the Police's national units, which see every department's. A department never learns
that another department's case, plan, detention or lighter measure exists: reads and changes
answer 404, a new plan or measure for such a case is refused as one for no case (422 on
``enforcement_case_id``), and lists hold its own only. A plan is its responsible department's;
a detention or lighter measure is its case's.
"""

from __future__ import annotations

from handoff_plumbing.auth import Caller
from handoff_plumbing.errors import InvalidInput, NotFound
from handoff_plumbing.uow import UnitOfWork
from police_handover import queries
from police_handover.domain.enforcement_case import EnforcementCase
from police_handover.domain.measures import Detention, LighterMeasure
from police_handover.domain.monitoring import MonitorFeedback
from police_handover.domain.removal_plan import RemovalPlan


def department_of(caller: Caller) -> str | None:
    """The department the caller acts for; None for the national units (all departments)."""
    return caller.department if caller.role == "police" else None


def listed_department(caller: Caller, asked: str | None) -> tuple[str | None, bool]:
    """The department filter of a list, and whether the list is empty for this caller anyway."""
    own = department_of(caller)
    if own is None:
        return asked, False
    return own, asked is not None and asked != own


async def visible_case(enforcement_case_id: str, caller: Caller, uow: UnitOfWork) -> EnforcementCase:
    case = await queries.case_of(enforcement_case_id, uow)
    own = department_of(caller)
    if own is not None and case.responsible_department != own:
        raise NotFound("enforcement case", enforcement_case_id)
    return case


async def _sees_case(enforcement_case_id: str, caller: Caller, uow: UnitOfWork) -> bool:
    """Whether the caller sees the case: national units any (unread), a department its own if it exists."""
    if department_of(caller) is None:
        return True
    try:
        await visible_case(enforcement_case_id, caller, uow)
    except NotFound:
        return False
    return True


async def check_case_reference(enforcement_case_id: str, caller: Caller, uow: UnitOfWork) -> None:
    """A body's reference to another department's case is refused as one to no case (422)."""
    if not await _sees_case(enforcement_case_id, caller, uow):
        raise InvalidInput("enforcement_case_id", f"no enforcement case {enforcement_case_id!r}")


async def visible_plan(
    plan_id: str, caller: Caller, uow: UnitOfWork
) -> tuple[RemovalPlan, MonitorFeedback | None]:
    plan, feedback = await queries.plan(plan_id, uow)
    own = department_of(caller)
    if own is not None and plan.details.responsible_department != own:
        raise NotFound("removal plan", plan_id)
    return plan, feedback


async def visible_detention(detention_id: str, caller: Caller, uow: UnitOfWork) -> Detention:
    detention = await queries.detention(detention_id, uow)
    if not await _sees_case(detention.enforcement_case_id, caller, uow):
        raise NotFound("detention", detention_id)
    return detention


async def visible_lighter_measure(measure_id: str, caller: Caller, uow: UnitOfWork) -> LighterMeasure:
    measure = await queries.lighter_measure(measure_id, uow)
    if not await _sees_case(measure.enforcement_case_id, caller, uow):
        raise NotFound("lighter measure", measure_id)
    return measure
