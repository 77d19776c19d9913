"""A driver for resettlement's HTTP API, on a real service with a fixed clock."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from handoff_devtools.testing.helpers import auth
from handoff_plumbing.clock import FixedClock
from handoff_plumbing.service import ServiceRuntime
from resettlement.bootstrap import ResettlementSettings, build

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday

SUBMISSION: dict[str, Any] = {
    "quota_year": 2026,
    "priority": "normal",
    "submission_category": "legal_and_physical_protection_needs",
    "submitted_on": "2026-02-10",
    "unhcr_case_number": "UNHCR-LBN-0001",
    "members": [
        {
            "full_name": "Hala Testperson",
            "age_band": "26_64",
            "date_of_birth": "1985-05-05",
            "sex": "female",
            "nationality": "SYR",
            "languages": ["ar"],
            "education": "upper secondary",
        },
        {"full_name": "Omar Testperson", "age_band": "under_12", "nationality": "SYR", "languages": ["ar"]},
    ],
    "needs": [],
}


def submission(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(SUBMISSION)
    body.update(changes)
    return body


def terms(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "agreed_on": "2026-01-20",
        "agreed_places": 40,
        "assignable_places": 20,
        "accessible_places": 2,
        "housing": [{"size": "two_bedrooms", "dwellings": 4}, {"size": "three_bedrooms", "dwellings": 2}],
        "specialist_care_access": True,
    }
    body.update(changes)
    return body


class Api:
    """Calls as the Agency, a county board (claim ``county``) or a municipality (claim ``municipality``)."""

    agency = auth("agency", "agency:settlement")
    submission = staticmethod(submission)
    terms = staticmethod(terms)

    def __init__(self, runtime: ServiceRuntime, client: httpx.AsyncClient, clock: FixedClock) -> None:
        self.runtime = runtime
        self.client = client
        self.clock = clock

    @staticmethod
    def board(county: str = "12") -> dict[str, str]:
        return auth("county_board", f"board-{county}", county=county)

    @staticmethod
    def municipality(code: str) -> dict[str, str]:
        return auth("municipality", f"municipality-{code}", municipality=code)

    async def ok(
        self, method: str, path: str, headers: dict[str, str], body: Any = None, status: int = 200
    ) -> Any:
        response = await self.client.request(method, path, headers=headers, json=body)
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    async def quota_case(self, selected_on: str | None = "2026-03-01", **changes: Any) -> str:
        case = await self.ok("POST", "/cases", self.agency, submission(**changes), status=201)
        if selected_on is not None:
            body = {"decision": "selected", "decided_on": selected_on}
            await self.ok("POST", f"/cases/{case['case_id']}/selection", self.agency, body)
        return str(case["case_id"])

    async def agree(self, municipality: str, county: str = "12", **changes: Any) -> dict[str, Any]:
        body = {"county_code": county, "municipality_code": municipality, "year": 2026, **terms(**changes)}
        result: dict[str, Any] = await self.ok(
            "POST", "/municipal-places", self.board(county), body, status=201
        )
        return result

    async def run(self, county: str = "12", send_offers: bool = True) -> dict[str, Any]:
        body = {"year": 2026, "send_offers": send_offers}
        result: dict[str, Any] = await self.ok("POST", "/matching-runs", self.board(county), body, status=201)
        return result

    async def outbox_count(self) -> int:
        status = await self.ok("GET", "/ops/status", auth("operator"))
        return int(status["outbox"]["pending"] + status["outbox"]["published"])


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def api(
    service: Callable[..., Awaitable[tuple[ServiceRuntime, httpx.AsyncClient]]], clock: FixedClock
) -> Api:
    runtime, client = await service(lambda settings: build(settings, clock=clock), ResettlementSettings)
    return Api(runtime, client, clock)
