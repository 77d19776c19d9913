"""Bad input at the HTTP edge: every value outside what a field takes is a 422 naming the field,
a body over the limit is a 413, and the answer itself can always be sent (a lone surrogate in a
field's name once crashed a service while it built its own 422)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI, Query
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from handoff_plumbing.http.body_limit import BodyLimit
from handoff_plumbing.http.problems import MEDIA_TYPE, encodable, install_problem_details
from handoff_plumbing.http.types import (
    ISO_COUNTRIES,
    CountryCode,
    Day,
    Identifier,
    Moment,
    Month,
    Nationality,
    PersonName,
    Text,
    not_after,
)

pytestmark = pytest.mark.unit
LIMIT = 4096


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    full_name: PersonName
    born_on: Day
    nationality: Nationality
    note: Annotated[str, Text(max_length=100, multiline=True)] | None = None


def app() -> FastAPI:
    api = FastAPI()
    install_problem_details(api)

    @api.post("/people")
    async def register(body: PersonIn) -> dict[str, str]:
        not_after("born_on", body.born_on, date(2026, 11, 2))
        return {"full_name": body.full_name}

    @api.get("/report")
    async def report(
        to_month: Annotated[Month | None, Query()] = None,
        destination: Annotated[CountryCode | None, Query()] = None,
        case_id: Annotated[Identifier | None, Query()] = None,
    ) -> dict[str, Any]:
        return {"to_month": None if to_month is None else to_month.isoformat(), "destination": destination}

    api.add_middleware(BodyLimit, max_bytes=LIMIT)
    return api


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://edge") as http:
        yield http


def person(**changes: Any) -> dict[str, Any]:
    return {"full_name": "Zoë Al-Farsi", "born_on": "1990-01-01", "nationality": "IRQ", **changes}


def fields_at_fault(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    return [error["field"] for error in response.json()["errors"]]


async def test_a_valid_person_is_taken(client: httpx.AsyncClient) -> None:
    response = await client.post("/people", json=person(note="line one\nline two"))
    assert response.status_code == 200, response.text
    assert response.json() == {"full_name": "Zoë Al-Farsi"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"full_name": "A\x00B"}, "full_name"),
        ({"full_name": "Robert'); DROP TABLE--"}, "full_name"),
        ({"full_name": "   "}, "full_name"),
        ({"full_name": "N" * 201}, "full_name"),
        ({"full_name": "1234"}, "full_name"),
        ({"born_on": "0001-01-01"}, "born_on"),
        ({"born_on": "1899-12-31"}, "born_on"),
        ({"born_on": "9999-12-31"}, "born_on"),
        ({"born_on": "2026-11-03"}, "born_on"),  # the day after the service's today
        ({"nationality": "ZZZ"}, "nationality"),
        ({"nationality": "swe"}, "nationality"),
        ({"note": "bell\x07"}, "note"),
        ({"note": "private \ue000 use"}, "note"),
    ],
)
async def test_a_value_outside_what_a_field_takes_is_a_422_naming_it(
    client: httpx.AsyncClient, changes: dict[str, Any], field: str
) -> None:
    response = await client.post("/people", json=person(**changes))
    assert fields_at_fault(response) == [field]


async def test_a_lone_surrogate_anywhere_gets_a_422_that_can_be_sent(client: httpx.AsyncClient) -> None:
    body = '{"full_name": "A\\ud800B", "born_on": "1990-01-01", "nationality": "IRQ", "\\udfff": 1}'
    response = await client.post("/people", content=body, headers={"content-type": "application/json"})
    assert fields_at_fault(response) == [""]  # the JSON parser refuses the body as a whole
    assert response.json()["errors"][0]["message"] == "holds a lone surrogate: text must be valid Unicode"


def test_a_problem_naming_a_lone_surrogate_can_be_sent() -> None:
    body = encodable({"errors": [{"loc": ["body", "\udfff"], "message": "unknown \ud800"}]})
    sent = json.dumps(body, ensure_ascii=False).encode("utf-8")
    assert json.loads(sent) == {"errors": [{"loc": ["body", "\\udfff"], "message": "unknown \\ud800"}]}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("to_month=0000-01", "to_month"),
        ("to_month=2026-13", "to_month"),
        ("to_month=9999-12", "to_month"),
        ("destination=ZZZ", "destination"),
        ("case_id=%00", "case_id"),
        ("case_id=" + "x" * 65, "case_id"),
    ],
)
async def test_a_query_outside_the_calendar_or_the_code_lists_is_a_422(
    client: httpx.AsyncClient, query: str, field: str
) -> None:
    response = await client.get(f"/report?{query}")
    assert fields_at_fault(response) == [field]


async def test_a_month_is_read_as_its_first_day(client: httpx.AsyncClient) -> None:
    response = await client.get("/report?to_month=2026-02&destination=XKX")
    assert response.json() == {"to_month": "2026-02-01", "destination": "XKX"}


async def test_a_body_declared_over_the_limit_is_refused_before_it_is_read(client: httpx.AsyncClient) -> None:
    body = json.dumps(person(note="x" * LIMIT)).encode()
    response = await client.post("/people", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"] == MEDIA_TYPE
    assert response.json()["detail"] == f"the request body is larger than the limit of {LIMIT} bytes"


async def test_a_streamed_body_is_counted_and_refused_once_over_the_limit(client: httpx.AsyncClient) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(100):
            sent += 1024
            yield b" " * 1024

    response = await client.post("/people", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["status"] == 413
    assert sent < 100 * 1024, "the body was read to its end"


async def test_a_body_under_the_limit_is_read(client: httpx.AsyncClient) -> None:
    response = await client.post("/people", json=person(note="x" * 101))
    assert fields_at_fault(response) == ["note"]  # too long for the field, not for the service


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_text_takes_no_character_a_system_cannot_store_or_show(value: str) -> None:
    try:
        taken = TypeAdapter(Annotated[str, Text(max_length=30)]).validate_python(value)
    except ValidationError:
        return
    assert taken.strip()
    for character in taken:
        assert unicodedata.category(character) not in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), repr(character)


@settings(max_examples=200, deadline=None)
@given(st.dates(), st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3))
def test_days_and_countries_take_only_the_calendar_and_the_standard(day: date, code: str) -> None:
    assert _takes(Day, day) == (date(1900, 1, 1) <= day <= date(2100, 12, 31))
    assert _takes(CountryCode, code) == (code in ISO_COUNTRIES)
    assert _takes(Month, f"{day:%Y-%m}") == (1900 <= day.year <= 2100)


def test_a_moment_has_its_offset_and_stays_in_the_calendar() -> None:
    assert _takes(Moment, "2026-11-02T10:00:00+01:00")
    assert not _takes(Moment, "2026-11-02T10:00:00")
    assert not _takes(Moment, "9999-12-31T23:59:59+00:00")


def test_nationality_takes_the_icao_codes_for_no_nationality() -> None:
    assert _takes(Nationality, "XXA")
    assert _takes(Nationality, "SWE")
    assert not _takes(CountryCode, "XXA")


def _takes(kind: Any, value: Any) -> bool:
    try:
        TypeAdapter(kind).validate_python(value)
    except ValidationError:
        return False
    return True
