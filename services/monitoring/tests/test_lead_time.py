"""Lead time in working days against the rules per transport (property-based where it counts)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff_schemas.events.common import Transport
from handoff_workdays import working_calendar
from monitoring.domain.lead_time import DEFAULT_REQUIRED_WORKING_DAYS, LeadTimePolicy

pytestmark = pytest.mark.unit
HELSINKI = ZoneInfo("Europe/Helsinki")
FI = working_calendar("FI")
POLICY = LeadTimePolicy(DEFAULT_REQUIRED_WORKING_DAYS, FI, HELSINKI)

moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
gaps = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60))
transports = st.sampled_from(Transport)


def helsinki(*args: int) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)


def test_the_default_policy_asks_most_of_charters_and_least_of_land_and_sea() -> None:
    assert POLICY.required_for(Transport.CHARTER) == 10
    assert POLICY.required_for(Transport.SCHEDULED_FLIGHT) == 5
    assert POLICY.required_for(Transport.LAND) == POLICY.required_for(Transport.SEA) == 3


@pytest.mark.parametrize(
    ("received", "departure", "working_days"),
    [
        (helsinki(2026, 11, 23, 12), helsinki(2026, 12, 2, 8), 7),  # Tue..Wed next week
        (helsinki(2026, 12, 18, 9), helsinki(2027, 1, 4, 6), 8),  # Christmas Eve, Christmas, New Year off
        (helsinki(2026, 11, 23, 9), helsinki(2026, 11, 23, 18), 0),  # same day
        (helsinki(2026, 11, 23, 19), helsinki(2026, 11, 23, 18), -1),  # an hour after departure
        (helsinki(2026, 11, 30, 9), helsinki(2026, 11, 23, 18), -5),  # a week after
        (
            datetime(2026, 11, 22, 23, 30, tzinfo=UTC),
            helsinki(2026, 11, 24, 8),
            1,
        ),  # Monday 01:30 in Helsinki
    ],
)
def test_working_days_from_arrival_to_departure(
    received: datetime, departure: datetime, working_days: int
) -> None:
    assert POLICY.working_days(received, departure) == working_days


@given(moments, gaps)
def test_the_lead_time_counts_the_working_days_after_arrival_up_to_departure(
    received: datetime, gap: timedelta
) -> None:
    departure = received + gap
    first, last = received.astimezone(HELSINKI).date(), departure.astimezone(HELSINKI).date()
    by_hand = sum(
        1 for n in range(1, (last - first).days + 1) if FI.is_working_day(first + timedelta(days=n))
    )
    assert POLICY.working_days(received, departure) == by_hand >= 0


@given(moments, gaps, transports)
def test_a_notice_is_on_time_exactly_when_departure_is_at_least_the_required_working_days_away(
    received: datetime, gap: timedelta, transport: Transport
) -> None:
    departure = received + gap
    lead = POLICY.assess(received, departure, transport)
    earliest_on_time: date = FI.add_working_days(received.astimezone(HELSINKI).date(), lead.required)
    assert lead.required == DEFAULT_REQUIRED_WORKING_DAYS[transport]
    assert lead.late is (departure.astimezone(HELSINKI).date() < earliest_on_time)


@given(moments, gaps, gaps, transports)
def test_a_later_departure_never_shortens_the_lead_time_nor_makes_a_notice_late(
    received: datetime, gap: timedelta, more: timedelta, transport: Transport
) -> None:
    sooner = POLICY.assess(received, received + gap, transport)
    later = POLICY.assess(received, received + gap + more, transport)
    assert later.working_days >= sooner.working_days
    assert not (sooner.late is False and later.late is True)


@given(moments, st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=60)))
def test_a_notice_arriving_after_departure_has_a_negative_lead_time_and_is_late(
    departure: datetime, delay: timedelta
) -> None:
    lead = POLICY.assess(departure + delay, departure, Transport.LAND)
    assert lead.working_days <= -1
    assert lead.late


@given(moments, gaps)
def test_a_more_demanding_transport_is_never_on_time_when_a_lighter_one_is_late(
    received: datetime, gap: timedelta
) -> None:
    verdicts = {t: POLICY.assess(received, received + gap, t).late for t in Transport}
    if verdicts[Transport.LAND]:
        assert verdicts[Transport.SCHEDULED_FLIGHT]
        assert verdicts[Transport.CHARTER]
    if verdicts[Transport.SCHEDULED_FLIGHT]:
        assert verdicts[Transport.CHARTER]


def test_a_policy_must_name_every_transport() -> None:
    with pytest.raises(ValueError, match="charter"):
        LeadTimePolicy({Transport.LAND: 3, Transport.SEA: 3, Transport.SCHEDULED_FLIGHT: 5}, FI, HELSINKI)
