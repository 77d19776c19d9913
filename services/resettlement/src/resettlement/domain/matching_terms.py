"""The terms of matching: who waits and in what order, what is available, and what a run yields
(proposals, and the households left unplaced with the reason why)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from handoff_schemas.events.common import SettlementNeed
from handoff_schemas.events.resettlement import HousingSize, ResettlementPriority

PRIORITY_RANK = {
    ResettlementPriority.EMERGENCY: 0,
    ResettlementPriority.URGENT: 1,
    ResettlementPriority.NORMAL: 2,
}


class Reason(StrEnum):
    """Why a household got no place: the need that no available place meets."""

    NO_ASSIGNABLE_PLACES = "no_assignable_places"
    ACCESSIBLE_HOUSING = "accessible_housing"
    SPECIALIST_CARE = "specialist_care"
    UNACCOMPANIED_MINOR = "unaccompanied_minor"
    HOUSING_SIZE = "housing_size"
    LINKED_FAMILY = "linked_family"
    DECLINED_BY_MUNICIPALITY = "declined_by_municipality"
    NEEDS_NOT_MET_TOGETHER = "needs_not_met_together"


REASON_TEXT = {
    Reason.NO_ASSIGNABLE_PLACES: "no place has enough assignable places left for the household",
    Reason.ACCESSIBLE_HOUSING: "no place has enough accessible places left",
    Reason.SPECIALIST_CARE: "no place with room gives access to specialist care",
    Reason.UNACCOMPANIED_MINOR: "no place with room receives unaccompanied minors",
    Reason.HOUSING_SIZE: "no place with room has a dwelling big enough for the household",
    Reason.LINKED_FAMILY: "no place with room in the county where the linked family is placed",
    Reason.DECLINED_BY_MUNICIPALITY: "every place with room is in a municipality that declined the household",
    Reason.NEEDS_NOT_MET_TOGETHER: "each need is met somewhere, but no place meets all of them together",
}


@dataclass(frozen=True, slots=True)
class WaitingCase:
    """A household waiting for a place, as the matcher sees it: nothing to select away on."""

    case_id: str
    priority: ResettlementPriority
    waiting_since: date
    household_size: int
    needs: frozenset[SettlementNeed] = frozenset()
    linked_case_ids: frozenset[str] = frozenset()
    linked_counties: frozenset[str] = field(
        default=frozenset(), metadata={"doc": "counties where a linked family is already placed or offered"}
    )
    declined_by: frozenset[str] = field(
        default=frozenset(), metadata={"doc": "municipalities that declined this household"}
    )


def queue_order(case: WaitingCase) -> tuple[int, date, str]:
    """Priority first, then the longest-waiting, then the case id (a stable tie-break)."""
    return PRIORITY_RANK[case.priority], case.waiting_since, case.case_id


@dataclass(frozen=True, slots=True)
class AvailablePlace:
    """What is left of one municipal places agreement for the matcher to use."""

    agreement_id: str
    county_code: str
    municipality_code: str
    general_places: int
    """Assignable places left for households that do not need accessible housing."""
    accessible_places: int
    """Accessible places left; kept for households that need them."""
    dwellings: Mapping[HousingSize, int] | None
    """Free dwellings by size; ``None`` when the agreement does not list dwellings."""
    specialist_care: bool
    receives_unaccompanied_minors: bool


@dataclass(frozen=True, slots=True)
class Proposal:
    case_id: str
    agreement_id: str
    county_code: str
    municipality_code: str
    household_size: int
    accessible: bool
    dwelling: HousingSize | None


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A case that got no place in the run, why, and the first later case that did."""

    case_id: str
    reasons: tuple[Reason, ...]
    overtaken_by: str | None

    @property
    def passed_over(self) -> bool:
        return self.overtaken_by is not None


@dataclass(frozen=True)
class MatchResult:
    proposals: list[Proposal]
    unplaced: list[Unplaced]

    @property
    def passed_over(self) -> list[Unplaced]:
        return [u for u in self.unplaced if u.passed_over]


# --------------------------------------------------------------------------- needs of one case
