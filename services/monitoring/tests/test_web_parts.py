"""The pieces of the pages that hold rules of their own: the sealed session, where a sign-in may
lead, the chart's scale and suppressed bars, the CSV that no spreadsheet runs, the domain's words."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitoring.domain.statistics import SUPPRESSED, THRESHOLD
from monitoring.entrypoints.web.charts import Series, bar_chart, nice_top
from monitoring.entrypoints.web.rendering import words
from monitoring.entrypoints.web.session import Session, SessionSeal
from monitoring.entrypoints.web.signin import START, safe_next
from monitoring.entrypoints.web.statistics import cell

pytestmark = pytest.mark.unit
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SEAL = SessionSeal(b"k" * 32)
SESSION = Session(csrf="c" * 43, expires_at=int((NOW + timedelta(hours=1)).timestamp()), token="a.b.c")


def test_a_sealed_session_opens_again_until_it_expires_and_never_under_another_key() -> None:
    sealed = SEAL.seal(SESSION)
    assert SEAL.open(sealed, NOW) == SESSION
    assert SEAL.open(sealed, NOW + timedelta(hours=1)) is None
    assert SessionSeal(b"x" * 32).open(sealed, NOW) is None
    assert SEAL.open(None, NOW) is None
    with pytest.raises(ValueError, match="32 bytes"):
        SessionSeal(b"short")


@given(position=st.integers(min_value=0), replacement=st.sampled_from("AQgw-_x."))
def test_a_sealed_session_changed_anywhere_opens_nothing(position: int, replacement: str) -> None:
    sealed = SEAL.seal(SESSION)
    index = position % len(sealed)
    changed = sealed[:index] + replacement + sealed[index + 1 :]
    if SEAL.open(changed, NOW) is not None:  # only a spelling of the very same bytes (base64's spare bits)
        assert decoded(changed) == decoded(sealed)


def decoded(value: str) -> list[bytes] | None:
    try:
        return [base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)) for part in value.split(".")]
    except ValueError:
        return None


def test_the_csrf_token_matches_only_itself() -> None:
    assert SESSION.csrf_matches("c" * 43)
    assert not SESSION.csrf_matches("c" * 42)
    assert not SESSION.csrf_matches(None)
    assert Session.signed_in("t", 1).csrf != Session.signed_in("t", 1).csrf


@pytest.mark.parametrize(
    ("asked", "went"),
    [
        ("/ui/notices/N-1", "/ui/notices/N-1"),
        ("/ui/statistics?department=POL-SYD", "/ui/statistics?department=POL-SYD"),
        (None, START),
        ("", START),
        ("https://elsewhere.example/ui/", START),
        ("//elsewhere.example", START),
        ("/\\elsewhere.example", START),
        ("/ui/\\..\\elsewhere", START),
        ("/notices", START),
        ("javascript:alert(1)", START),
    ],
)
def test_a_sign_in_leads_back_only_to_a_page_of_the_pages(asked: str | None, went: str) -> None:
    assert safe_next(asked) == went


@given(st.integers(min_value=0, max_value=10**7))
def test_the_charts_axis_covers_the_largest_figure_in_a_few_round_steps(largest: int) -> None:
    top, step = nice_top(largest)
    assert top >= max(largest, THRESHOLD)
    assert top % step == 0
    assert top // step <= 10
    assert str(step).strip("0") in ("1", "2", "5")


def test_a_suppressed_count_is_drawn_as_a_hatched_bar_of_the_threshold_labelled_under_5() -> None:
    chart = bar_chart("Notices", ["2026-11", "2026-12"], [Series("on-time", "On time", [10, SUPPRESSED])])
    full, small = chart.bars
    assert (full.text, full.suppressed, small.text, small.suppressed) == ("10", False, "<5", True)
    assert small.height == pytest.approx(full.height * THRESHOLD / 10)
    assert [m.text for m in chart.months] == ["Nov", "Dec"]
    assert chart.months[0].year == "2026"
    assert chart.description == "2026-11: on time 10; 2026-12: on time <5."


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("@SUM", "'@SUM"),
        ("POL-SYD", "POL-SYD"),
        (-1.5, "-1.5"),
        (None, ""),
    ],
)
def test_a_csv_cell_is_never_a_formula(value: object, shown: str) -> None:
    assert cell(value) == shown


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("scheduled_flight", "Scheduled flight"),
        ("26_64", "Aged 26\N{EN DASH}64"),
        ("vulnerability:serious_illness", "Vulnerability: serious illness"),
        ("not_monitor", "Do not monitor"),
        (None, "\N{EM DASH}"),
    ],
)
def test_codes_are_said_in_words(code: str | None, said: str) -> None:
    assert words(code) == said
