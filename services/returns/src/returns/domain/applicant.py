"""What return counselling knows of an asylum application, learned from intake's events.

Returns keeps its own projection of intake's applications: the pseudonymous person
reference and the vulnerability categories (an unaccompanied minor's case may take 5
months rather than 2), the decisions the removal rests on, and, from intake's applicant
topic, the person's identity and documents. The identity is personal data: it stays in
returns' own database and leaves it only in the package handed over to the Police.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from handoff_schemas.events.identity import PersonIdentity
from handoff_schemas.events.intake import ApplicationRegisteredV1, DecisionOutcome, Vulnerability


@dataclass(frozen=True)
class KnownApplication:
    application_id: str
    person_ref: str
    lodged_on: date
    dublin_case: bool
    vulnerabilities: tuple[Vulnerability, ...]
    learned_at: datetime

    @classmethod
    def from_event(cls, event: ApplicationRegisteredV1, *, now: datetime) -> KnownApplication:
        return cls(
            application_id=event.application_id,
            person_ref=event.person_ref,
            lodged_on=event.lodged_on,
            dublin_case=event.dublin_case,
            vulnerabilities=tuple(sorted(event.vulnerabilities)),
            learned_at=now,
        )

    @property
    def unaccompanied_minor(self) -> bool:
        return Vulnerability.UNACCOMPANIED_MINOR in self.vulnerabilities


@dataclass(frozen=True)
class RecordedIdentity:
    """The applicant's identity as intake last recorded it (personal data)."""

    application_id: str
    person_ref: str
    identity: PersonIdentity
    recorded_at: datetime

    def supersedes(self, other: RecordedIdentity | None) -> bool:
        """A correction replaces what intake recorded earlier, never what it recorded later."""
        return other is None or self.recorded_at >= other.recorded_at


@dataclass(frozen=True)
class DecisionRecord:
    """A decision on the application, kept as a reference for the handover package."""

    decision_id: str
    application_id: str
    decided_on: date
    decided_by: str
    outcome: DecisionOutcome
    destination_country: str | None = None
    """The country of return a refusal names."""


@dataclass(frozen=True)
class Dossier:
    """Everything returns knows of the application that a handover package draws on."""

    application: KnownApplication | None = None
    identity: RecordedIdentity | None = None
    decisions: tuple[DecisionRecord, ...] = field(default_factory=tuple)
