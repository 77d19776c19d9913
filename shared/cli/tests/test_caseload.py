"""The simulated year is drawn from its seed: reproducible, with the seeds' proportions, and with
every date a service would accept (none in the future, each step after the one before)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handoff_cli.simulation.households import quota_for
from handoff_cli.simulation.model import Parameters
from handoff_cli.simulation.plan import draw_year

pytestmark = pytest.mark.unit
TODAY = date(2026, 11, 30)


def test_the_same_seed_draws_the_same_year_and_another_seed_another() -> None:
    first, again, other = (draw_year(seed, 0.01, 365, TODAY) for seed in (1, 1, 2))
    assert first.year.cases == again.year.cases
    assert first.households == again.households
    assert first.agreements == again.agreements
    assert first.year.cases != other.year.cases


def test_a_year_at_a_fifth_of_scale_keeps_the_seeds_proportions() -> None:
    drawn = draw_year(7, 0.2, 365, TODAY)
    cases = drawn.year.cases
    p = Parameters()
    assert len(cases) == round(p.applications_per_year * 0.2 * (365 + p.run_in_days) / 365)
    assert sum(c.dublin for c in cases) / len(cases) == pytest.approx(p.dublin_share, abs=0.02)
    decided = [c for c in cases if c.decided_on and not c.dublin]
    assert sum(c.granted for c in decided) / len(decided) == pytest.approx(0.60, abs=0.03)
    resolved = [c for c in cases if c.outcome]
    handed_over = sum(c.outcome == "handover" for c in resolved) / len(resolved)
    assert handed_over == pytest.approx(7 / 11, abs=0.03)  # seed 002: 7,000 of 11,000 with the Police
    removals = [c.removal for c in cases if c.removal]
    assert sum(r.late for r in removals) / len(removals) == pytest.approx(p.late_notice_share, abs=0.03)
    persons = sum(len(h.members) for h in drawn.households)
    assert persons == pytest.approx(p.quota_persons_per_year * 0.2, abs=8)  # seed 001: 1,900 a year
    assert all(h.priority in ("emergency", "urgent", "normal") for h in drawn.households)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.sampled_from([0.001, 0.003, 0.01]), days=st.integers(7, 730))
def test_every_date_is_one_the_services_accept(seed: int, scale: float, days: int) -> None:
    drawn = draw_year(seed, scale, days, TODAY)
    for case in drawn.year.cases:
        steps = [case.lodged_on, case.decided_on, case.enforceable_on, *case.meetings, case.outcome_on]
        taken = [d for d in steps if d is not None]
        assert taken == sorted(taken), case
        assert max(taken) <= TODAY
        assert case.applicant.date_of_birth < case.lodged_on
        if "unaccompanied_minor" in case.applicant.vulnerabilities:
            assert (TODAY - case.applicant.date_of_birth).days < 18 * 365
        if case.enforceable_on and case.decided_on and not case.dublin and not case.appeal_waived:
            assert (case.enforceable_on - case.decided_on).days >= 21  # the appeal period
        if case.travel_document:
            requested, handled = case.travel_document
            assert case.enforceable_on is not None
            assert case.enforceable_on <= requested <= handled <= TODAY
        if case.outcome == "handover":
            assert case.removal is not None
            assert case.meetings
    for household in drawn.households:
        assert household.selected_on is None or household.submitted_on < household.selected_on <= TODAY
    for year in {h.selected_on.year for h in drawn.households if h.selected_on}:
        quota = quota_for(drawn.households, year, scale, 1900)
        selected = [h for h in drawn.households if h.selected_on and h.selected_on.year == year]
        outside_reserve = sum(len(h.members) for h in selected if h.priority != "emergency")
        assert outside_reserve <= quota * 0.9  # urgent and normal selections never use the reserve


def test_docs_simulation_lists_every_parameter_with_its_source() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "docs" / "simulation.md").read_text(encoding="utf-8")
    for name, _value, source in Parameters().described():
        assert f"| `{name}` |" in text, name
        assert source.split(":")[0] in text
