"""The ombudsman's pages in a real browser: headless Chromium from Debian's packages, driven by
Playwright, against the monitoring service served over HTTP on loopback, with the Police's
service beside it on the real broker.

A monitor signs in with a token, watches the incoming notices, sees a plan the Police create
appear without reloading, opens it, records a decision with the keyboard and the form, and the
Police's API shows that decision on the plan. axe-core checks every main page on the way.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from handoff_devtools.testing import browser
from handoff_devtools.testing.browser import AXE
from handoff_devtools.testing.examples import handover_document
from handoff_devtools.testing.fixtures import require_tool
from handoff_devtools.testing.helpers import auth, eventually, free_port_block, produce
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_schemas import attributes_for, encode
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1
from handoff_schemas.topics import RETURNS_HANDOVER_V1
from monitoring.bootstrap import MonitoringSettings
from monitoring.bootstrap import build as build_monitoring
from police_handover.bootstrap import PoliceHandoverSettings
from police_handover.bootstrap import build as build_police

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.slow]
POLICE = auth("police")


@pytest.fixture
def database_backend() -> str:
    """One run, on SQLite: the pages' reads and writes run on both databases in the service's tests."""
    return "sqlite"


@pytest.fixture
async def served_monitor(
    kafka: KafkaAccess, topic_prefix: str, new_database_url: Callable[[], Awaitable[str]]
) -> AsyncIterator[str]:
    """The monitoring service as it runs in production: uvicorn on a loopback port, lifespan and all."""
    await kafka.grant(topic_prefix)
    settings = MonitoringSettings(
        **kafka.settings("monitoring"),
        kafka_topic_prefix=topic_prefix,
        database_url=await new_database_url(),
        relay_poll_seconds=0.1,
        consumer_backoff_initial_seconds=0.05,
        web_session_secret="a-session-key-for-the-browser-test-0123456789",  # type: ignore[arg-type]
    )
    runtime = build_monitoring(settings)
    port = free_port_block(1)
    server = uvicorn.Server(
        uvicorn.Config(runtime.create_app(), host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    serving = asyncio.create_task(server.serve())
    await eventually(lambda: _started(server), timeout=60)
    await asyncio.wait_for(runtime.kafka_connected.wait(), timeout=60)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await asyncio.wait_for(serving, timeout=30)


async def _started(server: uvicorn.Server) -> bool:
    return server.started


@pytest.fixture
async def chromium(tmp_path: Path) -> AsyncIterator[Any]:
    """A fresh headless Chromium (its own profile directory) from Debian's package."""
    require_tool("chromium")
    if not AXE.is_file():
        message = f"axe-core is not installed at {AXE} (make browser installs it; make test does)"
        if os.environ.get("HANDOFF_REQUIRE_OPS_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    async with browser.chromium(tmp_path / "chromium-profile") as context:
        yield context


async def accessibility_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.x A and AA violations on the page as it is now, one line each."""
    result = await browser.axe_check(page)
    assert result.rules_passed, "axe-core checked nothing"
    return result.violations


async def hand_over_a_case_to_the_police(kafka: KafkaAccess, topic_prefix: str) -> CaseHandedOverToPoliceV1:
    """Returns' handover of a complete case, put on the broker as the returns service does."""
    package = CaseHandedOverToPoliceV1.model_validate(handover_document(datetime.now(UTC)))
    attributes = attributes_for(package, source="returns", now=datetime.now(UTC))
    headers = [(name, value.encode()) for name, value in attributes.to_headers().items()]
    message = (package.aggregate_id().encode(), encode(package), headers)
    await produce(kafka, topic_prefix + RETURNS_HANDOVER_V1.name, [message])
    return package


async def test_a_monitor_sees_a_new_plan_arrive_opens_it_and_decides_and_the_police_see_the_decision(
    service, kafka, topic_prefix, served_monitor, chromium
) -> None:
    _, police = await service(build_police, PoliceHandoverSettings)
    package = await hand_over_a_case_to_the_police(kafka, topic_prefix)
    handovers = await eventually(
        lambda: police.get("/handovers", params={"return_case_id": package.return_case_id}, headers=POLICE),
        until=lambda r: r.json()["total"] == 1,
    )
    handover = handovers.json()["items"][0]
    assert handover["outcome"] == "accepted", handover

    page = await chromium.new_page()
    await page.goto(f"{served_monitor}/ui/incoming")
    assert "/ui/login?next=/ui/incoming" in page.url  # not signed in: the sign-in page first
    assert await accessibility_violations(page) == []
    await page.get_by_label("Your bearer token").fill(auth("monitor", "MON-07")["Authorization"][7:])
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/ui/incoming")
    assert await page.get_by_text("No notice has arrived yet.").is_visible()
    session = next(c for c in await chromium.cookies() if c["name"] == "handoff_monitor_session")
    assert (session["httpOnly"], session["sameSite"], session["secure"]) == (True, "Strict", True)
    assert await page.evaluate("document.cookie") == ""  # no script reads the session

    departure = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    created = await police.post(
        "/removal-plans",
        headers=POLICE,
        json={
            "request_id": "browser-plan",
            "enforcement_case_id": handover["enforcement_case_id"],
            "readmission_basis": "bilateral_readmission_agreement",
            "transport": "scheduled_flight",
            "escort_level": "escorted_to_destination",
            "planned_departure": departure.isoformat(),
        },
    )
    assert created.status_code == 201, created.text
    plan_id = created.json()["plan_id"]

    link = page.get_by_role("link", name=plan_id)  # arrives on the open page, no reload
    await link.wait_for(timeout=30_000)
    assert await page.locator("#live-status").inner_text() == "1 new notice has arrived."
    assert await accessibility_violations(page) == []
    await link.click()
    await page.wait_for_url("**/ui/notices/*")
    assert await page.get_by_role("heading", level=1).inner_text() == f"Removal plan {plan_id}"
    assert await accessibility_violations(page) == []

    await page.keyboard.press("Tab")  # the first stop is the way past the banner
    assert await page.evaluate("document.activeElement.textContent") == "Skip to main content"
    await page.get_by_label("Monitor", exact=True).focus()
    await page.keyboard.press("Space")
    assert await page.get_by_label("Monitor", exact=True).is_checked()
    outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    await page.keyboard.press("Tab")  # out of the radio group, on to the monitors
    assert await page.evaluate("document.activeElement.id") == "f-monitors"
    await page.keyboard.type("MON-07, MON-12")
    await page.get_by_label("Reason").select_option("vulnerable_returnee")
    await page.get_by_role("button", name="Record the decision").click()
    await page.wait_for_url("**done=decision*")
    assert (
        await page.get_by_role("status").inner_text()
        == "Your decision is recorded and on its way to the Police."
    )

    plan = await eventually(
        lambda: police.get(f"/removal-plans/{plan_id}", headers=POLICE),
        until=lambda r: (
            ((r.json().get("monitoring") or {}).get("decision") or {}).get("decision") == "monitor"
        ),
    )
    decision = plan.json()["monitoring"]["decision"]
    assert (decision["monitors"], decision["reason"]) == (["MON-07", "MON-12"], "vulnerable_returnee")

    for path in ("/ui/upcoming", "/ui/late-and-missing", "/ui/statistics"):
        await page.goto(served_monitor + path)
        assert await accessibility_violations(page) == [], path
    await page.set_viewport_size({"width": 390, "height": 844})  # a phone
    await page.goto(f"{served_monitor}/ui/upcoming")
    assert await page.get_by_role("link", name=plan_id).is_visible()
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert await accessibility_violations(page) == []
