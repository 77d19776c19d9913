"""What return counselling knows of an asylum application before any decision.

Returns keeps its own projection of intake's applications: the pseudonymous person
reference and the vulnerability categories decide, later, which deadlines a return case
gets (an unaccompanied minor's case may take 5 months rather than 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from handoff_schemas.events.intake import ApplicationRegisteredV1, Vulnerability


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
