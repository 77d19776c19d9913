"""The vulnerability precautions checklist of a removal plan (seeds 003, 004).

Preparing a removal must take account of recovery time after a health-care procedure,
medicines and patient records, victims of trafficking, the best interests of a child, and
measures by child protection or health care. Which precautions apply follows from the
person's vulnerabilities and age; an applicable one is ``pending`` until the Police mark it
``done``, and cannot be waved away as ``not_applicable``. A removal is not carried out while
any precaution is pending.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from handoff_plumbing.errors import InvalidInput
from handoff_schemas.events.common import Vulnerability
from handoff_schemas.events.police import Precaution, PrecautionStatus

CHILD = frozenset({Vulnerability.UNACCOMPANIED_MINOR, Vulnerability.CHILD_IN_FAMILY})
HEALTH = frozenset({Vulnerability.SERIOUS_ILLNESS, Vulnerability.MENTAL_HEALTH})

REQUIRED_BY: dict[Precaution, frozenset[Vulnerability]] = {
    Precaution.RECOVERY_TIME_AFTER_MEDICAL_PROCEDURE: frozenset({Vulnerability.SERIOUS_ILLNESS}),
    Precaution.MEDICINES_AND_PATIENT_RECORDS_PACKED: HEALTH | {Vulnerability.DISABILITY},
    Precaution.VICTIM_OF_TRAFFICKING_CONSIDERED: frozenset({Vulnerability.VICTIM_OF_TRAFFICKING}),
    Precaution.BEST_INTERESTS_OF_CHILD_ASSESSED: CHILD,
    Precaution.CHILD_PROTECTION_OR_HEALTH_CARE_MEASURES_KNOWN: CHILD | HEALTH,
}
FOR_EVERY_MINOR = frozenset(
    {Precaution.BEST_INTERESTS_OF_CHILD_ASSESSED, Precaution.CHILD_PROTECTION_OR_HEALTH_CARE_MEASURES_KNOWN}
)

Checklist = dict[Precaution, PrecautionStatus]


def applicable(vulnerabilities: Iterable[Vulnerability], *, minor: bool) -> frozenset[Precaution]:
    known = set(vulnerabilities)
    found = {precaution for precaution, causes in REQUIRED_BY.items() if causes & known}
    if minor:
        found |= FOR_EVERY_MINOR
    return frozenset(found)


def checklist(
    vulnerabilities: Iterable[Vulnerability],
    *,
    minor: bool,
    given: Mapping[Precaution, PrecautionStatus] | None = None,
    previous: Mapping[Precaution, PrecautionStatus] | None = None,
) -> Checklist:
    """Every precaution once, in a fixed order: what was given, else what it was, else the default."""
    required = applicable(vulnerabilities, minor=minor)
    given = given or {}
    previous = previous or {}
    result: Checklist = {}
    for precaution in Precaution:
        status = given.get(precaution)
        if status is None:
            status = previous.get(precaution)
            if status is None or (precaution in required and status is PrecautionStatus.NOT_APPLICABLE):
                status = (
                    PrecautionStatus.PENDING if precaution in required else PrecautionStatus.NOT_APPLICABLE
                )
        elif precaution in required and status is PrecautionStatus.NOT_APPLICABLE:
            raise InvalidInput(
                f"precautions.{precaution.value}",
                "applies to this person (vulnerabilities or age); it is pending or done, not not_applicable",
            )
        result[precaution] = status
    return result


def pending(items: Mapping[Precaution, PrecautionStatus]) -> list[Precaution]:
    return [precaution for precaution, status in items.items() if status is PrecautionStatus.PENDING]
