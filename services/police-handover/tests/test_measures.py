"""Detention (capacity, reviews, the unaccompanied-minor rule) and lighter measures."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.police import DetentionGround, PrecautionaryMeasure
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1
from police_handover.domain.enforcement_case import EnforcementCase, answer_handover
from police_handover.domain.errors import IllegalTransition
from police_handover.domain.measures import (
    Detention,
    LighterMeasure,
    LighterMeasureEndReason,
    LighterMeasureKind,
    current_measure,
)
from police_handover.domain.rules import PoliceHandoverRules

pytestmark = pytest.mark.unit
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
EXAMPLE: dict[str, Any] = json.loads(
    (
        Path(__file__).resolve().parents[3]
        / "shared/schemas/examples/handoff.returns.case-handed-over-to-police.v1.json"
    ).read_text(encoding="utf-8")
)["data"]


def rules_with(
    facilities: dict[str, int] | None = None, intervals: tuple[int, ...] = (4, 14)
) -> PoliceHandoverRules:
    return PoliceHandoverRules(
        departments=("POL-SYD",),
        default_department="POL-SYD",
        facilities=facilities or {"FV-A": 2, "FV-B": 3},
        review_intervals_days=intervals,
    )


def a_case(
    *, born: str = "1989-04-01", vulnerabilities: list[str] | None = None, n: int = 0
) -> EnforcementCase:
    document = json.loads(json.dumps(EXAMPLE))
    document["return_case_id"] = f"RC-{n}"
    document["identity"]["date_of_birth"] = born
    document["vulnerabilities"] = vulnerabilities or []
    case = answer_handover(
        CaseHandedOverToPoliceV1.model_validate(document), now=NOW, rules=rules_with()
    ).case
    assert case is not None
    return case


def test_the_default_configuration_has_two_units_with_109_places() -> None:
    from police_handover.bootstrap import PoliceHandoverSettings

    configured = PoliceHandoverSettings().rules()
    assert len(configured.facilities) == 2
    assert configured.total_capacity == 109


@settings(max_examples=60, deadline=None)
@given(
    capacities=st.fixed_dictionaries({"FV-A": st.integers(0, 3), "FV-B": st.integers(0, 3)}),
    steps=st.lists(
        st.tuples(st.sampled_from(["order", "end"]), st.sampled_from(["FV-A", "FV-B"]), st.integers(0, 7)),
        max_size=25,
    ),
)
def test_no_facility_is_ever_filled_beyond_its_capacity(
    capacities: dict[str, int], steps: list[tuple[str, str, int]]
) -> None:
    rules = rules_with(capacities)
    cases = [a_case(n=n) for n in range(8)]
    held: dict[int, Detention] = {}  # case index -> detention in force
    for action, facility, index in steps:
        if action == "end":
            detention = held.pop(index, None)
            if detention is not None:
                detention.end(reason=detention.end_reason or _released(), now=NOW)
            continue
        occupied = sum(1 for d in held.values() if d.facility == facility)
        refused = False
        try:
            detention, event = Detention.order(
                case=cases[index],
                facility=facility,
                ground=DetentionGround.RISK_OF_ABSCONDING,
                now=NOW,
                rules=rules,
                occupied=occupied,
                case_detained=index in held,
            )
        except Conflict:
            refused = True
        if refused:
            assert index in held or occupied >= capacities[facility]
            continue
        assert occupied < capacities[facility]
        assert index not in held
        held[index] = detention
        assert event.facility == facility
        for name, capacity in capacities.items():
            assert sum(1 for d in held.values() if d.facility == name) <= capacity


def _released() -> Any:
    from handoff_schemas.events.police import DetentionEndReason

    return DetentionEndReason.RELEASED_BY_POLICE


def test_an_unknown_facility_is_named() -> None:
    with pytest.raises(InvalidInput) as error:
        Detention.order(
            case=a_case(),
            facility="FV-NOWHERE",
            ground=DetentionGround.OTHER,
            now=NOW,
            rules=rules_with(),
            occupied=0,
            case_detained=False,
        )
    assert error.value.field == "facility"


@given(
    intervals=st.lists(st.integers(1, 30), min_size=1, max_size=4),
    ordered_on=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    gaps=st.lists(st.integers(0, 40), max_size=8),
)
def test_reviews_fall_due_on_the_configured_intervals(
    intervals: list[int], ordered_on: date, gaps: list[int]
) -> None:
    rules = rules_with(intervals=tuple(intervals))
    reviews: list[date] = []
    day = ordered_on
    assert rules.review_due(ordered_on, []) == ordered_on + timedelta(days=intervals[0])
    for gap in gaps:
        day += timedelta(days=gap)
        reviews.append(day)
        due = rules.review_due(ordered_on, reviews)
        expected = intervals[min(len(reviews), len(intervals) - 1)]
        assert due == day + timedelta(days=expected)
        assert due > day


def test_a_detention_is_reviewed_and_then_ended_once() -> None:
    detention, event = Detention.order(
        case=a_case(),
        facility="FV-A",
        ground=DetentionGround.PREPARING_REMOVAL,
        now=NOW,
        rules=rules_with(),
        occupied=0,
        case_detained=False,
    )
    assert event.review_due_on == date(2026, 11, 27)
    later = NOW + timedelta(days=3)
    assert detention.review(reviewed_on=later.date(), now=later, rules=rules_with()) == date(2026, 12, 10)
    with pytest.raises(InvalidInput) as error:
        detention.review(reviewed_on=date(2026, 11, 1), now=later, rules=rules_with())
    assert error.value.field == "reviewed_on"
    assert detention.overdue_review(date(2026, 12, 11))
    from handoff_schemas.events.police import DetentionEndReason

    ended = detention.end(reason=DetentionEndReason.RELEASED_BY_COURT, now=later)
    assert ended.detention_id == detention.detention_id
    with pytest.raises(IllegalTransition):
        detention.end(reason=DetentionEndReason.OTHER, now=later)


def _order(case: EnforcementCase, reason: str | None = None) -> Any:
    return Detention.order(
        case=case,
        facility="FV-A",
        ground=DetentionGround.RISK_OF_ABSCONDING,
        now=NOW,
        rules=rules_with(),
        occupied=0,
        case_detained=False,
        unaccompanied_minor_reason=reason,
    )


def test_an_unaccompanied_minor_is_not_detained_without_a_recorded_reason() -> None:
    minor = a_case(born="2010-05-05", vulnerabilities=["unaccompanied_minor"])
    for missing in (None, "   "):
        with pytest.raises(InvalidInput) as error:
            _order(minor, missing)
        assert error.value.field == "unaccompanied_minor_reason"

    _detention, event = _order(minor, "absconded twice from the group home; no lighter measure held")
    assert event.minor is True
    assert event.unaccompanied_minor_reason is not None


def test_the_minor_rule_looks_at_age_and_accompaniment() -> None:
    _, accompanied = _order(a_case(born="2010-05-05", vulnerabilities=["child_in_family"]))
    assert accompanied.minor is True
    # Handed over as an unaccompanied minor, 18 by now: an adult, and a reason is not for adults.
    _, grown_up = _order(a_case(born="2008-10-01", vulnerabilities=["unaccompanied_minor"]))
    assert grown_up.minor is False
    with pytest.raises(InvalidInput) as error:
        _order(a_case(), "a reason for an adult")
    assert error.value.field == "unaccompanied_minor_reason"


def test_lighter_measures_are_counted_and_one_of_each_kind_at_a_time() -> None:
    case = a_case()
    measure = LighterMeasure.order(
        case=case, kind=LighterMeasureKind.REPORTING_DUTY, now=NOW, active_kinds=set()
    )
    with pytest.raises(Conflict):
        LighterMeasure.order(
            case=case, kind=LighterMeasureKind.REPORTING_DUTY, now=NOW, active_kinds={measure.kind}
        )
    assert current_measure(False, [measure.kind]) is PrecautionaryMeasure.REPORTING_DUTY
    assert current_measure(True, [measure.kind]) is PrecautionaryMeasure.DETENTION
    assert current_measure(False, []) is PrecautionaryMeasure.NONE
    measure.end(reason=LighterMeasureEndReason.LIFTED, now=NOW)
    assert not measure.active
