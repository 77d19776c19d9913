"""Completeness and validity of a handover package: every missing or invalid item is listed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from handoff_schemas.events.police import HandoverAcceptedV1, HandoverRejectedV1, MissingItemProblem
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1
from police_handover.domain.enforcement_case import HandoverOutcome, answer_handover
from police_handover.domain.inhibition import Inhibition, InhibitionSource
from police_handover.domain.rules import PoliceHandoverRules

pytestmark = pytest.mark.unit
Package = Callable[..., CaseHandedOverToPoliceV1]


def items(answer_event: Any) -> dict[str, MissingItemProblem]:
    assert isinstance(answer_event, HandoverRejectedV1)
    return {item.item: item.problem for item in answer_event.missing}


def test_a_complete_package_is_accepted_with_the_department_of_its_area(
    now: datetime, package_at: Package, rules: PoliceHandoverRules
) -> None:
    package = package_at(now)
    answer = answer_handover(package, now=now, rules=rules)

    assert isinstance(answer.event, HandoverAcceptedV1)
    assert answer.record.outcome is HandoverOutcome.ACCEPTED
    assert answer.case is not None
    assert answer.event.enforcement_case_id == answer.case.enforcement_case_id
    assert answer.event.responsible_department == "POL-SYD"  # municipality 1280 is in county 12
    assert answer.case.lapses_on == package.enforceable_on.replace(year=package.enforceable_on.year + 4)
    assert not answer.case.suspended


def test_an_incomplete_package_is_rejected_listing_every_item(
    now: datetime, package_doc: Callable[..., dict[str, Any]], rules: PoliceHandoverRules
) -> None:
    today = now.date()
    document = package_doc(
        now,
        enforceable_on=(today + timedelta(days=3)).isoformat(),
        decisions=[],
        destination_country="XXX",
        travel_document_status="not_requested",
        last_known_address=None,
        counselling_history=[],
        inhibitions=[{"inhibition_id": "INH-1", "court": "MIGD-MALMO", "ordered_on": today.isoformat()}],
    )
    document["identity"]["identity_category"] = "documented"
    document["identity"]["documents"] = []
    package = CaseHandedOverToPoliceV1.model_validate(document)

    answer = answer_handover(package, now=now, rules=rules)

    assert answer.case is None
    assert answer.record.outcome is HandoverOutcome.REJECTED
    assert items(answer.event) == {
        "enforceable_on": MissingItemProblem.INVALID,
        "handed_over_at": MissingItemProblem.INCONSISTENT,
        "inhibitions[0]": MissingItemProblem.INVALID,
        "decisions": MissingItemProblem.MISSING,
        "identity.documents": MissingItemProblem.MISSING,
        "travel_document_status": MissingItemProblem.MISSING,
        "destination_country": MissingItemProblem.MISSING,
        "last_known_address": MissingItemProblem.MISSING,
        "counselling_history": MissingItemProblem.MISSING,
    }
    rejected = answer.event.model_dump_json()
    for personal in ("Testi", "1989-04-01", "TEST00001", "Testgatan"):
        assert personal not in rejected


def _day(now: datetime, offset: int) -> str:
    return (now.date() + timedelta(days=offset)).isoformat()


CASES: list[tuple[str, Callable[[dict[str, Any], datetime], None], str, MissingItemProblem]] = [
    (
        "lapsed",
        lambda d, now: d.update(
            enforceable_on="2022-01-01",
            handed_over_at=now.isoformat(),
            decisions=[{**d["decisions"][0], "decided_on": "2021-12-01"}],
        ),
        "enforceable_on",
        MissingItemProblem.INVALID,
    ),
    (
        "decision-after-enforceability",
        lambda d, now: d["decisions"][0].update(decided_on=_day(now, -1)),
        "decisions[0].decided_on",
        MissingItemProblem.INCONSISTENT,
    ),
    (
        "handed-over-in-future",
        lambda d, now: d.update(handed_over_at=(now + timedelta(days=1)).isoformat()),
        "handed_over_at",
        MissingItemProblem.INVALID,
    ),
    (
        "expired-passport",
        lambda d, now: d["identity"]["documents"][0].update(expires_on=_day(now, -1)),
        "identity.documents",
        MissingItemProblem.INCONSISTENT,
    ),
    (
        "travel-document-refused",
        lambda d, now: d.update(travel_document_status="refused"),
        "travel_document_status",
        MissingItemProblem.INVALID,
    ),
    (
        "undocumented-with-passport",
        lambda d, now: d["identity"].update(identity_category="undocumented"),
        "identity.identity_category",
        MissingItemProblem.INCONSISTENT,
    ),
    (
        "born-in-future",
        lambda d, now: d["identity"].update(date_of_birth=_day(now, 1)),
        "identity.date_of_birth",
        MissingItemProblem.INVALID,
    ),
    (
        "adult-unaccompanied-minor",
        lambda d, now: d.update(vulnerabilities=["unaccompanied_minor"]),
        "vulnerabilities",
        MissingItemProblem.INCONSISTENT,
    ),
    (
        "meeting-numbers",
        lambda d, now: d["counselling_history"][1].update(meeting_number=3),
        "counselling_history[1].meeting_number",
        MissingItemProblem.INCONSISTENT,
    ),
    (
        "meeting-after-handover",
        lambda d, now: d["counselling_history"][1].update(held_on=_day(now, 2)),
        "counselling_history[1].held_on",
        MissingItemProblem.INCONSISTENT,
    ),
    (
        "address-after-handover",
        lambda d, now: d["last_known_address"].update(known_on=_day(now, 2)),
        "last_known_address.known_on",
        MissingItemProblem.INCONSISTENT,
    ),
    (
        "lifted-before-ordered",
        lambda d, now: d["inhibitions"][0].update(lifted_on=_day(now, -36)),
        "inhibitions[0].lifted_on",
        MissingItemProblem.INCONSISTENT,
    ),
]


@pytest.mark.parametrize(("change", "item", "problem"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_rule_names_its_item(
    now: datetime,
    package_doc: Callable[..., dict[str, Any]],
    rules: PoliceHandoverRules,
    change: Callable[[dict[str, Any], datetime], None],
    item: str,
    problem: MissingItemProblem,
) -> None:
    document = package_doc(now)
    change(document, now)
    answer = answer_handover(CaseHandedOverToPoliceV1.model_validate(document), now=now, rules=rules)

    assert items(answer.event) == {item: problem}


def test_an_inhibition_known_from_intake_rejects_the_package_until_it_is_lifted(
    now: datetime, package_at: Package, rules: PoliceHandoverRules
) -> None:
    package = package_at(now)
    ordered = Inhibition(
        inhibition_id="INH-9",
        application_id=package.application_id,
        court="MIGD-GBG",
        ordered_on=date(2026, 11, 20),
        lifted_on=None,
        source=InhibitionSource.INTAKE,
    )
    rejected = answer_handover(package, now=now, rules=rules, known_inhibitions=[ordered])
    assert items(rejected.event) == {"inhibitions": MissingItemProblem.INVALID}
    assert "registered at intake" in rejected.event.missing[0].detail  # type: ignore[union-attr]

    lifted = Inhibition(**{**ordered.__dict__, "lifted_on": date(2026, 11, 22)})
    accepted = answer_handover(package, now=now, rules=rules, known_inhibitions=[lifted])
    assert isinstance(accepted.event, HandoverAcceptedV1)
    assert accepted.case is not None
    assert {i.inhibition_id for i in accepted.case.inhibitions} == {"INH-9", "INH-2026-0193"}


def test_a_lift_seen_at_intake_counts_even_if_the_package_says_in_force(
    now: datetime, package_doc: Callable[..., dict[str, Any]], rules: PoliceHandoverRules
) -> None:
    document = package_doc(now)
    document["inhibitions"][0]["lifted_on"] = None
    package = CaseHandedOverToPoliceV1.model_validate(document)
    lifted = Inhibition(
        "INH-2026-0193",
        package.application_id,
        "MIGD-MALMO",
        date(2026, 10, 19),
        date(2026, 11, 1),
        InhibitionSource.INTAKE,
    )

    assert isinstance(answer_handover(package, now=now, rules=rules).event, HandoverRejectedV1)
    assert isinstance(
        answer_handover(package, now=now, rules=rules, known_inhibitions=[lifted]).event, HandoverAcceptedV1
    )


def test_a_second_handover_of_a_case_being_enforced_is_rejected(
    now: datetime, package_at: Package, rules: PoliceHandoverRules
) -> None:
    first = package_at(now)
    case = answer_handover(first, now=now, rules=rules).case
    again = first.model_copy(update={"handover_id": "HO-again"})

    answer = answer_handover(again, now=now, rules=rules, open_case=case)

    assert items(answer.event) == {"return_case_id": MissingItemProblem.INCONSISTENT}


def test_lapse_period_is_configurable(
    now: datetime, package_doc: Callable[..., dict[str, Any]], policy_with: Callable[..., PoliceHandoverRules]
) -> None:
    package = CaseHandedOverToPoliceV1.model_validate(
        package_doc(now, enforceable_on="2024-11-01", handed_over_at=now.isoformat())
        | {"decisions": [{"decision_id": "DEC-1", "decided_by": "MIGD", "decided_on": "2024-10-01"}]}
    )
    assert isinstance(answer_handover(package, now=now, rules=policy_with()).event, HandoverAcceptedV1)
    rejected = answer_handover(package, now=now, rules=policy_with(lapse_years=2)).event
    assert items(rejected) == {"enforceable_on": MissingItemProblem.INVALID}
    assert "lapsed on 2026-11-01" in rejected.missing[0].detail  # type: ignore[union-attr]
