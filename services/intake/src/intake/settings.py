"""Intake's settings: the plumbing's, plus the numbers of its rules (one environment variable each)."""

from __future__ import annotations

from pydantic import Field

from handoff_plumbing.settings import Settings
from intake.domain.rules import IntakeRules

DEFAULT_RULES = IntakeRules()


class IntakeSettings(Settings):
    """Intake's settings; each field is read from its upper-case environment variable."""

    service_name: str = "intake"
    http_port: int = 8001
    decision_due_months: int = Field(
        default=DEFAULT_RULES.decision_due_months,
        ge=1,
        description="DECISION_DUE_MONTHS: an application is to be decided within this many months of "
        "being lodged.",
    )
    appeal_period_days: int = Field(
        default=DEFAULT_RULES.appeal_period_days,
        ge=0,
        description="APPEAL_PERIOD_DAYS: a refusal without immediate enforcement gains legal force no "
        "earlier than this many days after the decision date, unless appeal was waived.",
    )
    dublin_transfer_months: int = Field(
        default=DEFAULT_RULES.transfer_months_normal,
        ge=1,
        description="DUBLIN_TRANSFER_MONTHS: transfer time limit from the acceptance (Dublin III art. 29).",
    )
    dublin_transfer_months_imprisoned: int = Field(
        default=DEFAULT_RULES.transfer_months_imprisoned,
        ge=1,
        description="DUBLIN_TRANSFER_MONTHS_IMPRISONED: the time limit if the person is imprisoned.",
    )
    dublin_transfer_months_absconded: int = Field(
        default=DEFAULT_RULES.transfer_months_absconded,
        ge=1,
        description="DUBLIN_TRANSFER_MONTHS_ABSCONDED: the time limit if the person absconds.",
    )

    deciding_authority: str = Field(
        default=DEFAULT_RULES.deciding_authority,
        min_length=1,
        max_length=64,
        description="DECIDING_AUTHORITY: the code of the authority whose decisions are enforced, unless the "
        "enforceability names another (a court's, when appealed).",
    )

    def rules(self) -> IntakeRules:
        return IntakeRules(
            decision_due_months=self.decision_due_months,
            appeal_period_days=self.appeal_period_days,
            transfer_months_normal=self.dublin_transfer_months,
            transfer_months_imprisoned=self.dublin_transfer_months_imprisoned,
            transfer_months_absconded=self.dublin_transfer_months_absconded,
            deciding_authority=self.deciding_authority,
        )
