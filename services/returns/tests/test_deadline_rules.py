"""Every deadline rule of return counselling, as properties over any day (holidays, weekends and
month ends included) and as worked examples on the Swedish and Finnish calendars."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from handoff_schemas.events.common import RemovalOrderKind
from returns.domain.rules import ReturnsRules
from returns.settings import ReturnsSettings

pytestmark = pytest.mark.unit

SE = ReturnsRules()
FI = ReturnsRules(calendar_country="FI", timezone="Europe/Helsinki")
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))
rules = st.sampled_from([SE, FI])
orders = st.sampled_from(RemovalOrderKind)
# The longest run of days off in either calendar: Christmas Eve on a Wednesday, through Boxing
# Day (Friday) and the weekend, to Monday the 29th (found by Hypothesis: Easter's four is not it).
LONGEST_BREAK = 5

for _rules in (SE, FI):  # the holiday calendars load a year at a time: not inside a timed example
    for _year in range(2020, 2042):
        _rules.calendar.is_holiday(date(_year, 1, 1))


def assert_period_end(rules: ReturnsRules, raw: date, due: date) -> None:
    """``due`` is ``raw``, or the first working day after it when ``raw`` is a day off."""
    work = rules.calendar
    assert due >= raw
    assert work.is_working_day(due)
    assert all(not work.is_working_day(raw + timedelta(n)) for n in range((due - raw).days))
    assert (due - raw).days <= LONGEST_BREAK


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def clamped_day(start: date, end: date) -> bool:
    """Same day of the month, or the last day of a shorter month."""
    last = calendar.monthrange(end.year, end.month)[1]
    return end.day == min(start.day, last)


# ---------------------------------------------------------------------- first counselling


@given(rules, days)
def test_first_counselling_is_due_two_weeks_after_enforceability_or_the_next_working_day(
    r: ReturnsRules, enforceable_on: date
) -> None:
    assert_period_end(r, enforceable_on + timedelta(weeks=2), r.first_counselling_due(enforceable_on))


@pytest.mark.parametrize(
    ("enforceable_on", "due"),
    [
        (date(2026, 11, 2), date(2026, 11, 16)),  # Monday to Monday
        (date(2026, 11, 7), date(2026, 11, 23)),  # two weeks end on a Saturday: Monday
        (date(2026, 12, 10), date(2026, 12, 28)),  # Christmas Eve, Christmas, weekend
        (date(2026, 6, 5), date(2026, 6, 22)),  # Midsummer Eve (19th) and Midsummer Day
        (date(2027, 3, 12), date(2027, 3, 30)),  # Good Friday 26 March to Easter Monday 29th
    ],
)
def test_first_counselling_examples(enforceable_on: date, due: date) -> None:
    assert SE.first_counselling_due(enforceable_on) == due


@given(days)
def test_without_rolling_a_period_ends_on_its_calendar_day(enforceable_on: date) -> None:
    plain = ReturnsRules(roll_to_working_day=False)
    assert plain.first_counselling_due(enforceable_on) == enforceable_on + timedelta(weeks=2)


# ---------------------------------------------------------------------- case closure


@given(rules, days, st.booleans())
def test_a_case_closes_within_two_months_or_five_for_an_unaccompanied_minor(
    r: ReturnsRules, enforceable_on: date, minor: bool
) -> None:
    due = r.case_closure_due(enforceable_on, unaccompanied_minor=minor)
    months = 5 if minor else 2
    raw = due
    while not (months_between(enforceable_on, raw) == months and clamped_day(enforceable_on, raw)):
        raw -= timedelta(days=1)  # back over the days the deadline was rolled
        assert (due - raw).days <= LONGEST_BREAK
    assert_period_end(r, raw, due)
    if minor:
        assert due > r.case_closure_due(enforceable_on, unaccompanied_minor=False)


@pytest.mark.parametrize(
    ("enforceable_on", "minor", "due"),
    [
        (date(2026, 11, 2), False, date(2027, 1, 4)),  # 2 January is a Saturday
        (date(2026, 12, 31), False, date(2027, 3, 1)),  # clamped to 28 February, a Sunday
        (date(2027, 12, 31), False, date(2028, 2, 29)),  # a leap year's 29 February, a Tuesday
        (date(2026, 9, 30), True, date(2027, 3, 1)),  # five months: 28 February, a Sunday
        (date(2026, 1, 31), True, date(2026, 6, 30)),  # five months, clamped to 30 June
        (date(2026, 10, 24), False, date(2026, 12, 28)),  # 24 December: Christmas Eve
        (date(2025, 7, 24), True, date(2025, 12, 29)),  # Christmas Eve on a Wednesday: five days off
    ],
)
def test_case_closure_examples(enforceable_on: date, minor: bool, due: date) -> None:
    assert SE.case_closure_due(enforceable_on, unaccompanied_minor=minor) == due


# ---------------------------------------------------------------------- departure


@given(rules, days, orders)
def test_the_departure_period_is_two_weeks_for_a_refusal_of_entry_and_four_for_an_expulsion(
    r: ReturnsRules, enforceable_on: date, order: RemovalOrderKind
) -> None:
    weeks = 2 if order is RemovalOrderKind.REFUSAL_OF_ENTRY else 4
    assert_period_end(r, enforceable_on + timedelta(weeks=weeks), r.departure_due(enforceable_on, order))


@given(rules, days)
def test_an_expulsion_always_leaves_longer_than_a_refusal_of_entry(
    r: ReturnsRules, enforceable_on: date
) -> None:
    assert r.departure_due(enforceable_on, RemovalOrderKind.EXPULSION) > r.departure_due(
        enforceable_on, RemovalOrderKind.REFUSAL_OF_ENTRY
    )


def test_departure_examples_and_configured_periods() -> None:
    assert SE.departure_due(date(2026, 12, 10), RemovalOrderKind.REFUSAL_OF_ENTRY) == date(2026, 12, 28)
    # four weeks end on New Year's Eve: past New Year's Day and a weekend
    assert SE.departure_due(date(2026, 12, 3), RemovalOrderKind.EXPULSION) == date(2027, 1, 4)
    longer = ReturnsRules(departure_weeks_refusal_of_entry=3, departure_weeks_expulsion=6)
    assert longer.departure_due(date(2026, 11, 2), RemovalOrderKind.REFUSAL_OF_ENTRY) == date(2026, 11, 23)
    assert longer.departure_due(date(2026, 11, 2), RemovalOrderKind.EXPULSION) == date(2026, 12, 14)


# ---------------------------------------------------------------------- travel document and booking


@given(rules, days)
def test_a_travel_document_request_is_handled_within_three_working_days(
    r: ReturnsRules, requested_on: date
) -> None:
    due = r.travel_document_due(requested_on)
    work = r.calendar
    assert due > requested_on
    assert work.is_working_day(due)
    assert work.working_days_between(requested_on, due) == 3


@pytest.mark.parametrize(
    ("rules_", "requested_on", "due"),
    [
        (SE, date(2026, 11, 23), date(2026, 11, 26)),  # Monday to Thursday
        (SE, date(2026, 11, 27), date(2026, 12, 2)),  # Friday, over the weekend and the month end
        (SE, date(2026, 12, 23), date(2026, 12, 30)),  # over Christmas Eve and Christmas Day
        (SE, date(2026, 12, 29), date(2027, 1, 5)),  # New Year's Eve and Day, then Monday 4th
        (SE, date(2027, 12, 3), date(2027, 12, 8)),  # 6 December is a working day in Sweden
        (FI, date(2027, 12, 3), date(2027, 12, 9)),  # ...and Finland's Independence Day
    ],
)
def test_travel_document_examples(rules_: ReturnsRules, requested_on: date, due: date) -> None:
    assert rules_.travel_document_due(requested_on) == due


@given(rules, days)
def test_travel_is_booked_no_later_than_the_working_day_after_it_was_ordered(
    r: ReturnsRules, ordered_on: date
) -> None:
    due = r.travel_booking_due(ordered_on)
    assert due > ordered_on
    assert r.calendar.is_working_day(due)
    assert all(
        not r.calendar.is_working_day(ordered_on + timedelta(n)) for n in range(1, (due - ordered_on).days)
    )


@pytest.mark.parametrize(
    ("ordered_on", "due"),
    [
        (date(2026, 11, 23), date(2026, 11, 24)),
        (date(2026, 11, 27), date(2026, 11, 30)),  # Friday: Monday
        (date(2026, 6, 18), date(2026, 6, 22)),  # the day before Midsummer Eve
        (date(2026, 4, 2), date(2026, 4, 7)),  # Maundy Thursday: after Easter Monday
        (date(2026, 4, 30), date(2026, 5, 4)),  # over 1 May and a weekend, into a new month
    ],
)
def test_travel_booking_examples(ordered_on: date, due: date) -> None:
    assert SE.travel_booking_due(ordered_on) == due


# ---------------------------------------------------------------------- re-establishment support


@given(rules, days)
def test_a_support_application_is_decided_within_two_weeks_of_its_arrival(
    r: ReturnsRules, arrived_on: date
) -> None:
    assert_period_end(r, arrived_on + timedelta(weeks=2), r.support_decision_due(arrived_on))


def test_support_decision_examples() -> None:
    assert SE.support_decision_due(date(2026, 11, 23)) == date(2026, 12, 7)
    assert SE.support_decision_due(date(2026, 12, 17)) == date(2027, 1, 4)  # New Year's Eve, Day, weekend
    assert SE.support_decision_due(date(2026, 12, 10)) == date(2026, 12, 28)


# ---------------------------------------------------------------------- lapse


@given(days)
def test_a_removal_order_lapses_four_years_after_legal_force(legal_force_on: date) -> None:
    lapses_on = SE.order_lapses_on(legal_force_on)
    assert months_between(legal_force_on, lapses_on) == 48
    assert clamped_day(legal_force_on, lapses_on)


@pytest.mark.parametrize(
    ("legal_force_on", "lapses_on"),
    [
        (date(2022, 11, 22), date(2026, 11, 22)),
        (date(2024, 2, 29), date(2028, 2, 29)),  # leap day to leap day
        (date(2096, 2, 29), date(2100, 2, 28)),  # 2100 is no leap year
        (date(2022, 12, 24), date(2026, 12, 24)),  # Christmas Eve: no rolling
    ],
)
def test_lapse_examples(legal_force_on: date, lapses_on: date) -> None:
    assert SE.order_lapses_on(legal_force_on) == lapses_on


def test_the_lapse_period_is_configurable() -> None:
    assert ReturnsRules(order_lapse_years=5).order_lapses_on(date(2024, 2, 29)) == date(2029, 2, 28)


# ---------------------------------------------------------------------- settings


def test_the_numbers_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETURNS_CALENDAR_COUNTRY", "fi")
    monkeypatch.setenv("RETURNS_FIRST_COUNSELLING_WEEKS", "3")
    monkeypatch.setenv("RETURNS_RECEPTION_COST_PER_DAY", "420")
    configured = ReturnsSettings().rules()
    assert configured.calendar_country == "FI"
    assert configured.first_counselling_weeks == 3
    assert configured.reception_cost_per_day == 420
    assert configured.first_counselling_due(date(2026, 11, 2)) == date(2026, 11, 23)
    assert ReturnsSettings().rules().case_closure_months == 2


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("returns_calendar_country", "XX"),
        ("returns_timezone", "Mars/Olympus"),
        ("returns_order_lapse_years", 0),
    ],
)
def test_bad_settings_name_the_setting(name: str, value: object) -> None:
    with pytest.raises(ValidationError) as error:
        ReturnsSettings(**{name: value})
    assert name in str(error.value)


def test_today_is_the_authoritys_calendar_day() -> None:
    late_evening_utc = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # already the 24th in Stockholm
    assert SE.today(late_evening_utc) == date(2026, 11, 24)
    assert ReturnsRules(timezone="UTC").today(late_evening_utc) == date(2026, 11, 23)
