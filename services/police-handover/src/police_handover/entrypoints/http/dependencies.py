"""What the Police's routes take besides their bodies: who may call, and the rules in force."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from handoff_plumbing.auth import Caller, require_roles
from handoff_plumbing.http.rules import rules_of
from handoff_plumbing.http.types import Text
from police_handover.domain.rules import PoliceHandoverRules

# Only the Police's systems; the monitor gets its data through its own service, never here.
Police = Annotated[Caller, Depends(require_roles("police"))]
# Counts without personal data, for the Police and for operators watching the suite.
PoliceOrOperator = Annotated[Caller, Depends(require_roles("police", "operator"))]
Rules = Annotated[PoliceHandoverRules, Depends(rules_of(PoliceHandoverRules))]

CONFLICT: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such thing"},
    409: {"description": "Illegal transition, or a conflict with the case: suspended, closed, full"},
}
Department = Annotated[str, Text(max_length=32)]
