"""Value types shared by the events of several services: closed vocabularies and small parts.

Everything here is free of personal data: categories, bands and codes that let a reader
act on a case (or count cases) without learning who the person is.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

COUNTRY_CODE = r"^[A-Z]{3}$"
"""ISO 3166-1 alpha-3 country code, e.g. ``IRQ``."""

CURRENCY_CODE = r"^[A-Z]{3}$"
"""ISO 4217 currency code, e.g. ``SEK``."""

LANGUAGE_CODE = r"^[a-z]{2,3}$"
"""ISO 639-1 (two letters) or ISO 639-3 (three letters) language code, e.g. ``ar`` or ``prs``."""


CountryCode = Annotated[str, StringConstraints(pattern=COUNTRY_CODE)]
"""An item of a list of ISO 3166-1 alpha-3 country codes."""

Reference = Annotated[str, StringConstraints(min_length=1, max_length=64)]
"""An item of a list of ids or pseudonymous references."""

ShortText = Annotated[str, StringConstraints(min_length=1, max_length=500)]
"""An item of a list of short texts or codes (never personal data on a topic without it)."""


class EventPart(BaseModel):
    """A nested part of an event payload: closed and immutable, like the event itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class IdentityCategory(StrEnum):
    """How well the applicant's identity is established by the documents handed in."""

    DOCUMENTED = "documented"
    PARTLY_DOCUMENTED = "partly_documented"
    UNDOCUMENTED = "undocumented"


class IdentityDocumentKind(StrEnum):
    """The kind of an identity document handed in to the Migration Agency."""

    PASSPORT = "passport"
    NATIONAL_ID_CARD = "national_id_card"
    BIRTH_CERTIFICATE = "birth_certificate"
    OTHER = "other"


class Vulnerability(StrEnum):
    """Vulnerability categories identified systematically at intake (and kept up to date later)."""

    UNACCOMPANIED_MINOR = "unaccompanied_minor"
    CHILD_IN_FAMILY = "child_in_family"
    DISABILITY = "disability"
    SERIOUS_ILLNESS = "serious_illness"
    VICTIM_OF_TRAFFICKING = "victim_of_trafficking"
    MENTAL_HEALTH = "mental_health"


class AgeBand(StrEnum):
    """A person's age as a band: enough to act on, too coarse to identify anyone."""

    UNDER_12 = "under_12"
    AGE_12_17 = "12_17"
    AGE_18_25 = "18_25"
    AGE_26_64 = "26_64"
    AGE_65_PLUS = "65_plus"


class Sex(StrEnum):
    """A person's sex as registered."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class PermitType(StrEnum):
    """The kind of residence permit granted."""

    PERMANENT = "permanent"
    TEMPORARY = "temporary"


class RemovalOrderKind(StrEnum):
    """The kind of removal order in a refusal: refusal of entry (avvisning) or expulsion (utvisning)."""

    REFUSAL_OF_ENTRY = "refusal_of_entry"
    EXPULSION = "expulsion"


class Transport(StrEnum):
    """How a removal travels."""

    SCHEDULED_FLIGHT = "scheduled_flight"
    CHARTER = "charter"
    LAND = "land"
    SEA = "sea"


class SettlementNeed(StrEnum):
    """Needs that make a household harder to settle; they must not push it down the queue."""

    ACCESSIBLE_HOUSING = "accessible_housing"
    SPECIALIST_CARE = "specialist_care"
    LARGE_FAMILY = "large_family"
    LINKED_FAMILY = "linked_family"
    UNACCOMPANIED_MINOR = "unaccompanied_minor"
    MENTAL_HEALTH_SUPPORT = "mental_health_support"
    OTHER_MEDICAL_NEED = "other_medical_need"
