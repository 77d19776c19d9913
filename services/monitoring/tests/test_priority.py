"""Priority of upcoming removals: more reasons to monitor never mean a lower place in the list."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff_schemas.events.common import Vulnerability
from monitoring.domain.priority import PriorityFactors, PriorityLevel, assess, order_key

pytestmark = pytest.mark.unit

factors = st.builds(
    PriorityFactors,
    vulnerabilities=st.frozensets(st.sampled_from(Vulnerability)),
    minor=st.booleans(),
    risk_destination=st.booleans(),
    detained=st.booleans(),
    charter=st.booleans(),
    precautions_pending=st.booleans(),
)
FLAGS = ["minor", "risk_destination", "detained", "charter", "precautions_pending"]


@given(factors, st.sampled_from(FLAGS))
def test_adding_a_factor_raises_the_score(base: PriorityFactors, flag: str) -> None:
    more = dataclasses.replace(base, **{flag: True})
    assert assess(more).score >= assess(base).score
    if not getattr(base, flag):
        assert assess(more).score > assess(base).score


@given(factors, st.sampled_from(Vulnerability))
def test_each_vulnerability_raises_the_score(base: PriorityFactors, vulnerability: Vulnerability) -> None:
    more = dataclasses.replace(base, vulnerabilities=base.vulnerabilities | {vulnerability})
    assert assess(more).score >= assess(base).score
    assert f"vulnerability:{vulnerability.value}" in assess(more).reasons


@given(factors)
def test_the_level_follows_the_score_and_every_point_has_a_reason(f: PriorityFactors) -> None:
    priority = assess(f)
    assert len(priority.reasons) == len(f.vulnerabilities) + sum(getattr(f, flag) for flag in FLAGS)
    assert (priority.score == 0) is (priority.reasons == ())
    expected = (
        PriorityLevel.HIGH
        if priority.score >= 6
        else PriorityLevel.MEDIUM
        if priority.score >= 3
        else PriorityLevel.LOW
    )
    assert priority.level is expected


@given(st.lists(st.tuples(factors, st.integers(min_value=0, max_value=60)), min_size=1, max_size=30))
def test_upcoming_removals_are_listed_by_priority_then_by_departure(
    items: list[tuple[PriorityFactors, int]],
) -> None:
    start = datetime(2026, 12, 1, tzinfo=UTC)
    rows = [(assess(f), start + timedelta(days=d), f"PL-{i:03d}") for i, (f, d) in enumerate(items)]
    ordered = sorted(rows, key=lambda r: order_key(r[0].score, r[1], r[2]))
    for first, second in itertools.pairwise(ordered):
        assert first[0].score >= second[0].score
        if first[0].score == second[0].score:
            assert first[1] <= second[1]


def test_a_detained_unaccompanied_minor_on_a_charter_comes_before_a_plain_scheduled_flight() -> None:
    child = assess(
        PriorityFactors(
            vulnerabilities=frozenset({Vulnerability.UNACCOMPANIED_MINOR}),
            minor=True,
            detained=True,
            charter=True,
        )
    )
    plain = assess(PriorityFactors())
    assert child.level is PriorityLevel.HIGH
    assert child.reasons == ("vulnerability:unaccompanied_minor", "minor", "detention", "charter")
    assert plain.level is PriorityLevel.LOW
    later, sooner = datetime(2026, 12, 20, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    assert order_key(child.score, later, "PL-b") < order_key(plain.score, sooner, "PL-a")
