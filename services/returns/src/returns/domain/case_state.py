"""What every part of a return case shares: its states, its references, and the guards on dates.

:class:`CaseBase` declares the case's fields for the parts (counselling, support, travel,
leaving, handover) that :class:`~returns.domain.return_case.ReturnCase` is composed of;
the dataclass itself holds them.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.common import RemovalOrderKind
from handoff_schemas.events.returns_steps import ReturnCaseClosedV1, ReturnCaseClosure

if TYPE_CHECKING:
    from returns.domain.counselling import CounsellingMeeting
    from returns.domain.handover import Handover
    from returns.domain.inhibitions import InhibitionRegister
    from returns.domain.leaving import ImpedimentApplication
    from returns.domain.support import SupportApplication
    from returns.domain.travel import TravelBooking, TravelDocumentRequest
    from returns.domain.whereabouts import Absconding, Address

DEFAULT_UNIT = "unassigned"


def new_reference(prefix: str) -> str:
    """A random reference that reveals nothing about the person."""
    return f"{prefix}-{secrets.token_hex(6)}"


class CaseStatus(StrEnum):
    OPEN = "open"
    AWAITING_POLICE = "awaiting_police"
    HANDED_OVER = "handed_over"
    DEPARTED = "departed"
    CANCELLED = "cancelled"


CLOSED = frozenset({CaseStatus.HANDED_OVER, CaseStatus.DEPARTED, CaseStatus.CANCELLED})
ENDED = frozenset({CaseStatus.DEPARTED, CaseStatus.CANCELLED})
"""Nothing is left for the Agency to do: the person left, or the order can no longer be enforced here
(a handed-over case is closed at the Agency but may still hear of impediments and a removal)."""


def not_in_the_future(name: str, day: date, today: date) -> None:
    if day > today:
        raise InvalidInput(name, f"{day.isoformat()} is in the future (today is {today.isoformat()})")


def not_before(name: str, day: date, earlier: date, what: str) -> None:
    if day < earlier:
        raise InvalidInput(name, f"{day.isoformat()} is before {what} ({earlier.isoformat()})")


class CaseBase:
    """The fields of a return case, as its parts read them."""

    return_case_id: str
    application_id: str
    decision_id: str
    person_ref: str
    removal_order: RemovalOrderKind
    immediate_enforcement: bool
    enforceable_on: date
    destination_country: str
    unaccompanied_minor: bool
    opened_at: datetime
    first_counselling_due: date
    case_closure_due: date
    departure_due: date
    order_lapses_on: date
    unit: str
    status: CaseStatus
    closed_on: date | None
    departed_on: date | None
    superseded_by: str | None
    closure_reason: ReturnCaseClosure | None
    departed_to: str | None
    removed_on: date | None
    removed_to: str | None
    absconding: Absconding | None
    last_known_address: Address | None
    meetings: list[CounsellingMeeting]
    support_applications: list[SupportApplication]
    travel_documents: list[TravelDocumentRequest]
    bookings: list[TravelBooking]
    impediment_applications: list[ImpedimentApplication]
    handovers: list[Handover]
    inhibitions: InhibitionRegister
    version: int

    @property
    def closed(self) -> bool:
        return self.status in CLOSED

    def enforceable(self, today: date) -> bool:
        return self.superseded_by is None and self.enforceable_on <= today

    def order_lapsed(self, today: date) -> bool:
        return today >= self.order_lapses_on

    def _close(self, status: CaseStatus, reason: ReturnCaseClosure, on: date) -> None:
        self.status, self.closure_reason, self.closed_on = status, reason, on

    def closed_event(self) -> ReturnCaseClosedV1:
        """The closing just made, as the Agency's other systems learn it."""
        assert self.closed_on is not None, "the case is not closed"
        assert self.closure_reason is not None, "the case is not closed"
        return ReturnCaseClosedV1(
            return_case_id=self.return_case_id, closed_on=self.closed_on, reason=self.closure_reason
        )

    def _require_not_ended(self, action: str) -> None:
        if self.status in ENDED:
            raise Conflict(
                reason="case_closed",
                message=f"return case {self.return_case_id} was closed ({self.status.value}): {action} can "
                "no longer be recorded",
            )

    def _require_active(self, action: str) -> None:
        if self.closed:
            when = f" on {self.closed_on.isoformat()}" if self.closed_on else ""
            raise Conflict(
                reason="case_closed",
                message=f"return case {self.return_case_id} was closed ({self.status.value}){when}: "
                f"{action} can no longer be recorded",
            )
