"""The handover to the Police: only with an enforceable, unlapsed order, no inhibition in force,
and a complete package; the Police's answer closes or reopens the case.

The rules decide here; the package the Police receive is built from the case afterwards, in
:mod:`returns.domain.handover_package`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from handoff_plumbing.errors import Conflict, NotFound
from handoff_schemas.events.returns import HandoverGround
from handoff_schemas.events.returns_steps import ReturnCaseClosure
from returns.domain.applicant import Dossier
from returns.domain.case_state import CaseBase, CaseStatus, new_reference
from returns.domain.errors import IncompletePackage, Missing
from returns.domain.whereabouts import Address, check_address


class HandoverOutcome(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass
class Handover:
    handover_id: str
    grounds: HandoverGround
    handed_over_at: datetime
    handed_over_on: date
    outcome: HandoverOutcome = HandoverOutcome.PENDING
    answered_at: datetime | None = None
    enforcement_case_id: str | None = None
    responsible_department: str | None = None
    missing: tuple[Missing, ...] = ()


class HandingOver(CaseBase):
    """The handover part of a return case."""

    @property
    def latest_handover(self) -> Handover | None:
        return self.handovers[-1] if self.handovers else None

    @property
    def police_missing(self) -> tuple[Missing, ...]:
        """What the Police found missing, while the case is reopened after their rejection."""
        latest = self.latest_handover
        if self.status is CaseStatus.OPEN and latest and latest.outcome is HandoverOutcome.REJECTED:
            return latest.missing
        return ()

    def hand_over(
        self,
        *,
        grounds: HandoverGround,
        dossier: Dossier,
        now: datetime,
        today: date,
        address: Address | None = None,
    ) -> Handover:
        """Hand the case over, or refuse saying why; the package is built from the case after."""
        if self.status in (CaseStatus.DEPARTED, CaseStatus.HANDED_OVER):
            raise Conflict(
                reason="case_closed",
                message=f"return case {self.return_case_id} was closed ({self.status.value})",
            )
        pending = self.latest_handover
        if self.status is CaseStatus.AWAITING_POLICE and pending is not None:
            raise Conflict(
                reason="handover_pending",
                message=f"handover {pending.handover_id} is awaiting the Police's answer",
            )
        if not self.enforceable(today):
            why = (
                f"decision {self.superseded_by} granted protection"
                if self.superseded_by
                else f"it becomes enforceable on {self.enforceable_on.isoformat()}"
            )
            raise Conflict(reason="not_enforceable", message=f"the removal order is not enforceable: {why}")
        if self.order_lapsed(today):
            raise Conflict(
                reason="order_lapsed",
                message=f"the removal order lapsed on {self.order_lapses_on.isoformat()}",
            )
        in_force = self.inhibitions.in_force(today)
        if in_force:
            stay = in_force[0]
            raise Conflict(
                reason="inhibition_in_force",
                message=f"inhibition {stay.inhibition_id} ordered by {stay.court} on "
                f"{stay.ordered_on.isoformat()} "
                "is in force: enforcement is stayed",
            )
        if grounds is HandoverGround.ABSCONDED and self.absconding is None:
            raise Conflict(
                reason="not_absconded", message="the grounds are 'absconded' but no absconding is recorded"
            )
        if address is not None:
            check_address(address, today)
        known_address = address or self.last_known_address
        missing = self.package_gaps(grounds, dossier, known_address)
        if missing:
            raise IncompletePackage(missing)
        if address is not None:
            self.last_known_address = address
        handover = Handover(
            handover_id=new_reference("HO"), grounds=grounds, handed_over_at=now, handed_over_on=today
        )
        self.handovers.append(handover)
        self.status = CaseStatus.AWAITING_POLICE
        return handover

    def package_gaps(
        self, grounds: HandoverGround, dossier: Dossier, address: Address | None
    ) -> tuple[Missing, ...]:
        """What a handover package on ``grounds`` would lack; empty when it is complete."""
        gaps: list[Missing] = []
        if dossier.identity is None:
            gaps.append(
                Missing("identity", "intake has not recorded the person's identity and documents for returns")
            )
        elif dossier.identity.person_ref != self.person_ref:
            gaps.append(
                Missing(
                    "identity",
                    "the identity recorded for the application belongs to another person reference",
                    problem="inconsistent",
                )
            )
        if dossier.application is None:
            gaps.append(
                Missing(
                    "vulnerabilities",
                    f"the registration and vulnerability screening of {self.application_id} are not known",
                )
            )
        if not dossier.decisions:
            gaps.append(Missing("decisions", f"no decision on {self.application_id} is known to returns"))
        if grounds is HandoverGround.COERCION_NEEDED:
            if not self.meetings:
                gaps.append(
                    Missing("counselling_history", "no return counselling meeting is recorded on the case")
                )
            if address is None:
                gaps.append(Missing("last_known_address", "where the person lives or stays is not recorded"))
        return tuple(gaps)

    def handover(self, handover_id: str) -> Handover:
        for handover in self.handovers:
            if handover.handover_id == handover_id:
                return handover
        raise NotFound("handover", handover_id)

    def _answered(self, handover_id: str) -> Handover | None:
        latest = self.latest_handover
        if (
            latest is None
            or latest.handover_id != handover_id
            or latest.outcome is not HandoverOutcome.PENDING
        ):
            return None
        return latest

    def handover_accepted(
        self,
        *,
        handover_id: str,
        enforcement_case_id: str,
        responsible_department: str,
        accepted_at: datetime,
    ) -> bool:
        """The Police took the case over; an answer to an earlier or unknown handover changes nothing."""
        handover = self._answered(handover_id)
        if handover is None:
            return False
        handover.outcome = HandoverOutcome.ACCEPTED
        handover.answered_at = accepted_at
        handover.enforcement_case_id = enforcement_case_id
        handover.responsible_department = responsible_department
        if self.status is CaseStatus.AWAITING_POLICE:
            self._close(
                CaseStatus.HANDED_OVER, ReturnCaseClosure.HANDED_OVER_TO_POLICE, handover.handed_over_on
            )
        return True

    def handover_rejected(
        self, *, handover_id: str, missing: Sequence[Missing], rejected_at: datetime
    ) -> bool:
        """The Police sent the package back: the case reopens with what they found missing."""
        handover = self._answered(handover_id)
        if handover is None:
            return False
        handover.outcome = HandoverOutcome.REJECTED
        handover.answered_at = rejected_at
        handover.missing = tuple(missing)
        if self.status is CaseStatus.AWAITING_POLICE:
            self.status = CaseStatus.OPEN
        return True
