"""A Dublin transfer: another Member State accepted responsibility; the transfer has a time limit.

Dublin III art. 29: 6 months from the acceptance, extended to at most 12 months if the
person is imprisoned or 18 months if the person absconds. An extension, once earned, is not
undone when the person is found or released: the deadline follows the longest period of any
status recorded since the acceptance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from handoff_plumbing.errors import Conflict, InvalidInput
from intake.domain.dublin_status import DublinStatus
from intake.domain.periods import (
    first_start_ending_on_or_after,
    last_start_ending_on_or_before,
    period_end,
)
from intake.domain.rules import IntakeRules


def transfer_months(statuses: frozenset[DublinStatus], rules: IntakeRules) -> int:
    """The period that applies when the person has had ``statuses`` since the acceptance."""
    return max(rules.transfer_months(status) for status in statuses | {DublinStatus.NORMAL})


@dataclass
class DublinTransfer:
    accepted_on: date
    status: DublinStatus = DublinStatus.NORMAL
    statuses_since_acceptance: frozenset[DublinStatus] = field(
        default_factory=lambda: frozenset({DublinStatus.NORMAL})
    )
    receiving_state: str | None = None
    """The Member State that accepted responsibility (ISO 3166-1 alpha-3), once recorded."""
    transferred_on: date | None = None
    """The person was handed over to the receiving state on this day: it is responsible now."""
    responsible_from: date | None = None
    """The time limit passed without a transfer: this state is responsible from this day."""

    def __post_init__(self) -> None:
        self.statuses_since_acceptance = self.statuses_since_acceptance | {self.status}

    def period_months(self, rules: IntakeRules) -> int:
        return transfer_months(self.statuses_since_acceptance, rules)

    def deadline(self, rules: IntakeRules) -> date:
        """The last day the transfer may be carried out."""
        return period_end(self.accepted_on, self.period_months(rules))

    @property
    def ended(self) -> bool:
        return self.transferred_on is not None or self.responsible_from is not None

    def carry_out(
        self, *, transferred_on: date, receiving_state: str | None, today: date, rules: IntakeRules
    ) -> bool:
        """The transfer was carried out; False if this very transfer was recorded already."""
        state = receiving_state or self.receiving_state
        if self.transferred_on is not None and (self.transferred_on, self.receiving_state) == (
            transferred_on,
            state,
        ):
            return False
        self._ensure_open()
        if state is None:
            raise InvalidInput("receiving_state", "name the Member State that took the person over")
        if transferred_on > today:
            raise InvalidInput("transferred_on", f"{transferred_on.isoformat()} is in the future")
        if not self.accepted_on <= transferred_on <= self.deadline(rules):
            raise InvalidInput(
                "transferred_on",
                f"{transferred_on.isoformat()} is outside the time limit, from the acceptance "
                f"{self.accepted_on.isoformat()} to {self.deadline(rules).isoformat()}",
            )
        self.receiving_state, self.transferred_on = state, transferred_on
        return True

    def lapse(self, *, today: date, rules: IntakeRules) -> bool:
        """The time limit passed without a transfer; False unless it did, and newly so."""
        if self.ended or today <= self.deadline(rules):
            return False
        self.responsible_from = self.deadline(rules) + timedelta(days=1)
        return True

    def _ensure_open(self) -> None:
        if self.transferred_on is not None:
            raise Conflict(f"the transfer was carried out on {self.transferred_on.isoformat()}")
        if self.responsible_from is not None:
            raise Conflict(
                f"the transfer's time limit passed: this state is responsible since "
                f"{self.responsible_from.isoformat()}"
            )

    def record_status(self, status: DublinStatus) -> bool:
        """Record the person's current status; False if it was already so (nothing changed)."""
        if status is self.status:
            return False
        self._ensure_open()
        self.status = status
        self.statuses_since_acceptance = self.statuses_since_acceptance | {status}
        return True


def accepted_on_windows(
    first: date, last: date, rules: IntakeRules
) -> list[tuple[frozenset[DublinStatus], date, date]]:
    """For each set of statuses a transfer can have had, the acceptance dates whose deadline
    falls between ``first`` and ``last`` (both included). Listings ask the database with these;
    the property tests hold them to ``DublinTransfer.deadline``."""
    windows = []
    for extra in (
        frozenset(),
        frozenset({DublinStatus.IMPRISONED}),
        frozenset({DublinStatus.ABSCONDED}),
        frozenset({DublinStatus.IMPRISONED, DublinStatus.ABSCONDED}),
    ):
        statuses = extra | {DublinStatus.NORMAL}
        months = transfer_months(statuses, rules)
        windows.append(
            (
                statuses,
                first_start_ending_on_or_after(first, months),
                last_start_ending_on_or_before(last, months),
            )
        )
    return windows
