"""Personal identity parts: only for events on topics declared to carry personal data.

Every field that identifies the person is marked ``x-personal-data`` (``personal(...)``):
the log redaction and the access rules read these marks.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from handoff_schemas.base import personal
from handoff_schemas.events.common import COUNTRY_CODE, EventPart, IdentityCategory, IdentityDocumentKind, Sex


class IdentityDocument(EventPart):
    """One identity document of the person, as the Agency holds or has seen it."""

    kind: IdentityDocumentKind = Field(description="The kind of document.")
    document_number: str = personal(
        "The document's number.", min_length=1, max_length=64, examples=["X1234567"]
    )
    issuing_country: str = personal(
        "ISO 3166-1 alpha-3 code of the country that issued the document.",
        pattern=COUNTRY_CODE,
        examples=["IRQ"],
    )
    expires_on: date | None = personal("The document's expiry date; null if it has none.", default=None)
    original_held_by_agency: bool = Field(
        description="The Agency holds the original document and hands it over with the case."
    )


class PersonIdentity(EventPart):
    """The person's identity as established (or stated) at the Migration Agency."""

    full_name: str = personal("The person's full name.", min_length=1, max_length=200)
    other_names: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = personal(
        "Other names or spellings the person has used (aliases).", default_factory=list
    )
    date_of_birth: date = personal("The person's date of birth (as established or stated).")
    sex: Sex = personal("The person's sex as registered.")
    nationality: str = personal(
        "ISO 3166-1 alpha-3 code of the person's nationality (XXX if stateless or unknown).",
        pattern=COUNTRY_CODE,
        examples=["IRQ"],
    )
    identity_category: IdentityCategory = Field(
        description="How well the identity is established by the documents handed in."
    )
    documents: list[IdentityDocument] = personal(
        "The person's identity documents; empty if none was handed in.", default_factory=list
    )
