"""The HTTP edge written once: problem details, paging bounds, the rules dependency, and commands
that run at most once per request id (on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from handoff_devtools.testing.helpers import auth
from handoff_plumbing.auth import Caller, require_roles
from handoff_plumbing.errors import Conflict, InvalidInput, NotFound, NotPermitted
from handoff_plumbing.http import Uow
from handoff_plumbing.http.commands import Command, replayed
from handoff_plumbing.http.paging import Page, PagingQuery
from handoff_plumbing.http.problems import MEDIA_TYPE
from handoff_plumbing.http.rules import rules_of
from handoff_plumbing.idempotency import define_idempotency_table
from handoff_plumbing.paging import MAX_OFFSET, Paging
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
from handoff_plumbing.settings import Settings
from handoff_plumbing.tables import define_plumbing_tables
from handoff_plumbing.uow import UnitOfWork

METADATA = MetaData()
NOTES = Table(
    "notes",
    METADATA,
    Column("note_id", Integer, primary_key=True, autoincrement=True),
    Column("text", String(100)),
)
OUTBOX, INBOX = define_plumbing_tables(METADATA)
define_idempotency_table(METADATA)
Writer = Annotated[Caller, Depends(require_roles("agency"))]


@dataclass(frozen=True)
class NoteRules:
    longest: int = 20


Rules = Annotated[NoteRules, Depends(rules_of(NoteRules))]


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request_id: str | None = Field(default=None, min_length=1)
    text: str = Field(min_length=1)


class NoteOut(BaseModel):
    note_id: int
    text: str


def router(*, slow: asyncio.Event | None = None) -> APIRouter:
    routes = APIRouter()

    @routes.post("/notes", status_code=status.HTTP_201_CREATED, responses=replayed(NoteOut))
    async def add(body: NoteIn, command: Command, rules: Rules, _caller: Writer) -> NoteOut:
        async def step(uow: UnitOfWork) -> NoteOut:
            if len(body.text) > rules.longest:
                raise InvalidInput("text", f"at most {rules.longest} characters")
            result = await uow.session.execute(insert(NOTES).values(text=body.text))
            if slow is not None:
                await slow.wait()
            return NoteOut(note_id=result.inserted_primary_key[0], text=body.text)

        return await command.run(step, request_id=body.request_id, body=body)

    @routes.get("/notes")
    async def listing(uow: Uow, paging: PagingQuery, _caller: Writer) -> Page[NoteOut]:
        return Page[NoteOut].of([], 0, paging)

    @routes.get("/refusals/{kind}")
    async def refuse(kind: str, _caller: Writer) -> NoteOut:
        raise {
            "conflict": Conflict("the note is closed", reason="note_closed", closed_on="2026-11-20"),
            "missing": NotFound("note", "N-1"),
            "foreign": NotPermitted("another desk's note"),
            "query": InvalidInput("from_month", "must not be after to_month", location="query"),
        }[kind]

    return routes


async def runtime_on(
    database_url: str, *, rules: object = None, slow: asyncio.Event | None = None
) -> ServiceRuntime:
    definition = ServiceDefinition(
        name="notes",
        title="notes",
        description="test service",
        metadata=METADATA,
        outbox=OUTBOX,
        inbox=INBOX,
        migrations_dir=None,
        routers=[router(slow=slow)],
        rules=NoteRules() if rules is None else rules,
    )
    runtime = ServiceRuntime(
        definition,
        Settings(service_name="notes", database_url=database_url, kafka_bootstrap_servers="127.0.0.1:1"),
    )
    await runtime.prepare_database()
    return runtime


@pytest.fixture
async def notes(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    runtime = await runtime_on(database_url)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=runtime.create_app()), base_url="http://n"
    ) as c:
        yield c
    await runtime.engine.dispose()


async def count_notes(client: httpx.AsyncClient) -> int:
    runtime: ServiceRuntime = client._transport.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(NOTES)) or 0)


def assert_problem(response: httpx.Response, status_code: int) -> dict[str, Any]:
    assert response.status_code == status_code, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status_code
    assert body["instance"] == response.request.url.path
    return body


# ---------------------------------------------------------------------------- problems


@pytest.mark.db
async def test_a_domain_refusal_is_a_problem_of_its_kind(notes: httpx.AsyncClient) -> None:
    agency = auth("agency")
    conflict = assert_problem(await notes.get("/refusals/conflict", headers=agency), 409)
    missing = assert_problem(await notes.get("/refusals/missing", headers=agency), 404)
    foreign = assert_problem(await notes.get("/refusals/foreign", headers=agency), 403)
    query = assert_problem(await notes.get("/refusals/query", headers=agency), 422)

    assert (conflict["type"], conflict["reason"], conflict["closed_on"]) == (
        "urn:handoff:problem:conflict",
        "note_closed",
        "2026-11-20",
    )
    assert conflict["detail"] == "the note is closed"
    assert missing["detail"] == "no note 'N-1'"
    assert foreign["type"] == "urn:handoff:problem:not-permitted"
    assert query["errors"] == [
        {"loc": ["query", "from_month"], "field": "from_month", "message": "must not be after to_month"}
    ]


@pytest.mark.db
async def test_invalid_input_names_each_field_in_the_same_shape(notes: httpx.AsyncClient) -> None:
    agency = auth("agency")
    by_fastapi = assert_problem(
        await notes.post("/notes", json={"text": "", "colour": "red"}, headers=agency), 422
    )
    by_the_rules = assert_problem(await notes.post("/notes", json={"text": "x" * 21}, headers=agency), 422)

    assert {e["field"] for e in by_fastapi["errors"]} == {"text", "colour"}
    assert by_fastapi["detail"] == "invalid text, colour"
    assert by_the_rules["errors"] == [
        {"loc": ["body", "text"], "field": "text", "message": "at most 20 characters"}
    ]
    assert by_fastapi["type"] == by_the_rules["type"] == "urn:handoff:problem:invalid-input"
    assert await count_notes(notes) == 0


@pytest.mark.db
async def test_auth_and_routing_errors_are_problems_too(notes: httpx.AsyncClient) -> None:
    unauthenticated = assert_problem(await notes.get("/notes"), 401)
    wrong_role = assert_problem(await notes.get("/notes", headers=auth("monitor")), 403)
    no_route = assert_problem(await notes.get("/nowhere", headers=auth("agency")), 404)

    assert unauthenticated["type"] == "about:blank"
    assert unauthenticated["title"] == "Unauthorized"
    assert (await notes.get("/notes")).headers["www-authenticate"] == "Bearer"
    assert "'monitor'" in wrong_role["detail"]
    assert no_route["title"] == "Not Found"


@pytest.mark.db
async def test_the_openapi_document_declares_problems_for_every_error_answer(
    notes: httpx.AsyncClient,
) -> None:
    document = (await notes.get("/openapi.json")).json()
    add = document["paths"]["/notes"]["post"]["responses"]

    assert {"200", "201", "401", "403", "422"} <= set(add)
    for code, answer in add.items():
        if code >= "400":
            assert answer["content"] == {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert {"type", "title", "status", "detail", "instance"} <= set(
        document["components"]["schemas"]["Problem"]["properties"]
    )


# ---------------------------------------------------------------------------- paging, rules


@pytest.mark.db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("offset=-1", "offset"),
        (f"offset={MAX_OFFSET + 1}", "offset"),
    ],
)
async def test_paging_is_bounded(notes: httpx.AsyncClient, query: str, field: str) -> None:
    refused = assert_problem(await notes.get(f"/notes?{query}", headers=auth("agency")), 422)
    assert refused["errors"][0]["loc"] == ["query", field]


@pytest.mark.unit
def test_paging_refuses_what_the_database_could_not_hold() -> None:
    with pytest.raises(ValueError, match="offset"):
        Paging(offset=2**63)
    with pytest.raises(ValueError, match="limit"):
        Paging(limit=0)
    assert Paging(limit=2, offset=1).of([1, 2, 3, 4]) == [2, 3]


@pytest.mark.db
async def test_an_app_without_its_rules_fails_loudly(database_url: str) -> None:
    runtime = await runtime_on(database_url, rules="not the rules")
    transport = httpx.ASGITransport(app=runtime.create_app(), raise_app_exceptions=True)
    async with httpx.AsyncClient(transport=transport, base_url="http://n") as client:
        with pytest.raises(RuntimeError, match=r"app\.state\.rules is str, not NoteRules"):
            await client.post("/notes", json={"text": "a"}, headers=auth("agency"))
    await runtime.engine.dispose()


# ---------------------------------------------------------------------------- request ids


@pytest.mark.db
async def test_a_repeated_request_answers_the_first_result_and_changes_nothing(
    notes: httpx.AsyncClient,
) -> None:
    agency = auth("agency")
    first = await notes.post("/notes", json={"request_id": "r-1", "text": "hello"}, headers=agency)
    again = await notes.post("/notes", json={"text": "hello", "request_id": "r-1"}, headers=agency)
    without = await notes.post("/notes", json={"text": "hello"}, headers=agency)

    assert (first.status_code, again.status_code, without.status_code) == (201, 200, 201)
    assert again.json() == first.json()
    assert without.json()["note_id"] != first.json()["note_id"]
    assert await count_notes(notes) == 2


@pytest.mark.db
async def test_a_request_id_reused_for_another_request_is_a_422_naming_it(notes: httpx.AsyncClient) -> None:
    agency = auth("agency")
    await notes.post("/notes", json={"request_id": "r-2", "text": "hello"}, headers=agency)
    other = assert_problem(
        await notes.post("/notes", json={"request_id": "r-2", "text": "goodbye"}, headers=agency), 422
    )
    another_caller = await notes.post(
        "/notes", json={"request_id": "r-2", "text": "goodbye"}, headers=auth("agency", subject="other-desk")
    )

    assert [e["field"] for e in other["errors"]] == ["request_id"]
    assert "POST /notes" in other["detail"]
    assert "goodbye" not in other["detail"]
    assert "hello" not in other["detail"]
    assert another_caller.status_code == 201  # request ids are the caller's own
    assert await count_notes(notes) == 2


@pytest.mark.db
async def test_a_refused_command_is_not_remembered(notes: httpx.AsyncClient) -> None:
    agency = auth("agency")
    refused = await notes.post("/notes", json={"request_id": "r-3", "text": "x" * 21}, headers=agency)
    assert refused.status_code == 422
    assert (
        await notes.post("/notes", json={"request_id": "r-3", "text": "short"}, headers=agency)
    ).status_code == 201


@pytest.mark.db
async def test_twins_at_once_take_effect_once_and_both_answer_the_first_result(database_url: str) -> None:
    hold = asyncio.Event()
    runtime = await runtime_on(database_url, slow=hold)
    agency = auth("agency")
    body = {"request_id": "twin", "text": "once"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=runtime.create_app()), base_url="http://n"
    ) as c:
        twins = [asyncio.create_task(c.post("/notes", json=body, headers=agency)) for _ in range(2)]
        await asyncio.sleep(0.3)  # both are inside their command (or queued for the write lock)
        hold.set()
        first, second = await asyncio.gather(*twins)
        notes = await count_notes(c)
    await runtime.engine.dispose()

    assert sorted([first.status_code, second.status_code]) == [200, 201]
    assert first.json() == second.json()
    assert notes == 1
