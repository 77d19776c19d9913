"""What returns' routes take besides their bodies: who may call, and the rules in force."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path

from handoff_plumbing.auth import Caller, require_roles
from handoff_plumbing.http.commands import replayed
from handoff_plumbing.http.rules import rules_of
from handoff_plumbing.http.types import Identifier
from returns.domain.rules import ReturnsRules

Agency = Annotated[Caller, Depends(require_roles("agency"))]
AgencyOrOperator = Annotated[Caller, Depends(require_roles("agency", "operator"))]
Rules = Annotated[ReturnsRules, Depends(rules_of(ReturnsRules))]
CaseId = Annotated[Identifier, Path(description="The return case's id.")]

CONFLICT_RESPONSE: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such return case"},
    409: {
        "description": "The case's state does not allow this: `reason` names why (e.g. "
        "inhibition_in_force, order_lapsed, not_enforceable, handover_package_incomplete with "
        "`missing`), `detail` says it in words"
    },
}


def recording(model: type) -> dict[int | str, dict[str, Any]]:
    """The answers of a POST that records something on a case."""
    return {**replayed(model), **CONFLICT_RESPONSE}
