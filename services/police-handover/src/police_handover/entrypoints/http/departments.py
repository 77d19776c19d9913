"""A police department sees its own enforcement cases and removal plans; another's answer 404.

A Police token names its department in the claim ``department``; a token without one speaks
for the Police's national units, which see every department's. A department never learns
that another department's case or plan exists: reads and changes answer 404, a new plan
for such a case is refused as one for no case (422 on ``enforcement_case_id``), and lists
hold its own only.
"""

from __future__ import annotations

from handoff_plumbing.auth import Caller
from handoff_plumbing.errors import InvalidInput, NotFound
from handoff_plumbing.uow import UnitOfWork
from police_handover import queries
from police_handover.domain.enforcement_case import EnforcementCase
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


async def check_case_reference(enforcement_case_id: str, caller: Caller, uow: UnitOfWork) -> None:
    """A body's reference to another department's case is refused as one to no case (422)."""
    if department_of(caller) is None:
        return
    try:
        await visible_case(enforcement_case_id, caller, uow)
    except NotFound:
        raise InvalidInput("enforcement_case_id", f"no enforcement case {enforcement_case_id!r}") from None


async def visible_plan(
    plan_id: str, caller: Caller, uow: UnitOfWork
) -> tuple[RemovalPlan, MonitorFeedback | None]:
    plan, feedback = await queries.plan(plan_id, uow)
    own = department_of(caller)
    if own is not None and plan.details.responsible_department != own:
        raise NotFound("removal plan", plan_id)
    return plan, feedback
