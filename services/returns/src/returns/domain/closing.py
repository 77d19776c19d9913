"""How a return case closes for reasons outside the Agency's own work, and how it reopens.

The Agency's own closings happen where the work does (a departure in :mod:`.leaving`, the Police's
acceptance in :mod:`.handover`, an impediment decision in :mod:`.leaving`); every closing names its
reason (:class:`ReturnCaseClosure`) and is told with ``closed_event``. Here: the responsibility for
the person moved away under the Dublin Regulation, a later decision granted protection, the Police
carried out the removal of a handed-over case, and a case opened again with a reason.
"""

from __future__ import annotations

from datetime import date

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.returns_steps import ReopeningReason, ReturnCaseClosure, ReturnCaseReopenedV1
from returns.domain.case_state import ENDED, CaseBase, CaseStatus, not_before, not_in_the_future

DUBLIN_CLOSURES = frozenset({ReturnCaseClosure.DUBLIN_TRANSFER, ReturnCaseClosure.DUBLIN_DEADLINE_PASSED})


class Closing(CaseBase):
    """The closing and reopening part of a return case."""

    def supersede(self, *, decision_id: str, decided_on: date) -> bool:
        """A later decision granted protection: the removal order is no longer enforceable."""
        if self.closed:
            return False
        self.superseded_by = decision_id
        self._close(CaseStatus.CANCELLED, ReturnCaseClosure.PROTECTION_GRANTED, decided_on)
        return True

    def responsibility_moved(self, reason: ReturnCaseClosure, *, on: date) -> bool:
        """Under the Dublin Regulation the order is no longer the Agency's to enforce: transferred to the
        receiving state, or its deadline passed. A handed-over case is the Police's to close."""
        if reason not in DUBLIN_CLOSURES:
            raise ValueError(f"{reason} is not a Dublin closure")
        if self.closed:
            return False
        self._close(CaseStatus.CANCELLED, reason, on)
        return True

    def removed_by_police(self, *, on: date, destination_country: str) -> bool:
        """The Police carried out the removal (an enforced return); False if already recorded."""
        if self.removed_on is not None:
            return False
        self.removed_on, self.removed_to = on, destination_country
        return True

    def reopen(self, *, reason: ReopeningReason, reopened_on: date, today: date) -> ReturnCaseReopenedV1:
        """Open a closed case again: after a new examination without a permit, or a departure that
        did not happen. (The Police's rejection of a handover reopens the case by itself.)"""
        if reason is ReopeningReason.HANDOVER_REJECTED:
            raise InvalidInput("reason", "a case reopens on the Police's rejection by itself, not by hand")
        wanted = (
            (CaseStatus.CANCELLED, ReturnCaseClosure.NEW_EXAMINATION_ORDERED)
            if reason is ReopeningReason.NEW_EXAMINATION_REFUSED
            else (CaseStatus.DEPARTED, ReturnCaseClosure.VOLUNTARY_DEPARTURE)
        )
        if (self.status, self.closure_reason) != wanted:
            raise Conflict(
                reason="not_reopenable",
                message=f"return case {self.return_case_id} is {self.status.value}"
                f"{f' ({self.closure_reason.value})' if self.closure_reason else ''}: it reopens for "
                f"{reason.value} only when closed as {wanted[1].value}",
            )
        not_in_the_future("reopened_on", reopened_on, today)
        assert self.closed_on is not None
        not_before("reopened_on", reopened_on, self.closed_on, "the day the case was closed")
        if reason is ReopeningReason.DEPARTURE_NOT_CARRIED_OUT:
            self.departed_on = self.departed_to = None
        self.status, self.closed_on, self.closure_reason = CaseStatus.OPEN, None, None
        return ReturnCaseReopenedV1(
            return_case_id=self.return_case_id, reopened_on=reopened_on, reason=reason
        )

    def handover_returned(self, on: date) -> ReturnCaseReopenedV1:
        """The Police sent the handover back (see :mod:`.handover`): the case is the Agency's again."""
        return ReturnCaseReopenedV1(
            return_case_id=self.return_case_id, reopened_on=on, reason=ReopeningReason.HANDOVER_REJECTED
        )

    @property
    def ended(self) -> bool:
        return self.status in ENDED
