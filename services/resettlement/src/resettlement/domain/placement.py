"""A placement: one offer of one household to one municipality, and what became of it.

Two-stage disclosure (docs/domain.md, seed 001: "no more than needed"): the offer carries only the
anonymised profile (household size, age bands, needs). The municipality answers; a decline
gives a practical reason (:mod:`.answers`) that is logged for the quarterly follow-up. The
county board confirms an accepted offer; only then may the municipality see the household's
full details. Then the household arrives and settles.

Each method moves the placement and its case together, so the two never disagree, and a
repeated command (the same answer again) is a no-op that returns no event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from handoff_plumbing.errors import Conflict, InvalidInput, NotFound
from handoff_schemas.events.resettlement import (
    DeclineReason,
    HousingSize,
    PersonSettledV1,
    PlacementAcceptedV1,
    PlacementConfirmedV1,
    PlacementDeclinedV1,
    PlacementOfferedV1,
    SettlementProfile,
)
from handoff_schemas.events.resettlement_steps import PersonArrivedV1, PlacementWithdrawnV1
from resettlement.domain.actor import Actor
from resettlement.domain.answers import check_decline
from resettlement.domain.case import ResettlementCase
from resettlement.domain.ids import new_id
from resettlement.domain.matching_terms import Proposal


class PlacementStatus(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CONFIRMED = "confirmed"
    ARRIVED = "arrived"
    SETTLED = "settled"


HOLDING_PLACES = frozenset(
    {
        PlacementStatus.OFFERED,
        PlacementStatus.ACCEPTED,
        PlacementStatus.CONFIRMED,
        PlacementStatus.ARRIVED,
        PlacementStatus.SETTLED,
    }
)
"""Statuses in which a placement holds its places in the agreement."""
CONFIRMED = frozenset({PlacementStatus.CONFIRMED, PlacementStatus.ARRIVED, PlacementStatus.SETTLED})
OPEN = frozenset({PlacementStatus.OFFERED, PlacementStatus.ACCEPTED})


@dataclass
class Placement:
    placement_id: str
    case_id: str
    agreement_id: str
    county_code: str
    municipality_code: str
    household_size: int
    accessible: bool
    dwelling: HousingSize | None
    profile: SettlementProfile
    status: PlacementStatus
    offered_at: datetime
    offered_by: str
    answer_due_on: date
    run_id: str | None = None
    answered_at: datetime | None = None
    decline_reason: DeclineReason | None = None
    decline_reason_text: str | None = None
    withdrawn_at: datetime | None = None
    withdrawal_reason: str | None = None
    confirmed_at: datetime | None = None
    arrival_planned_on: date | None = None
    arrived_on: date | None = None
    settled_on: date | None = None

    @classmethod
    def offer(
        cls,
        case: ResettlementCase,
        proposal: Proposal,
        *,
        by: str,
        now: datetime,
        answer_due_on: date,
        run_id: str | None = None,
    ) -> tuple[Placement, PlacementOfferedV1]:
        placement = cls(
            placement_id=new_id("PLC", now.year),
            case_id=case.case_id,
            agreement_id=proposal.agreement_id,
            county_code=proposal.county_code,
            municipality_code=proposal.municipality_code,
            household_size=proposal.household_size,
            accessible=proposal.accessible,
            dwelling=proposal.dwelling,
            profile=case.profile(),
            status=PlacementStatus.OFFERED,
            offered_at=now,
            offered_by=by,
            answer_due_on=answer_due_on,
            run_id=run_id,
        )
        case.offered(placement.placement_id)
        return placement, PlacementOfferedV1(
            case_id=case.case_id,
            placement_id=placement.placement_id,
            municipality_code=placement.municipality_code,
            agreement_id=placement.agreement_id,
            offered_at=now,
            answer_due_on=answer_due_on,
            profile=placement.profile,
        )

    # ------------------------------------------------------------------ the municipality's answer

    def accept(self, case: ResettlementCase, *, now: datetime) -> PlacementAcceptedV1 | None:
        if self.status is PlacementStatus.ACCEPTED:
            return None
        self._require(PlacementStatus.OFFERED, "be accepted")
        case.offer_accepted()
        self.status = PlacementStatus.ACCEPTED
        self.answered_at = now
        return PlacementAcceptedV1(
            case_id=self.case_id,
            placement_id=self.placement_id,
            municipality_code=self.municipality_code,
            answered_at=now,
        )

    def decline(
        self, case: ResettlementCase, *, reason: str, reason_text: str, now: datetime
    ) -> PlacementDeclinedV1 | None:
        if self.status is PlacementStatus.DECLINED and self.decline_reason == reason:
            return None
        self._require(PlacementStatus.OFFERED, "be declined")
        practical = check_decline(reason, reason_text, case.needs)
        case.back_in_queue()
        self.status = PlacementStatus.DECLINED
        self.answered_at = now
        self.decline_reason = practical
        self.decline_reason_text = reason_text
        return PlacementDeclinedV1(
            case_id=self.case_id,
            placement_id=self.placement_id,
            municipality_code=self.municipality_code,
            answered_at=now,
            reason=practical,
            reason_text=reason_text,
        )

    # ------------------------------------------------------------------ the county board

    def withdraw(self, case: ResettlementCase, *, reason: str, now: datetime) -> PlacementWithdrawnV1 | None:
        """Take back an open offer (e.g. no answer); the case waits again in its old place. The reason
        stays here: the event says only that the offer was withdrawn."""
        if self.status is PlacementStatus.WITHDRAWN:
            return None
        if self.status not in OPEN:
            raise Conflict(
                f"placement {self.placement_id} is {self.status.value}: only an open offer is withdrawn"
            )
        case.back_in_queue()
        self.status = PlacementStatus.WITHDRAWN
        self.withdrawn_at = now
        self.withdrawal_reason = reason
        return PlacementWithdrawnV1(
            case_id=self.case_id,
            placement_id=self.placement_id,
            municipality_code=self.municipality_code,
            withdrawn_at=now,
        )

    def confirm(
        self, case: ResettlementCase, *, arrival_planned_on: date, now: datetime
    ) -> PlacementConfirmedV1 | None:
        if self.status in CONFIRMED:
            if self.arrival_planned_on == arrival_planned_on:
                return None
            raise Conflict(f"placement {self.placement_id} is already confirmed")
        self._require(PlacementStatus.ACCEPTED, "be confirmed (the municipality accepts first)")
        if arrival_planned_on < now.date():
            raise InvalidInput("arrival_planned_on", "must not be in the past")
        case.assigned(municipality_code=self.municipality_code, county_code=self.county_code, on=now.date())
        self.status = PlacementStatus.CONFIRMED
        self.confirmed_at = now
        self.arrival_planned_on = arrival_planned_on
        return PlacementConfirmedV1(
            case_id=self.case_id,
            placement_id=self.placement_id,
            municipality_code=self.municipality_code,
            confirmed_at=now,
            arrival_planned_on=arrival_planned_on,
        )

    # ------------------------------------------------------------------ arrival and settlement

    def arrive(self, case: ResettlementCase, *, on: date, now: datetime) -> PersonArrivedV1 | None:
        if self.status is PlacementStatus.ARRIVED and self.arrived_on == on:
            return None
        self._require(PlacementStatus.CONFIRMED, "record an arrival")
        self._check_day("arrived_on", on, now)
        case.arrived(on)
        self.status = PlacementStatus.ARRIVED
        self.arrived_on = on
        assert self.arrival_planned_on is not None  # a confirmed placement has its planned arrival
        return PersonArrivedV1(
            case_id=self.case_id,
            placement_id=self.placement_id,
            municipality_code=self.municipality_code,
            arrival_planned_on=self.arrival_planned_on,
            arrived_on=on,
        )

    def settle(self, case: ResettlementCase, *, on: date, now: datetime) -> PersonSettledV1 | None:
        if self.status is PlacementStatus.SETTLED and self.settled_on == on:
            return None
        if self.status not in (PlacementStatus.CONFIRMED, PlacementStatus.ARRIVED):
            raise Conflict(
                f"placement {self.placement_id} is {self.status.value}: only a confirmed placement settles"
            )
        self._check_day("settled_on", on, now)
        if self.arrived_on is not None and on < self.arrived_on:
            raise InvalidInput("settled_on", "must not be before the arrival")
        case.settled(on)
        self.status = PlacementStatus.SETTLED
        self.arrived_on = self.arrived_on or on
        self.settled_on = on
        return PersonSettledV1(
            case_id=self.case_id,
            placement_id=self.placement_id,
            municipality_code=self.municipality_code,
            settled_on=on,
        )

    def _check_day(self, name: str, day: date, now: datetime) -> None:
        if day > now.date():
            raise InvalidInput(name, "must not be in the future")
        if self.confirmed_at is not None and day < self.confirmed_at.date():
            raise InvalidInput(name, "must not be before the placement was confirmed")

    def _require(self, status: PlacementStatus, action: str) -> None:
        if self.status is not status:
            raise Conflict(
                f"placement {self.placement_id} is {self.status.value}: it must be {status.value} to {action}"
            )

    @property
    def confirmed(self) -> bool:
        return self.status in CONFIRMED


def check_access(placement: Placement, actor: Actor, *, municipality: bool, county_board: bool) -> None:
    """A municipality sees its own offers only; a county board those of its county; else none exists."""
    if actor.role == "municipality" and municipality:
        if placement.municipality_code != actor.municipality():
            raise NotFound("placement", placement.placement_id)
        return
    if actor.role == "county_board" and county_board:
        if not actor.sees_county(placement.county_code):
            raise NotFound("placement", placement.placement_id)
        return
    raise NotFound("placement", placement.placement_id)
