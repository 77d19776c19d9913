"""Rules of the application aggregate, driven without any framework."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.common import AgeBand, IdentityDocumentKind, PermitType, RemovalOrderKind, Sex
from handoff_schemas.events.intake import (
    ApplicantIdentityRecordedV1,
    ApplicationRegisteredV1,
    IdentityCategory,
)
from intake.domain.applicant import Applicant, IdentityDocument, identity_category
from intake.domain.application import Application, HousingSteer
from intake.domain.decision import ApplicationStatus, Grant, Household, Refusal
from intake.domain.rules import IntakeRules

pytestmark = pytest.mark.unit
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
APPLICANT = Applicant(full_name="A Person", date_of_birth=date(1990, 1, 1), nationality="AFG", sex=Sex.MALE)

documents = st.lists(
    st.builds(IdentityDocument, kind=st.sampled_from(IdentityDocumentKind), number=st.text(min_size=1)),
    max_size=5,
)


def registered(*, eurodac: bool = False, docs: list[IdentityDocument] | None = None) -> Application:
    application, _ = Application.register(
        applicant=APPLICANT,
        lodged_on=date(2026, 6, 1),
        eurodac_hit=eurodac,
        documents=docs if docs is not None else [],
        vulnerabilities=[],
        now=NOW,
    )
    return application


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
    application, [event, _] = Application.register(
        applicant=APPLICANT,
        lodged_on=date(2026, 11, 1),
        eurodac_hit=eurodac,
        documents=[IdentityDocument(IdentityDocumentKind.PASSPORT, "X1")],
        vulnerabilities=[],
        now=NOW,
    )
    assert isinstance(event, ApplicationRegisteredV1)
    assert event.dublin_case is eurodac
    assert application.person_ref != application.application_id
    dumped = event.model_dump_json()
    assert "A Person" not in dumped
    assert "1990-01-01" not in dumped
    assert "X1" not in dumped


def test_registration_records_the_identity_for_the_agency_with_unknown_countries_marked() -> None:
    passport = IdentityDocument(
        IdentityDocumentKind.PASSPORT,
        "X1",
        issuing_country="AFG",
        expires_on=date(2030, 1, 31),
        original_held_by_agency=True,
    )
    paper = IdentityDocument(IdentityDocumentKind.BIRTH_CERTIFICATE, "B2")
    application, [_, identity] = Application.register(
        applicant=APPLICANT,
        lodged_on=date(2026, 11, 1),
        eurodac_hit=False,
        documents=[passport, paper],
        vulnerabilities=[],
        now=NOW,
    )
    assert isinstance(identity, ApplicantIdentityRecordedV1)
    assert identity.application_id == application.application_id
    assert identity.person_ref == application.person_ref
    assert identity.recorded_at == NOW
    person = identity.identity
    assert (person.full_name, person.date_of_birth, person.sex, person.nationality) == (
        "A Person",
        date(1990, 1, 1),
        Sex.MALE,
        "AFG",
    )
    assert person.identity_category is IdentityCategory.DOCUMENTED
    first, second = person.documents
    assert (first.document_number, first.issuing_country, first.expires_on) == (
        "X1",
        "AFG",
        date(2030, 1, 31),
    )
    assert first.original_held_by_agency is True
    assert (second.document_number, second.issuing_country, second.expires_on) == ("B2", "XXX", None)


def test_an_application_cannot_be_lodged_in_the_future() -> None:
    with pytest.raises(InvalidInput) as error:
        Application.register(
            applicant=APPLICANT,
            lodged_on=date(2026, 11, 24),
            eurodac_hit=False,
            documents=[],
            vulnerabilities=[],
            now=NOW,
        )
    assert error.value.field == "lodged_on"


REFUSALS = st.builds(
    Refusal,
    removal_order=st.sampled_from(RemovalOrderKind),
    destination_country=st.just("AFG"),
    immediate_enforcement=st.booleans(),
)


@given(eurodac=st.booleans(), refusal=st.none() | REFUSALS, granted=st.booleans())
def test_dublin_cases_and_immediate_refusals_are_housed_near_a_place_of_departure(
    eurodac: bool, refusal: Refusal | None, granted: bool
) -> None:
    application = registered(eurodac=eurodac)
    assert application.housing_steer is (
        HousingSteer.NEAR_PLACE_OF_DEPARTURE if eurodac else HousingSteer.ORDINARY
    )
    terms: Grant | Refusal | None = refusal
    if granted:
        terms = Grant(PermitType.PERMANENT, Household(size=1))
    if terms is None:
        return
    if isinstance(terms, Refusal) and terms.immediate_enforcement:
        terms = Refusal(RemovalOrderKind.REFUSAL_OF_ENTRY, "AFG", immediate_enforcement=True)
    application.decide(decided_on=TODAY, terms=terms, today=TODAY, now=NOW)
    if isinstance(terms, Grant):
        expected = HousingSteer.ORDINARY
    elif eurodac or terms.immediate_enforcement:
        expected = HousingSteer.NEAR_PLACE_OF_DEPARTURE
    else:
        expected = HousingSteer.ORDINARY
    assert application.housing_steer is expected


def test_an_application_is_decided_once_and_only_refusals_become_enforceable() -> None:
    application = registered()
    assert application.status is ApplicationStatus.UNDECIDED
    events = application.decide(
        decided_on=TODAY,
        terms=Grant(PermitType.TEMPORARY, Household(size=1), valid_until=date(2027, 11, 22)),
        today=TODAY,
        now=NOW,
    )
    assert [e.event_type for e in events] == [
        "handoff.intake.decision-made.v1",
        "handoff.intake.residence-permit-granted.v1",
    ]
    assert application.status is ApplicationStatus.GRANTED
    with pytest.raises(Conflict, match="already decided"):
        application.decide(
            decided_on=TODAY, terms=Refusal(RemovalOrderKind.EXPULSION, "AFG"), today=TODAY, now=NOW
        )
    with pytest.raises(Conflict, match="only refusals become enforceable"):
        application.make_enforceable(
            enforceable_on=TODAY, appeal_waived=True, today=TODAY, now=NOW, rules=IntakeRules()
        )


def test_immediate_enforcement_belongs_to_a_refusal_of_entry_only() -> None:
    with pytest.raises(InvalidInput) as error:
        registered().decide(
            decided_on=TODAY,
            terms=Refusal(RemovalOrderKind.EXPULSION, "AFG", immediate_enforcement=True),
            today=TODAY,
            now=NOW,
        )
    assert error.value.field == "immediate_enforcement"


@pytest.mark.parametrize(
    ("grant", "field"),
    [
        (Grant(PermitType.PERMANENT, Household(size=1), valid_until=date(2030, 1, 1)), "valid_until"),
        (Grant(PermitType.TEMPORARY, Household(size=1)), "valid_until"),
        (
            Grant(PermitType.TEMPORARY, Household(size=1), valid_until=date(2026, 11, 1)),
            "valid_until",
        ),
        (Grant(PermitType.PERMANENT, Household(size=1), valid_from=date(2026, 11, 1)), "valid_from"),
        (Grant(PermitType.PERMANENT, Household(size=0)), "household.size"),
        (
            Grant(PermitType.PERMANENT, Household(size=1, age_bands=(AgeBand.AGE_26_64, AgeBand.UNDER_12))),
            "household.age_bands",
        ),
    ],
    ids=[
        "permanent-with-end",
        "temporary-without-end",
        "ends-before-start",
        "before-decision",
        "empty",
        "bands",
    ],
)
def test_a_permit_is_consistent(grant: Grant, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        registered().decide(decided_on=TODAY, terms=grant, today=TODAY, now=NOW)
    assert error.value.field == field
