"""Rules of the application aggregate, driven without any framework."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff_schemas.events.intake import IdentityCategory
from intake.domain.application import (
    Applicant,
    Application,
    IdentityDocument,
    IdentityDocumentKind,
    InvalidApplication,
    identity_category,
)

pytestmark = pytest.mark.unit
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
APPLICANT = Applicant(full_name="A Person", date_of_birth=date(1990, 1, 1), nationality="AFG")

documents = st.lists(
    st.builds(IdentityDocument, kind=st.sampled_from(IdentityDocumentKind), number=st.text(min_size=1)),
    max_size=5,
)


@given(documents)
def test_identity_category_follows_the_documents_handed_in(docs: list[IdentityDocument]) -> None:
    kinds = {d.kind for d in docs}
    category = identity_category(docs)
    if kinds & {IdentityDocumentKind.PASSPORT, IdentityDocumentKind.NATIONAL_ID_CARD}:
        assert category is IdentityCategory.DOCUMENTED
    elif docs:
        assert category is IdentityCategory.PARTLY_DOCUMENTED
    else:
        assert category is IdentityCategory.UNDOCUMENTED


@given(eurodac=st.booleans())
def test_a_eurodac_hit_makes_a_dublin_case_and_the_event_carries_no_personal_data(eurodac: bool) -> None:
    application, event = Application.register(
        applicant=APPLICANT,
        lodged_on=date(2026, 11, 1),
        eurodac_hit=eurodac,
        documents=[IdentityDocument(IdentityDocumentKind.PASSPORT, "X1")],
        vulnerabilities=[],
        now=NOW,
    )
    assert event.dublin_case is eurodac
    assert application.person_ref != application.application_id
    dumped = event.model_dump_json()
    assert "A Person" not in dumped
    assert "1990-01-01" not in dumped
    assert "X1" not in dumped


def test_an_application_cannot_be_lodged_in_the_future() -> None:
    with pytest.raises(InvalidApplication) as error:
        Application.register(
            applicant=APPLICANT,
            lodged_on=date(2026, 11, 24),
            eurodac_hit=False,
            documents=[],
            vulnerabilities=[],
            now=NOW,
        )
    assert error.value.field == "lodged_on"
