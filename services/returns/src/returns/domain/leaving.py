"""How a case can end with the person gone: a voluntary departure or an absconding; and the
applications about impediments to enforcement, which stop nothing unless decided for the person."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from handoff_plumbing.errors import Conflict, InvalidInput, NotFound
from handoff_schemas.events.common import COUNTRY_CODE
from handoff_schemas.events.returns import PersonAbscondedV1, VoluntaryReturnCompletedV1
from handoff_schemas.events.returns_steps import (
    ImpedimentApplicationDecidedV1,
    ImpedimentApplicationLodgedV1,
    ImpedimentOutcome,
    ReturnCaseClosure,
)
from returns.domain.case_state import CaseBase, CaseStatus, new_reference, not_before, not_in_the_future
from returns.domain.whereabouts import Absconding, Address, check_address

WHEREABOUTS_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


@dataclass
class ImpedimentApplication:
    """An application about impediments to enforcement: recorded, and it stops nothing."""

    impediment_application_id: str
    lodged_on: date
    decided_on: date | None = None
    outcome: ImpedimentOutcome | None = None
    inhibition_ordered: bool | None = None


CLOSES_THE_CASE = {
    ImpedimentOutcome.RESIDENCE_PERMIT: ReturnCaseClosure.IMPEDIMENT_RESIDENCE_PERMIT,
    ImpedimentOutcome.NEW_EXAMINATION: ReturnCaseClosure.NEW_EXAMINATION_ORDERED,
}
"""Decisions after which the Agency has no return work on the case (until a new examination ends)."""


class Leaving(CaseBase):
    """The departure, absconding and impediment part of a return case."""

    def record_departure(
        self, *, departed_on: date, destination_country: str | None, today: date
    ) -> VoluntaryReturnCompletedV1:
        """The person left voluntarily: the case is completed and closed."""
        if self.status is CaseStatus.DEPARTED and self.departed_on is not None:
            raise Conflict(
                reason="already_departed",
                message=f"the departure on {self.departed_on.isoformat()} is already recorded",
            )
        self._require_active("a departure")
        not_in_the_future("departed_on", departed_on, today)
        not_before("departed_on", departed_on, self.enforceable_on, "the day the order became enforceable")
        country = destination_country or self.destination_country
        if not re.fullmatch(COUNTRY_CODE, country):
            raise InvalidInput("destination_country", "an ISO 3166-1 alpha-3 code, e.g. 'IRQ'")
        self._close(CaseStatus.DEPARTED, ReturnCaseClosure.VOLUNTARY_DEPARTURE, departed_on)
        self.departed_on, self.departed_to = departed_on, country
        return VoluntaryReturnCompletedV1(
            return_case_id=self.return_case_id, departed_on=departed_on, destination_country=country
        )

    def record_absconding(
        self, *, noticed_on: date, whereabouts_code: str | None, address: Address | None, today: date
    ) -> PersonAbscondedV1:
        """The person absconded. The event names a coarse code only; the address stays here."""
        self._require_active("an absconding")
        if self.absconding is not None:
            raise Conflict(
                reason="already_absconded",
                message=f"the absconding noticed on {self.absconding.noticed_on.isoformat()} is "
                "already recorded",
            )
        not_in_the_future("noticed_on", noticed_on, today)
        if address is not None:
            check_address(address, today)
        code = whereabouts_code or (address.municipality_code if address else None)
        if code is not None and not WHEREABOUTS_CODE.fullmatch(code):
            raise InvalidInput(
                "whereabouts_code", "a municipality or reception centre code (letters, digits)"
            )
        self.absconding = Absconding(noticed_on=noticed_on, whereabouts_code=code)
        if address is not None:
            self.last_known_address = address
        return PersonAbscondedV1(
            return_case_id=self.return_case_id, noticed_on=noticed_on, last_known_whereabouts=code
        )

    def record_impediment_application(
        self, *, lodged_on: date, today: date
    ) -> tuple[ImpedimentApplication, ImpedimentApplicationLodgedV1]:
        """Record an application about impediments to enforcement.

        It stops nothing: only an inhibition does (docs/domain.md). It is recorded on a case the
        Police enforce too (the Agency decides it whoever enforces), not on one that has ended.
        """
        self._require_not_ended("an impediment application")
        not_in_the_future("lodged_on", lodged_on, today)
        for earlier in self.impediment_applications:
            if earlier.lodged_on == lodged_on:
                raise Conflict(
                    reason="impediment_application_recorded",
                    message=f"an impediment application lodged on {lodged_on.isoformat()} is already "
                    f"recorded ({earlier.impediment_application_id})",
                )
        application = ImpedimentApplication(new_reference("IMP"), lodged_on)
        self.impediment_applications.append(application)
        return application, ImpedimentApplicationLodgedV1(
            return_case_id=self.return_case_id,
            impediment_application_id=application.impediment_application_id,
            lodged_on=lodged_on,
        )

    def decide_impediment_application(
        self,
        impediment_application_id: str,
        *,
        decided_on: date,
        outcome: ImpedimentOutcome,
        inhibition_ordered: bool,
        today: date,
    ) -> ImpedimentApplicationDecidedV1:
        """The Agency's decision. A permit or a new examination ends the Agency's return work on a
        case it still holds; a handed-over case is the Police's, who learn the decision."""
        application = self.impediment_application(impediment_application_id)
        if application.decided_on is not None:
            raise Conflict(
                reason="impediment_application_decided",
                message=f"impediment application {impediment_application_id} was decided on "
                f"{application.decided_on.isoformat()}",
            )
        self._require_not_ended("an impediment decision")
        not_in_the_future("decided_on", decided_on, today)
        not_before("decided_on", decided_on, application.lodged_on, "the application was lodged")
        application.decided_on, application.outcome = decided_on, outcome
        application.inhibition_ordered = inhibition_ordered
        closure = CLOSES_THE_CASE.get(outcome)
        if closure is not None and not self.closed:
            self._close(CaseStatus.CANCELLED, closure, decided_on)
        return ImpedimentApplicationDecidedV1(
            return_case_id=self.return_case_id,
            impediment_application_id=impediment_application_id,
            lodged_on=application.lodged_on,
            decided_on=decided_on,
            outcome=outcome,
            inhibition_ordered=inhibition_ordered,
        )

    def impediment_application(self, impediment_application_id: str) -> ImpedimentApplication:
        for application in self.impediment_applications:
            if application.impediment_application_id == impediment_application_id:
                return application
        raise NotFound("impediment application", impediment_application_id)
