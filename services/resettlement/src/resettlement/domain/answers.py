"""What a municipality may give as its reason for declining a household, and what not.

Municipalities must not select away groups: nationality, religion, ethnicity, education,
family composition as such, special needs as a group... (docs/domain.md, seed 001). A decline names one
of the practical grounds of the contract (:class:`DeclineReason`) and explains it in its
own words. Three rules make a decline on a protected ground impossible to record:

1. a reason that *is* a protected ground is refused, naming the ground;
2. a practical ground must concern the household: "no accessible housing" only for a
   household that needs accessible housing, "no access to specialist care" only for one
   with a care need;
3. the explanation must not name a protected ground either (a short list of words in
   English, Swedish and Finnish, matched at word starts: a safety net, not a classifier).

Every refused attempt is itself recorded for the county board's follow-up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from handoff_plumbing.errors import InvalidInput
from handoff_schemas.events.common import SettlementNeed
from handoff_schemas.events.resettlement import DeclineReason
from resettlement.domain.needs import SPECIALIST_CARE_NEEDS


class ProtectedGround(StrEnum):
    """Grounds on which a municipality may never decline a household."""

    NATIONALITY = "nationality"
    RELIGION = "religion"
    ETHNICITY = "ethnicity"
    EDUCATION = "education"
    FAMILY_COMPOSITION = "family_composition"
    LANGUAGE = "language"
    SEX = "sex"
    AGE = "age"
    SEXUAL_ORIENTATION = "sexual_orientation"
    POLITICAL_OPINION = "political_opinion"
    SPECIAL_NEEDS = "special_needs"
    COST = "cost"


_WORDS: dict[ProtectedGround, tuple[str, ...]] = {
    ProtectedGround.NATIONALITY: (
        "nationalit",
        "citizenship",
        "country of origin",
        "medborgarskap",
        "ursprungsland",
        "kansalaisuu",
        "somali",
        "syrian",
        "afghan",
        "eritrean",
        "iraqi",
        "congolese",
        "sudanese",
    ),
    ProtectedGround.RELIGION: ("religio", "muslim", "christian", "islam", "kristen", "uskonto", "faith"),
    ProtectedGround.ETHNICITY: ("ethnic", "etnicitet", "etnisk", "etninen", "skin colo", "hudfärg"),
    ProtectedGround.EDUCATION: (
        "educat",
        "illitera",
        "schooling",
        "utbildning",
        "analfabet",
        "koulutu",
        "low-skilled",
        "low skilled",
    ),
    ProtectedGround.FAMILY_COMPOSITION: (
        "family composition",
        "familjesammansättning",
        "too many children",
        "för många barn",
        "single mother",
        "ensamstående mamma",
        "large famil",
        "stor familj",
        "stora familjer",
    ),
    ProtectedGround.SEXUAL_ORIENTATION: ("sexual orientation", "sexuell läggning", "lgbt", "homosexu"),
    ProtectedGround.POLITICAL_OPINION: ("political opinion", "politisk åsikt"),
    ProtectedGround.COST: ("too expensive", "för dyr", "costs too much", "kostar för mycket"),
}
_PATTERNS = {
    ground: re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + ")", re.IGNORECASE)
    for ground, words in _WORDS.items()
}

CARE_NEEDS = SPECIALIST_CARE_NEEDS | {SettlementNeed.OTHER_MEDICAL_NEED}


class RefusedDecline(InvalidInput):
    """A decline that would select away a group: refused, and recorded as an attempt."""

    def __init__(self, field: str, ground: str, message: str) -> None:
        super().__init__(field, message)
        self.ground = ground


def protected_ground_in(text: str) -> ProtectedGround | None:
    for ground, pattern in _PATTERNS.items():
        if pattern.search(text):
            return ground
    return None


def check_decline(reason: str, reason_text: str, household_needs: Iterable[SettlementNeed]) -> DeclineReason:
    """The practical ground of a decline, or :class:`RefusedDecline` naming the field at fault."""
    value = reason.strip().lower()
    if value in ProtectedGround.__members__.values():
        raise RefusedDecline(
            "reason",
            value,
            f"{value!r} is a protected ground: a municipality may not decline a household for it",
        )
    try:
        practical = DeclineReason(value)
    except ValueError:
        allowed = ", ".join(r.value for r in DeclineReason)
        raise InvalidInput("reason", f"unknown reason {reason!r}; one of: {allowed}") from None
    needs = set(household_needs)
    if practical is DeclineReason.NO_ACCESSIBLE_HOUSING and SettlementNeed.ACCESSIBLE_HOUSING not in needs:
        raise RefusedDecline(
            "reason",
            "special_needs",
            "the household does not need accessible housing: not a reason to decline it",
        )
    if practical is DeclineReason.NO_ACCESS_TO_SPECIALIST_CARE and not needs & CARE_NEEDS:
        raise RefusedDecline(
            "reason", "special_needs", "the household has no care need: not a reason to decline it"
        )
    ground = protected_ground_in(reason_text)
    if ground is not None:
        raise RefusedDecline(
            "reason_text",
            ground.value,
            f"the explanation names a protected ground ({ground.value}); "
            "a municipality may decline only on practical grounds",
        )
    return practical
