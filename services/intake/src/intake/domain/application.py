"""The asylum application aggregate: what intake registers and what follows from it.

Plain Python, no framework imports. Personal data (name, date of birth, sex, document
numbers) stay on the aggregate inside intake and travel only on the Agency's applicant topic;
the events on the application topic carry the pseudonymous references only.

Every deadline is computed here from the dates recorded and the configured ``IntakeRules``:
the decision due date, the Dublin transfer deadline, the earliest date a refusal can be
enforceable, and whether an inhibition is in force on a day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from handoff_plumbing.errors import Conflict, InvalidInput, NotFound
from handoff_schemas import Event
from handoff_schemas.events.intake import (
    DecisionEnforceableV1,
    IdentityCategory,
    InhibitionLiftedV1,
    InhibitionOrderedV1,
    Vulnerability,
)
from intake.domain import application_events as events
from intake.domain.applicant import (
    Applicant,
    IdentityDocument,
    identity_category,
    new_reference,
)
from intake.domain.decision import (
    ApplicationStatus,
    Decision,
    Grant,
    Refusal,
    check_refusal,
    earliest_enforceable_on,
    permit_for,
)
from intake.domain.dublin import DublinTransfer
from intake.domain.dublin_status import DublinStatus
from intake.domain.inhibition import Inhibition
from intake.domain.periods import (
    first_start_ending_on_or_after,
    last_start_ending_on_or_before,
    period_end,
)
from intake.domain.rules import IntakeRules


class HousingSteer(StrEnum):
    """Where the applicant is to be housed while the case runs (docs/domain.md, seed 002)."""

    NEAR_PLACE_OF_DEPARTURE = "near_place_of_departure"
    """Dublin cases and refusals with immediate enforcement: housing near an airport."""
    ORDINARY = "ordinary"
    """Ordinary reception housing."""


def lodged_on_window_for_decision_due(first: date, last: date, rules: IntakeRules) -> tuple[date, date]:
    """The lodging dates whose decision is due between ``first`` and ``last`` (both included).

    Empty when the first date is after the second. Listings use it to ask the database
    without storing the due date; the property tests hold it to ``decision_due_on``.
    """
    months = rules.decision_due_months
    return first_start_ending_on_or_after(first, months), last_start_ending_on_or_before(last, months)


def lodged_on_last_overdue(today: date, rules: IntakeRules) -> date:
    """Applications lodged on this date or earlier are overdue today if still undecided."""
    return last_start_ending_on_or_before(today - timedelta(days=1), rules.decision_due_months)


@dataclass
class Application:
    application_id: str
    person_ref: str
    applicant: Applicant
    lodged_on: date
    registered_at: datetime
    eurodac_hit: bool
    documents: list[IdentityDocument] = field(default_factory=list)
    vulnerabilities: list[Vulnerability] = field(default_factory=list)
    decision: Decision | None = None
    inhibitions: list[Inhibition] = field(default_factory=list)
    dublin_transfer: DublinTransfer | None = None

    # ------------------------------------------------------------------ registration

    @classmethod
    def register(
        cls,
        *,
        applicant: Applicant,
        lodged_on: date,
        eurodac_hit: bool,
        documents: list[IdentityDocument],
        vulnerabilities: list[Vulnerability],
        now: datetime,
    ) -> tuple[Application, list[Event]]:
        """Register an application; its events: registered (no personal data), identity recorded."""
        if lodged_on > now.date():
            raise InvalidInput("lodged_on", "must not be in the future")
        if applicant.date_of_birth > lodged_on:
            raise InvalidInput("applicant.date_of_birth", "must be before the date lodged")
        application = cls(
            application_id=new_reference("APP"),
            person_ref=new_reference("P"),
            applicant=applicant,
            lodged_on=lodged_on,
            registered_at=now,
            eurodac_hit=eurodac_hit,
            documents=list(documents),
            vulnerabilities=sorted(set(vulnerabilities)),
        )
        return application, [events.registered(application), events.identity_recorded(application, now)]

    @property
    def dublin_case(self) -> bool:
        """A Eurodac hit at application makes it a Dublin case."""
        return self.eurodac_hit

    @property
    def identity_category(self) -> IdentityCategory:
        return identity_category(self.documents)

    @property
    def housing_steer(self) -> HousingSteer:
        """Dublin cases and refusals with immediate enforcement go to housing near a place of
        departure; so does nobody who was granted a permit."""
        if self.decision is not None and self.decision.permit is not None:
            return HousingSteer.ORDINARY
        refusal = self.decision.refusal if self.decision is not None else None
        if self.dublin_case or (refusal is not None and refusal.immediate_enforcement):
            return HousingSteer.NEAR_PLACE_OF_DEPARTURE
        return HousingSteer.ORDINARY

    @property
    def status(self) -> ApplicationStatus:
        return ApplicationStatus.UNDECIDED if self.decision is None else self.decision.status

    # ------------------------------------------------------------------ the decision clock

    def decision_due_on(self, rules: IntakeRules) -> date:
        """The last day of the statutory decision period, counted from the date lodged."""
        return period_end(self.lodged_on, rules.decision_due_months)

    def is_overdue(self, today: date, rules: IntakeRules) -> bool:
        """Still undecided after its decision due date."""
        return self.decision is None and today > self.decision_due_on(rules)

    # ------------------------------------------------------------------ deciding

    def decide(
        self,
        *,
        decided_on: date,
        terms: Grant | Refusal,
        today: date,
        now: datetime,
    ) -> list[Event]:
        """Grant a permit or refuse with a removal order; only once."""
        if self.decision is not None:
            raise Conflict(
                f"application {self.application_id} was already decided on "
                f"{self.decision.decided_on.isoformat()} ({self.decision.outcome.value}, decision "
                f"{self.decision.decision_id}); an application is decided only once"
            )
        if decided_on > today:
            raise InvalidInput("decided_on", f"{decided_on.isoformat()} is in the future")
        if decided_on < self.lodged_on:
            raise InvalidInput(
                "decided_on",
                f"{decided_on.isoformat()} is before the application was lodged "
                f"({self.lodged_on.isoformat()})",
            )
        decision_id = new_reference("DEC")
        if isinstance(terms, Grant):
            permit = permit_for(terms, permit_id=new_reference("PRM"), decided_on=decided_on)
            self.decision = Decision(decision_id, decided_on, recorded_at=now, permit=permit)
            return [events.decision_made(self), events.permit_granted(self)]
        check_refusal(terms)
        self.decision = Decision(decision_id, decided_on, recorded_at=now, refusal=terms)
        return [events.decision_made(self)]

    def earliest_enforceable_on(self, *, appeal_waived: bool, rules: IntakeRules) -> date | None:
        """The first day the refusal can be enforceable; None unless refused."""
        if self.decision is None or self.decision.refusal is None:
            return None
        return earliest_enforceable_on(
            self.decision.decided_on,
            immediate_enforcement=self.decision.refusal.immediate_enforcement,
            appeal_waived=appeal_waived,
            rules=rules,
        )

    def make_enforceable(
        self,
        *,
        enforceable_on: date,
        appeal_waived: bool,
        today: date,
        now: datetime,
        rules: IntakeRules,
        legal_force_on: date | None = None,
        decided_by: str | None = None,
    ) -> list[Event]:
        """Record the date the refusal became enforceable; the same date again changes nothing."""
        decision = self.decision
        if decision is None:
            raise Conflict(
                f"application {self.application_id} is not decided: only a refusal becomes enforceable"
            )
        if decision.enforceable_on is not None and decision.enforceable_on == enforceable_on:
            return []
        refusal = decision.make_enforceable(
            enforceable_on=enforceable_on,
            appeal_waived=appeal_waived,
            today=today,
            now=now,
            rules=rules,
            legal_force_on=legal_force_on,
            decided_by=decided_by,
        )
        return [
            DecisionEnforceableV1(
                application_id=self.application_id,
                decision_id=decision.decision_id,
                person_ref=self.person_ref,
                enforceable_on=enforceable_on,
                removal_order=refusal.removal_order,
                immediate_enforcement=refusal.immediate_enforcement,
                destination_country=refusal.destination_country,
                legal_force_on=decision.legal_force_on,
                decided_by=decision.decided_by,
            )
        ]

    # ------------------------------------------------------------------ inhibitions

    def order_inhibition(
        self, *, court: str, ordered_on: date, today: date, now: datetime
    ) -> tuple[Inhibition, list[Event]]:
        """A court stayed enforcement of the removal order."""
        decision = self.decision
        if decision is None or decision.refusal is None:
            state = "not decided" if decision is None else "granted"
            raise Conflict(
                f"application {self.application_id} is {state}: there is no removal order whose "
                "enforcement an inhibition could stay"
            )
        if ordered_on > today:
            raise InvalidInput("ordered_on", f"{ordered_on.isoformat()} is in the future")
        if ordered_on < decision.decided_on:
            raise InvalidInput(
                "ordered_on",
                f"{ordered_on.isoformat()} is before the decision it stays "
                f"({decision.decided_on.isoformat()})",
            )
        inhibition = Inhibition(
            inhibition_id=new_reference("INH"),
            court=court,
            ordered_on=ordered_on,
            recorded_at=now,
            decision_id=decision.decision_id,
        )
        self.inhibitions.append(inhibition)
        event = InhibitionOrderedV1(
            application_id=self.application_id,
            inhibition_id=inhibition.inhibition_id,
            decision_id=inhibition.decision_id,
            court=court,
            ordered_on=ordered_on,
        )
        return inhibition, [event]

    def inhibition(self, inhibition_id: str) -> Inhibition:
        for inhibition in self.inhibitions:
            if inhibition.inhibition_id == inhibition_id:
                return inhibition
        raise NotFound("inhibition", inhibition_id)

    def lift_inhibition(
        self, inhibition_id: str, *, lifted_on: date, court: str | None, today: date, now: datetime
    ) -> tuple[Inhibition, list[Event]]:
        inhibition = self.inhibition(inhibition_id)
        if not inhibition.lift(lifted_on=lifted_on, court=court, today=today, now=now):
            return inhibition, []
        assert inhibition.lifted_by is not None
        event = InhibitionLiftedV1(
            application_id=self.application_id,
            inhibition_id=inhibition.inhibition_id,
            court=inhibition.lifted_by,
            lifted_on=lifted_on,
        )
        return inhibition, [event]

    def inhibition_in_force_on(self, day: date) -> bool:
        """Whether any court's stay of enforcement is in force on ``day``."""
        return any(inhibition.in_force_on(day) for inhibition in self.inhibitions)

    # ------------------------------------------------------------------ Dublin transfer

    def record_dublin_transfer(
        self,
        *,
        accepted_on: date | None,
        status: DublinStatus | None,
        today: date,
        receiving_state: str | None = None,
    ) -> bool:
        """Record the acceptance of the transfer and/or the person's status; False if nothing changed."""
        if not self.dublin_case:
            raise Conflict(
                f"application {self.application_id} is not a Dublin case (no Eurodac hit): it has no transfer"
            )
        changed = False
        if accepted_on is not None:
            changed = self._accept_transfer(accepted_on, today)
        transfer = self._transfer()
        if receiving_state is not None and receiving_state != transfer.receiving_state:
            transfer.receiving_state, changed = receiving_state, True
        if status is not None:
            changed = transfer.record_status(status) or changed
        return changed

    def _transfer(self) -> DublinTransfer:
        if self.dublin_transfer is None:
            raise Conflict(
                f"no transfer acceptance is recorded for application {self.application_id}: "
                "record accepted_on first; the time limit runs from it"
            )
        return self.dublin_transfer

    def transfer_carried_out(
        self, *, transferred_on: date, receiving_state: str | None, today: date, rules: IntakeRules
    ) -> list[Event]:
        """The person was transferred: the receiving state is responsible now."""
        transfer = self._transfer()
        if not transfer.carry_out(
            transferred_on=transferred_on, receiving_state=receiving_state, today=today, rules=rules
        ):
            return []
        return [events.transfer_carried_out(self, transfer, rules)]

    def transfer_lapsed(self, *, today: date, rules: IntakeRules) -> list[Event]:
        """The time limit passed without a transfer: this state is responsible (none if it has not)."""
        transfer = self.dublin_transfer
        if transfer is None or not transfer.lapse(today=today, rules=rules):
            return []
        return [events.transfer_deadline_passed(self, transfer, rules)]

    def _accept_transfer(self, accepted_on: date, today: date) -> bool:
        if self.dublin_transfer is not None:
            if self.dublin_transfer.accepted_on == accepted_on:
                return False
            raise Conflict(
                f"the transfer of application {self.application_id} was already accepted on "
                f"{self.dublin_transfer.accepted_on.isoformat()}"
            )
        if accepted_on > today:
            raise InvalidInput("accepted_on", f"{accepted_on.isoformat()} is in the future")
        if accepted_on < self.lodged_on:
            raise InvalidInput(
                "accepted_on",
                f"{accepted_on.isoformat()} is before the application was lodged "
                f"({self.lodged_on.isoformat()})",
            )
        self.dublin_transfer = DublinTransfer(accepted_on=accepted_on)
        return True

    def transfer_deadline(self, rules: IntakeRules) -> date | None:
        """The last day of the Dublin transfer, once the acceptance is recorded."""
        return self.dublin_transfer.deadline(rules) if self.dublin_transfer is not None else None
