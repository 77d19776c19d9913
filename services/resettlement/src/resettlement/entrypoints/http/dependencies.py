"""What every resettlement route takes besides its body: who may call, as whom, and the rules.

Roles: ``agency`` registers UNHCR submissions and selection decisions; ``county_board``
(token claim ``county``) agrees municipal places, runs the matching, offers, confirms and
follows up for its own county; ``municipality`` (token claim ``municipality``) answers the
offers addressed to it and, once a placement is confirmed, reads the household's full
details. Another county's or municipality's things answer 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from handoff_plumbing.auth import Caller, require_roles
from handoff_plumbing.http.rules import rules_of
from resettlement.domain.actor import Actor
from resettlement.domain.rules import ResettlementRules

CODE = r"^[0-9A-Za-z-]{1,16}$"
"""A county or municipality code, e.g. ``12`` or ``1280``."""

Agency = Annotated[Caller, Depends(require_roles("agency"))]
CountyBoard = Annotated[Caller, Depends(require_roles("county_board"))]
Municipality = Annotated[Caller, Depends(require_roles("municipality"))]
AgencyOrCountyBoard = Annotated[Caller, Depends(require_roles("agency", "county_board"))]
CountyBoardOrMunicipality = Annotated[Caller, Depends(require_roles("county_board", "municipality"))]
Readers = Annotated[Caller, Depends(require_roles("agency", "county_board", "municipality"))]
Rules = Annotated[ResettlementRules, Depends(rules_of(ResettlementRules))]


def actor(caller: Caller) -> Actor:
    return Actor(
        subject=caller.subject,
        role=caller.role,
        county_claim=caller.county,
        municipality_claim=caller.municipality,
    )


ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "The caller may not act on this (e.g. a new agreement for another county)"},
    404: {"description": "No such thing, or none the caller may see (another county's or municipality's)"},
    409: {"description": "The command does not fit the current state"},
}
