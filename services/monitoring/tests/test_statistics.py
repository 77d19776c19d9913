"""Statistics per department and month, and the suppression of small figures in published output."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff_schemas.events.monitoring import RemovalPhase
from monitoring.domain.statistics import (
    SUPPRESSED,
    DepartmentMonth,
    RemovalRecord,
    is_small,
    publish,
    tabulate,
)

pytestmark = pytest.mark.unit

records = st.builds(
    RemovalRecord,
    department=st.sampled_from(["POL-SYD", "POL-VAST"]),
    month=st.sampled_from(["2026-10", "2026-11"]),
    notified=st.booleans(),
    on_time=st.booleans(),
    lead_time_working_days=st.integers(min_value=-3, max_value=30),
    carried_out=st.booleans(),
    monitored=st.booleans(),
    phases=st.frozensets(st.sampled_from(RemovalPhase)),
)


@st.composite
def rows(draw: st.DrawFn) -> DepartmentMonth:
    notices = draw(st.integers(min_value=0, max_value=40))
    on_time = draw(st.integers(min_value=0, max_value=notices))
    removals = draw(st.integers(min_value=0, max_value=40))
    monitored = draw(st.integers(min_value=0, max_value=removals))
    return DepartmentMonth(
        department="POL-SYD",
        month="2026-11",
        notices=notices,
        on_time=on_time,
        late=notices - on_time,
        share_on_time=on_time / notices if notices else None,
        median_lead_time_working_days=7.0 if notices else None,
        missing=draw(st.integers(min_value=0, max_value=40)),
        removals=removals,
        monitored=monitored,
        monitored_share=monitored / removals if removals else None,
        phases_monitored={p: draw(st.integers(min_value=0, max_value=monitored)) for p in RemovalPhase},
    )


def shown(value: int | str) -> bool:
    return value != SUPPRESSED


@given(rows())
def test_no_published_count_is_from_1_to_4_and_every_small_count_is_suppressed(row: DepartmentMonth) -> None:
    published = publish(row)
    counts = {
        "notices": (row.notices, published.notices),
        "on_time": (row.on_time, published.on_time),
        "late": (row.late, published.late),
        "missing": (row.missing, published.missing),
        "removals": (row.removals, published.removals),
        "monitored": (row.monitored, published.monitored),
        **{
            f"phases_monitored.{p.value}": (row.phases_monitored[p], published.phases_monitored[p])
            for p in RemovalPhase
        },
    }
    for name, (exact, out) in counts.items():
        if shown(out):
            assert out == exact, name
            assert not is_small(exact), name
        else:
            assert exact > 0, name
            assert name in published.suppressed
        if is_small(exact):
            assert out == SUPPRESSED, name


@given(rows())
def test_no_suppressed_count_can_be_recovered_by_subtraction(row: DepartmentMonth) -> None:
    published = publish(row)
    if shown(published.notices):
        assert shown(published.on_time) == shown(published.late) or 0 in (row.on_time, row.late)
    if shown(published.removals) and shown(published.monitored):
        assert not is_small(row.removals - row.monitored)


@given(rows())
def test_a_share_or_median_is_withheld_when_it_would_reveal_a_small_count(row: DepartmentMonth) -> None:
    published = publish(row)
    if published.share_on_time is not None:
        assert not is_small(row.on_time)
        assert not is_small(row.late)
    if published.monitored_share is not None:
        assert not is_small(row.monitored)
        assert not is_small(row.removals - row.monitored)
    if published.median_lead_time_working_days is not None:
        assert not is_small(row.notices)


@given(st.lists(records, max_size=60))
def test_tabulation_counts_every_removal_once_per_department_and_month(items: list[RemovalRecord]) -> None:
    table = tabulate(items)
    assert sum(r.notices + r.missing for r in table) == len(items)
    assert sum(r.removals for r in table) == sum(1 for r in items if r.carried_out)
    for row in table:
        assert row.on_time + row.late == row.notices
        assert row.monitored <= row.removals
        if row.notices:
            assert row.share_on_time == round(row.on_time / row.notices, 4)


def test_a_department_month_in_figures() -> None:
    items = [
        RemovalRecord(
            "POL-SYD",
            "2026-11",
            notified=True,
            on_time=True,
            lead_time_working_days=d,
            carried_out=True,
            monitored=m,
        )
        for d, m in [(12, True), (8, True), (7, False), (11, True), (9, True), (10, True)]
    ] + [
        RemovalRecord(
            "POL-SYD", "2026-11", notified=True, on_time=False, lead_time_working_days=2, carried_out=True
        ),
        RemovalRecord("POL-SYD", "2026-11", notified=False, carried_out=True),
    ]
    [row] = tabulate(items)
    assert (row.notices, row.on_time, row.late, row.missing, row.removals, row.monitored) == (
        7,
        6,
        1,
        1,
        8,
        5,
    )
    assert row.median_lead_time_working_days == 9.0
    published = publish(row)
    assert published.notices == 7
    assert published.late == SUPPRESSED
    assert published.on_time == SUPPRESSED  # else 7 - 6 gives the late one away
    assert published.share_on_time is None
    assert published.missing == SUPPRESSED
    assert published.removals == 8
    assert published.monitored == SUPPRESSED  # 8 - 5 = 3 not monitored would be revealed
    assert published.median_lead_time_working_days == 9.0
    assert set(published.suppressed) >= {"late", "on_time", "share_on_time", "missing", "monitored"}
