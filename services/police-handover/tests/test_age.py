"""Age bands derived from a date of birth, exact at month and year boundaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff_schemas.events.common import AgeBand
from police_handover.domain.age import age_band, age_on, is_minor

pytestmark = pytest.mark.unit

BANDS = [
    (0, AgeBand.UNDER_12),
    (12, AgeBand.AGE_12_17),
    (18, AgeBand.AGE_18_25),
    (26, AgeBand.AGE_26_64),
    (65, AgeBand.AGE_65_PLUS),
]
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31))


def birthday(born: date, years: int) -> date:
    """The day a person born on ``born`` turns ``years`` (29 February: 1 March in a common year)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


@given(born=births, years=st.integers(min_value=1, max_value=100))
def test_the_age_turns_on_the_birthday_and_not_a_day_before(born: date, years: int) -> None:
    turning = birthday(born, years)
    assert age_on(born, turning) == years
    assert age_on(born, turning - timedelta(days=1)) == years - 1


@given(born=births, years=st.sampled_from([12, 18, 26, 65]))
def test_the_band_changes_exactly_on_the_birthday_that_starts_it(born: date, years: int) -> None:
    turning = birthday(born, years)
    expected = dict(BANDS)
    before = [band for start, band in BANDS if start < years][-1]
    assert age_band(born, turning - timedelta(days=1)) is before
    assert age_band(born, turning) is expected[years]
    assert is_minor(born, turning) is (years < 18)
    if years == 18:
        assert is_minor(born, turning - timedelta(days=1))


@given(born=births, days=st.integers(min_value=0, max_value=40_000))
def test_the_band_agrees_with_the_age_and_minor_with_the_band(born: date, days: int) -> None:
    on = born + timedelta(days=days)
    age = age_on(born, on)
    band = age_band(born, on)
    assert band is [b for start, b in BANDS if start <= age][-1]
    assert is_minor(born, on) is (band in (AgeBand.UNDER_12, AgeBand.AGE_12_17))


@pytest.mark.parametrize(
    ("on", "age"),
    [(date(2026, 2, 28), 17), (date(2026, 3, 1), 18), (date(2028, 2, 28), 19), (date(2028, 2, 29), 20)],
)
def test_a_leap_day_birthday_counts_from_the_first_of_march_in_common_years(on: date, age: int) -> None:
    assert age_on(date(2008, 2, 29), on) == age


def test_no_age_before_birth() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(date(2000, 1, 2), date(2000, 1, 1))
