"""Re-establishment support: applications decided within two weeks of their arrival."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.returns import ReEstablishmentSupportDecidedV1
from returns.domain.case_state import CaseBase, new_reference, not_before, not_in_the_future
from returns.domain.errors import unknown
from returns.domain.rules import ReturnsRules


@dataclass
class SupportApplication:
    """An application for re-establishment support, to be decided within two weeks of its arrival."""

    support_application_id: str
    arrived_on: date
    due_on: date
    decided_on: date | None = None
    granted: bool | None = None
    amount: int | None = None
    currency: str | None = None

    @property
    def decided(self) -> bool:
        return self.decided_on is not None


class Support(CaseBase):
    """The re-establishment support part of a return case."""

    def apply_for_support(self, *, arrived_on: date, today: date, rules: ReturnsRules) -> SupportApplication:
        self._require_active("a support application")
        not_in_the_future("arrived_on", arrived_on, today)
        for earlier in self.support_applications:
            if not earlier.decided:
                raise Conflict(
                    reason="support_application_pending",
                    message=f"support application {earlier.support_application_id} (arrived "
                    f"{earlier.arrived_on.isoformat()}) is not decided yet",
                )
            if earlier.granted:
                raise Conflict(
                    reason="support_already_granted",
                    message=f"re-establishment support was granted on {earlier.support_application_id}",
                )
        application = SupportApplication(
            support_application_id=new_reference("RES"),
            arrived_on=arrived_on,
            due_on=rules.support_decision_due(arrived_on),
        )
        self.support_applications.append(application)
        return application

    def support_application(self, support_application_id: str) -> SupportApplication:
        for application in self.support_applications:
            if application.support_application_id == support_application_id:
                return application
        raise unknown("support application", support_application_id, field="support_application_id")

    def decide_support(
        self,
        support_application_id: str,
        *,
        decided_on: date,
        granted: bool,
        amount: int | None,
        currency: str | None,
        today: date,
    ) -> ReEstablishmentSupportDecidedV1:
        """Decide an application; allowed after the departure too (the support follows the return)."""
        application = self.support_application(support_application_id)
        if application.decided_on is not None:
            raise Conflict(
                reason="support_already_decided",
                message=f"support application {support_application_id} was decided on "
                f"{application.decided_on.isoformat()}",
            )
        not_in_the_future("decided_on", decided_on, today)
        not_before("decided_on", decided_on, application.arrived_on, "the day the application arrived")
        if amount is not None and not granted:
            raise InvalidInput("amount", "a refused application has no amount")
        if amount is not None and amount < 0:
            raise InvalidInput("amount", "must not be negative")
        application.decided_on = decided_on
        application.granted = granted
        application.amount = amount
        application.currency = currency if amount is not None else None
        return ReEstablishmentSupportDecidedV1(
            return_case_id=self.return_case_id,
            support_application_id=support_application_id,
            applied_on=application.arrived_on,
            decided_on=decided_on,
            granted=granted,
            amount=application.amount,
            currency=application.currency,
        )
