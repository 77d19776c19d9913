"""A person's age on a date, and the age band the monitor sees instead of a date of birth.

Age is counted in completed years: the birthday is reached on the same month and day, and a
person born on 29 February reaches it on 1 March in a common year (the day after 28 February).
"""

from __future__ import annotations

from datetime import date

from handoff_schemas.events.common import AgeBand

ADULT_AGE = 18


def age_on(date_of_birth: date, on: date) -> int:
    """Completed years of life on ``on``; never negative."""
    if on < date_of_birth:
        raise ValueError("the date is before the date of birth")
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def age_band(date_of_birth: date, on: date) -> AgeBand:
    age = age_on(date_of_birth, on)
    if age < 12:
        return AgeBand.UNDER_12
    if age < ADULT_AGE:
        return AgeBand.AGE_12_17
    if age < 26:
        return AgeBand.AGE_18_25
    if age < 65:
        return AgeBand.AGE_26_64
    return AgeBand.AGE_65_PLUS


def is_minor(date_of_birth: date, on: date) -> bool:
    return age_on(date_of_birth, on) < ADULT_AGE
