"""A Dublin transfer: another Member State accepted responsibility; the transfer has a time limit.

Dublin III art. 29: 6 months from the acceptance, extended to at most 12 months if the
person is imprisoned or 18 months if the person absconds. An extension, once earned, is not
undone when the person is found or released: the deadline follows the longest period of any
status recorded since the acceptance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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

    def __post_init__(self) -> None:
        self.statuses_since_acceptance = self.statuses_since_acceptance | {self.status}

    def period_months(self, rules: IntakeRules) -> int:
        return transfer_months(self.statuses_since_acceptance, rules)

    def deadline(self, rules: IntakeRules) -> date:
        """The last day the transfer may be carried out."""
        return period_end(self.accepted_on, self.period_months(rules))

    def record_status(self, status: DublinStatus) -> bool:
        """Record the person's current status; False if it was already so (nothing changed)."""
        if status is self.status:
            return False
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
