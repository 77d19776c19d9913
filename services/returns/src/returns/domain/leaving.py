"""How a case can end with the person gone: a voluntary departure or an absconding; and the
applications about impediments to enforcement, which stop nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from handoff_plumbing.errors import Conflict, InvalidInput, NotFound
from handoff_schemas.events.common import COUNTRY_CODE
from handoff_schemas.events.returns import PersonAbscondedV1, VoluntaryReturnCompletedV1
from returns.domain.case_state import CaseBase, CaseStatus, new_reference, not_before, not_in_the_future
from returns.domain.whereabouts import Absconding, Address, check_address

WHEREABOUTS_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


@dataclass(frozen=True)
class ImpedimentApplication:
    """An application about impediments to enforcement: recorded, and it stops nothing."""

    impediment_application_id: str
    lodged_on: date


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
        self.status = CaseStatus.DEPARTED
        self.departed_on = departed_on
        self.closed_on = departed_on
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

    def record_impediment_application(self, *, lodged_on: date, today: date) -> ImpedimentApplication:
        """Record an application about impediments to enforcement.

        It stops nothing: only an inhibition does (docs/domain.md). Nothing else on the case
        reads this list.
        """
        self._require_active("an impediment application")
        not_in_the_future("lodged_on", lodged_on, today)
        for earlier in self.impediment_applications:
            if earlier.lodged_on == lodged_on:
                raise Conflict(
                    reason="impediment_application_recorded",
                    message=f"an impediment application lodged on {lodged_on.isoformat()} is already "
                    "recorded "
                    f"({earlier.impediment_application_id})",
                )
        application = ImpedimentApplication(new_reference("IMP"), lodged_on)
        self.impediment_applications.append(application)
        return application

    def impediment_application(self, impediment_application_id: str) -> ImpedimentApplication:
        for application in self.impediment_applications:
            if application.impediment_application_id == impediment_application_id:
                return application
        raise NotFound("impediment application", impediment_application_id)
