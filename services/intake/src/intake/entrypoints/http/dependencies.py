"""What intake's routes take besides their bodies: who may call, and the rules in force."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from handoff_plumbing.auth import Caller, require_roles
from handoff_plumbing.http.rules import rules_of
from intake.domain.rules import IntakeRules

Agency = Annotated[Caller, Depends(require_roles("agency"))]
Rules = Annotated[IntakeRules, Depends(rules_of(IntakeRules))]
