"""Property tests of every deadline rule intake computes, and of the date windows its listings
ask the database with (which must agree with the deadlines, case by case)."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.common import IdentityDocumentKind, RemovalOrderKind
from handoff_workdays import add_months
from intake.domain.applicant import Applicant, IdentityDocument
from intake.domain.application import (
    Application,
    lodged_on_last_overdue,
    lodged_on_window_for_decision_due,
)
from intake.domain.decision import Refusal, check_enforceable_on, earliest_enforceable_on
from intake.domain.dublin import DublinTransfer, accepted_on_windows
from intake.domain.dublin_status import DublinStatus
from intake.domain.inhibition import Inhibition
from intake.domain.periods import first_start_ending_on_or_after, last_start_ending_on_or_before
from intake.domain.rules import IntakeRules

pytestmark = pytest.mark.unit

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
month_ends = st.builds(
    lambda year, month: date(year, month, calendar.monthrange(year, month)[1]),
    st.integers(1990, 2100),
    st.integers(1, 12),
)
any_dates = dates | month_ends | st.sampled_from([date(2024, 2, 29), date(2000, 2, 29), date(2100, 2, 28)])
months = st.integers(min_value=1, max_value=36)
rules = st.builds(
    IntakeRules,
    decision_due_months=months,
    appeal_period_days=st.integers(0, 120),
    transfer_months_normal=months,
    transfer_months_imprisoned=months,
    transfer_months_absconded=months,
)
statuses = st.sampled_from(DublinStatus)


def application(lodged_on: date) -> Application:
    return Application(
        application_id="APP-1",
        person_ref="P-1",
        applicant=Applicant("A Person", date(1950, 1, 1), "AFG"),
        lodged_on=lodged_on,
        registered_at=NOW,
        eurodac_hit=True,
        documents=[IdentityDocument(IdentityDocumentKind.PASSPORT, "X1")],
    )


def month_index(day: date) -> int:
    return day.year * 12 + day.month


# ---------------------------------------------------------------------- the decision clock


@given(lodged_on=any_dates, rule=rules)
@example(lodged_on=date(2026, 8, 31), rule=IntakeRules())  # into a short February
@example(lodged_on=date(2027, 8, 31), rule=IntakeRules())  # into a leap February
@example(lodged_on=date(2028, 2, 29), rule=IntakeRules())  # from a leap day
def test_the_decision_is_due_the_same_day_months_later_clamped_to_the_month_end(
    lodged_on: date, rule: IntakeRules
) -> None:
    due = application(lodged_on).decision_due_on(rule)
    assert month_index(due) - month_index(lodged_on) == rule.decision_due_months
    assert due.day == min(lodged_on.day, calendar.monthrange(due.year, due.month)[1])
    assert due > lodged_on


@pytest.mark.parametrize(
    ("lodged_on", "due"),
    [
        (date(2026, 1, 15), date(2026, 7, 15)),
        (date(2026, 8, 31), date(2027, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),
        (date(2028, 2, 29), date(2028, 8, 29)),
        (date(2026, 12, 31), date(2027, 6, 30)),
    ],
)
def test_six_months_by_default(lodged_on: date, due: date) -> None:
    assert application(lodged_on).decision_due_on(IntakeRules()) == due


@given(lodged_on=any_dates, today=any_dates, decided=st.booleans(), rule=rules)
def test_an_undecided_application_is_overdue_after_its_due_date_and_the_listing_agrees(
    lodged_on: date, today: date, decided: bool, rule: IntakeRules
) -> None:
    case = application(lodged_on)
    if decided:
        case.decide(
            decided_on=lodged_on,
            terms=Refusal(RemovalOrderKind.EXPULSION, "AFG"),
            today=max(today, lodged_on),
            now=NOW,
        )
    overdue = case.is_overdue(today, rule)
    assert overdue == (not decided and today > case.decision_due_on(rule))
    listed = lodged_on <= lodged_on_last_overdue(today, rule)
    assert listed == (today > case.decision_due_on(rule))


@given(lodged_on=any_dates, first=any_dates, span=st.integers(-5, 400), rule=rules)
def test_the_decision_due_window_holds_exactly_the_applications_due_in_it(
    lodged_on: date, first: date, span: int, rule: IntakeRules
) -> None:
    last = first + timedelta(days=span)
    low, high = lodged_on_window_for_decision_due(first, last, rule)
    due = application(lodged_on).decision_due_on(rule)
    assert (low <= lodged_on <= high) == (first <= due <= last)


@given(day=any_dates, months=months)
def test_period_bounds_are_the_tightest_starts(day: date, months: int) -> None:
    earliest = first_start_ending_on_or_after(day, months)
    assert add_months(earliest, months) >= day
    assert add_months(earliest - timedelta(days=1), months) < day
    latest = last_start_ending_on_or_before(day, months)
    assert add_months(latest, months) <= day
    assert add_months(latest + timedelta(days=1), months) > day


# ---------------------------------------------------------------------- Dublin transfers


@given(accepted_on=any_dates, history=st.lists(statuses, max_size=6), rule=rules)
def test_the_transfer_deadline_follows_the_longest_period_of_any_status_since_acceptance(
    accepted_on: date, history: list[DublinStatus], rule: IntakeRules
) -> None:
    transfer = DublinTransfer(accepted_on=accepted_on)
    for status in history:
        transfer.record_status(status)
    seen = {DublinStatus.NORMAL, *history}
    expected_months = max(rule.transfer_months(status) for status in seen)
    assert transfer.deadline(rule) == add_months(accepted_on, expected_months)
    assert transfer.status is (history[-1] if history else DublinStatus.NORMAL)


@pytest.mark.parametrize(
    ("history", "deadline"),
    [
        ([], date(2027, 2, 28)),
        ([DublinStatus.IMPRISONED], date(2027, 8, 31)),
        ([DublinStatus.ABSCONDED], date(2028, 2, 29)),
        ([DublinStatus.ABSCONDED, DublinStatus.NORMAL], date(2028, 2, 29)),
        ([DublinStatus.IMPRISONED, DublinStatus.ABSCONDED], date(2028, 2, 29)),
    ],
    ids=["normal-6", "imprisoned-12", "absconded-18", "found-again-keeps-18", "both-18"],
)
def test_dublin_iii_article_29_by_default(history: list[DublinStatus], deadline: date) -> None:
    transfer = DublinTransfer(accepted_on=date(2026, 8, 31))
    for status in history:
        transfer.record_status(status)
    assert transfer.deadline(IntakeRules()) == deadline


@given(
    accepted_on=any_dates,
    history=st.lists(statuses, max_size=4),
    first=any_dates,
    span=st.integers(-5, 800),
    rule=rules,
)
def test_the_transfer_window_holds_exactly_the_transfers_due_in_it(
    accepted_on: date, history: list[DublinStatus], first: date, span: int, rule: IntakeRules
) -> None:
    transfer = DublinTransfer(accepted_on=accepted_on)
    for status in history:
        transfer.record_status(status)
    last = first + timedelta(days=span)
    [(low, high)] = [
        (low, high)
        for seen, low, high in accepted_on_windows(first, last, rule)
        if seen == transfer.statuses_since_acceptance
    ]
    assert (low <= accepted_on <= high) == (first <= transfer.deadline(rule) <= last)


# ---------------------------------------------------------------------- enforceability


@given(
    decided_on=dates,
    offset=st.integers(-40, 200),
    today_offset=st.integers(0, 400),
    immediate=st.booleans(),
    waived=st.booleans(),
    rule=rules,
)
@example(
    decided_on=date(2026, 7, 14),
    offset=20,
    today_offset=60,
    immediate=False,
    waived=False,
    rule=IntakeRules(),
)
@example(
    decided_on=date(2026, 7, 14),
    offset=21,
    today_offset=60,
    immediate=False,
    waived=False,
    rule=IntakeRules(),
)
def test_an_enforceable_date_is_checked_against_the_decision_date_and_the_appeal_period(
    decided_on: date, offset: int, today_offset: int, immediate: bool, waived: bool, rule: IntakeRules
) -> None:
    enforceable_on = decided_on + timedelta(days=offset)
    today = decided_on + timedelta(days=today_offset)
    lawful = decided_on <= enforceable_on <= today and (
        immediate or waived or enforceable_on >= decided_on + timedelta(days=rule.appeal_period_days)
    )

    def check() -> None:
        check_enforceable_on(
            enforceable_on,
            decided_on=decided_on,
            immediate_enforcement=immediate,
            appeal_waived=waived,
            today=today,
            rules=rule,
        )

    if lawful:
        check()
        return
    with pytest.raises(InvalidInput) as error:
        check()
    assert error.value.field == "enforceable_on"
    assert enforceable_on.isoformat() in error.value.message
    if decided_on <= enforceable_on <= today:  # too early for the appeal period: say which rule
        earliest = earliest_enforceable_on(
            decided_on, immediate_enforcement=immediate, appeal_waived=waived, rules=rule
        )
        assert earliest.isoformat() in error.value.message
        assert f"{rule.appeal_period_days} days" in error.value.message
        assert "appeal_waived" in error.value.message


@given(decided_on=dates, immediate=st.booleans(), waived=st.booleans(), rule=rules)
def test_the_earliest_enforceable_day(
    decided_on: date, immediate: bool, waived: bool, rule: IntakeRules
) -> None:
    earliest = earliest_enforceable_on(
        decided_on, immediate_enforcement=immediate, appeal_waived=waived, rules=rule
    )
    if immediate or waived:
        assert earliest == decided_on
    else:
        assert earliest == decided_on + timedelta(days=rule.appeal_period_days)


# ---------------------------------------------------------------------- inhibitions


inhibition_spans = st.tuples(dates, st.none() | st.integers(0, 400))


def inhibition(ordered_on: date, lifted_after: int | None) -> Inhibition:
    stay = Inhibition(inhibition_id="INH-1", court="MIGD", ordered_on=ordered_on, recorded_at=NOW)
    if lifted_after is not None:
        lifted_on = ordered_on + timedelta(days=lifted_after)
        assert stay.lift(lifted_on=lifted_on, court=None, today=lifted_on, now=NOW)
    return stay


@given(span=inhibition_spans, day_offset=st.integers(-30, 430))
def test_an_inhibition_is_in_force_from_the_day_ordered_until_the_day_lifted(
    span: tuple[date, int | None], day_offset: int
) -> None:
    ordered_on, lifted_after = span
    stay = inhibition(ordered_on, lifted_after)
    day = ordered_on + timedelta(days=day_offset)
    expected = day >= ordered_on and (lifted_after is None or day_offset < lifted_after)
    assert stay.in_force_on(day) is expected


@given(spans=st.lists(inhibition_spans, max_size=4), day=dates)
def test_an_application_is_stayed_on_a_day_if_any_inhibition_is_in_force(
    spans: list[tuple[date, int | None]], day: date
) -> None:
    case = application(date(1990, 1, 1))
    case.inhibitions = [inhibition(ordered_on, lifted_after) for ordered_on, lifted_after in spans]
    assert case.inhibition_in_force_on(day) == any(i.in_force_on(day) for i in case.inhibitions)


@given(ordered_on=dates, before=st.integers(1, 400))
def test_an_inhibition_cannot_be_lifted_before_it_was_ordered(ordered_on: date, before: int) -> None:
    stay = Inhibition(inhibition_id="INH-1", court="MIGD", ordered_on=ordered_on, recorded_at=NOW)
    with pytest.raises(InvalidInput) as error:
        stay.lift(lifted_on=ordered_on - timedelta(days=before), court=None, today=ordered_on, now=NOW)
    assert error.value.field == "lifted_on"
    assert stay.lifted_on is None


@given(
    decided_on=dates,
    offset=st.integers(0, 120),
    again=st.integers(-5, 120),
    immediate=st.booleans(),
    waived=st.booleans(),
    rule=rules,
)
def test_a_refusal_becomes_enforceable_once_and_the_same_date_again_changes_nothing(
    decided_on: date, offset: int, again: int, immediate: bool, waived: bool, rule: IntakeRules
) -> None:
    case = application(decided_on)
    order = RemovalOrderKind.REFUSAL_OF_ENTRY if immediate else RemovalOrderKind.EXPULSION
    case.decide(decided_on=decided_on, terms=Refusal(order, "AFG", immediate), today=decided_on, now=NOW)
    earliest = earliest_enforceable_on(
        decided_on, immediate_enforcement=immediate, appeal_waived=waived, rules=rule
    )
    enforceable_on = earliest + timedelta(days=offset)
    today = enforceable_on + timedelta(days=200)
    [event] = case.make_enforceable(
        enforceable_on=enforceable_on, appeal_waived=waived, today=today, now=NOW, rules=rule
    )
    assert event.enforceable_on == enforceable_on
    assert event.immediate_enforcement is immediate
    second = enforceable_on + timedelta(days=again)
    if second == enforceable_on:
        assert (
            case.make_enforceable(
                enforceable_on=second, appeal_waived=waived, today=today, now=NOW, rules=rule
            )
            == []
        )
    else:
        with pytest.raises(Conflict, match="only once"):
            case.make_enforceable(
                enforceable_on=second, appeal_waived=waived, today=today, now=NOW, rules=rule
            )
    assert case.decision is not None
    assert case.decision.enforceable_on == enforceable_on
