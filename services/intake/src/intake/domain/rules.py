"""The numbers intake's rules run on, configurable because the law changes (the EU pact).

Built from the service settings in ``bootstrap`` and handed to the domain explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

from intake.domain.dublin_status import DublinStatus


@dataclass(frozen=True)
class IntakeRules:
    decision_due_months: int = 6
    """An asylum application is to be decided within this many months of being lodged."""
    appeal_period_days: int = 21
    """A refusal without immediate enforcement gains legal force no earlier than this many days
    after the decision date, unless the applicant waived appeal."""
    transfer_months_normal: int = 6
    """Dublin III art. 29(1): transfer within 6 months of the acceptance."""
    transfer_months_imprisoned: int = 12
    """Dublin III art. 29(2): up to 12 months if the person is imprisoned."""
    transfer_months_absconded: int = 18
    """Dublin III art. 29(2): up to 18 months if the person absconds."""
    deciding_authority: str = "MIGRATIONSVERKET"
    """The code of the authority whose decision is enforced, unless the enforceability says another
    (a court's, when appealed)."""

    def __post_init__(self) -> None:
        for name in (
            "decision_due_months",
            "transfer_months_normal",
            "transfer_months_imprisoned",
            "transfer_months_absconded",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.appeal_period_days < 0:
            raise ValueError("appeal_period_days must not be negative")

    def transfer_months(self, status: DublinStatus) -> int:
        return {
            DublinStatus.NORMAL: self.transfer_months_normal,
            DublinStatus.IMPRISONED: self.transfer_months_imprisoned,
            DublinStatus.ABSCONDED: self.transfer_months_absconded,
        }[status]
