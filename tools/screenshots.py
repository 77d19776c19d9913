"""Redraw docs/screenshots/: the ombudsman's pages in headless Chromium, on a laptop and a phone.

    make screenshots            (or: uv run python tools/screenshots.py [--out DIR])

A monitoring service on a fresh SQLite database is given four months of a made-up caseload
through its own consumers (no broker: the events go the way a Kafka record goes after the
poll), on a clock that stands at Monday 23 November 2026, 12:00 in Helsinki; then it is served
on a loopback port and each main page is photographed, and checked with axe-core (WCAG 2.x A
and AA). People are pseudonymous references, as on the real pages.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import uvicorn
from playwright.async_api import Page

from handoff_devtools.testing.browser import AXE, axe_check, chromium
from handoff_devtools.testing.direct import feed_events
from handoff_devtools.testing.helpers import auth, eventually, free_port_block
from handoff_plumbing.clock import FixedClock
from handoff_schemas import Event
from handoff_schemas.events.monitoring import MonitoringDecision, MonitoringDecisionReason
from handoff_schemas.events.police import RemovalExecutedV1, RemovalPlanCreatedV1
from handoff_schemas.registry import EXAMPLE_DIR
from monitoring import commands
from monitoring.adapters.notices import NoticeRepository
from monitoring.bootstrap import MonitoringRuntime, MonitoringSettings, build

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
DEPARTMENTS = ("POL-SYD", "POL-STOCKHOLM", "POL-VAST")
SOURCE = "urn:police:screenshots"
rng = random.Random(12)  # the same caseload every time  # noqa: S311 - not a secret


def example(event_type: str) -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads((EXAMPLE_DIR / f"{event_type}.json").read_text(encoding="utf-8"))[
        "data"
    ]
    return data


def plan(number: int, departure: datetime, **changes: Any) -> RemovalPlanCreatedV1:
    data = example(RemovalPlanCreatedV1.event_type)
    data.update(
        plan_id=f"PL-2026-{number:04d}",
        return_case_id=f"RC-2026-{number:04d}",
        person_ref=f"P-{rng.getrandbits(32):08x}",
        planned_departure=departure.isoformat(),
        **changes,
    )
    return RemovalPlanCreatedV1.model_validate(data)


def executed(p: RemovalPlanCreatedV1 | None, number: int, at: datetime, department: str) -> RemovalExecutedV1:
    data = example(RemovalExecutedV1.event_type)
    data.update(
        plan_id=p.plan_id if p else f"PL-2026-{number:04d}",
        return_case_id=p.return_case_id if p else f"RC-2026-{number:04d}",
        responsible_department=department,
        executed_at=at.isoformat(),
        use_of_force=False,
        restraints_used=[],
        incidents=[],
    )
    return RemovalExecutedV1.model_validate(data)


async def feed_at(runtime: MonitoringRuntime, clock: FixedClock, at: datetime, *events: Event) -> None:
    clock.set(at)
    await feed_events(runtime, *events, source=SOURCE)


async def decide(runtime: MonitoringRuntime, plan_id: str, monitors: list[str], reason: str) -> None:
    async with runtime.uow() as uow:
        notice = await NoticeRepository(uow.session).by_plan(plan_id)
        assert notice is not None
        decision = MonitoringDecision.MONITOR if monitors else MonitoringDecision.NOT_MONITOR
        command = commands.Decide(
            notice.notice_id, decision, monitors, MonitoringDecisionReason(reason), "MON-07"
        )
        await commands.decide(uow, command)
        await uow.commit()


async def seed(runtime: MonitoringRuntime, clock: FixedClock) -> str:
    """Four months of removals per department, then the removals still to come; the notice to show."""
    number = 0
    for month in (8, 9, 10, 11):
        for department in DEPARTMENTS:
            for _ in range(rng.randint(14, 26)):
                number += 1
                departure = datetime(2026, month, rng.randint(1, 20), 5, 30, tzinfo=UTC)
                if departure >= NOW:
                    continue
                if rng.random() < 0.04:  # carried out without any notice
                    await feed_at(runtime, clock, departure, executed(None, number, departure, department))
                    continue
                notice_days = rng.choice((3, 4, 6, 9, 14, 16, 21, 25, 28))
                p = plan(number, departure, responsible_department=department)
                await feed_at(runtime, clock, departure - timedelta(days=notice_days), p)
                if rng.random() < 0.35:
                    await decide(runtime, p.plan_id, ["MON-07"], "sample")
                await feed_at(
                    runtime, clock, departure + timedelta(hours=1), executed(p, number, departure, department)
                )
    upcoming: list[dict[str, Any]] = [
        dict(transport="charter", minor=True, age_band="12_17", vulnerabilities=["unaccompanied_minor"],
             destination_country="AFG", transit_countries=["TUR"], days=12, department="POL-SYD"),
        dict(transport="scheduled_flight", days=2, department="POL-STOCKHOLM", measure="detention"),
        dict(transport="scheduled_flight", days=9, department="POL-VAST", vulnerabilities=["mental_health"]),
        dict(transport="land", days=4, department="POL-SYD", vulnerabilities=[]),
        dict(transport="charter", days=22, department="POL-STOCKHOLM"),
        dict(transport="sea", days=6, department="POL-VAST", vulnerabilities=[], precautions=[]),
        dict(transport="scheduled_flight", days=15, department="POL-SYD", destination_country="IRQ"),
    ]  # fmt: skip
    shown = ""
    for index, facts in enumerate(upcoming):
        number += 1
        days = int(facts.pop("days"))
        department = str(facts.pop("department"))
        p = plan(number, NOW + timedelta(days=days), responsible_department=department, **facts)
        await feed_at(runtime, clock, NOW - timedelta(hours=index + 1), p)
        shown = shown or p.plan_id
    clock.set(NOW)
    await decide(runtime, shown, ["MON-07", "MON-12"], "vulnerable_returnee")
    return shown


Checked = list[tuple[Path, int, int]]  # each screenshot, with axe-core's rules passed and violations


async def photograph(base: str, shown_plan: str, out: Path) -> Checked:
    token = auth("monitor", "MON-07")["Authorization"].removeprefix("Bearer ")
    checked: Checked = []
    async with chromium(Path(tempfile.mkdtemp(prefix="chromium-")), height=800) as context:
        page = await context.new_page()
        await page.goto(f"{base}/ui/login")
        await shot(page, out / "login.png", checked, height=620)
        await page.get_by_label("Your bearer token").fill(token)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url("**/ui/upcoming")
        await page.get_by_role("link", name=shown_plan).click()
        await page.wait_for_url("**/ui/notices/*")
        notice_url = page.url
        pages = [
            ("upcoming", f"{base}/ui/upcoming", 900),
            ("notice", notice_url, 1700),
            ("incoming", f"{base}/ui/incoming", 800),
            ("late-and-missing", f"{base}/ui/late-and-missing", 1200),
            ("statistics", f"{base}/ui/statistics", 1300),
        ]
        for name, url, height in pages:
            await page.goto(url)
            await shot(page, out / f"{name}.png", checked, height=height)
        await page.set_viewport_size({"width": 390, "height": 844})
        for name, url, _ in pages[:2]:
            await page.goto(url)
            await shot(page, out / f"{name}-phone.png", checked, height=1600)
    return checked


async def shot(page: Page, path: Path, checked: Checked, *, height: int) -> None:
    if AXE.is_file():
        result = await axe_check(page)
        passed, violations = result.rules_passed, len(result.violations)
    else:
        passed, violations = 0, -1
    size = page.viewport_size or {"width": 1280}
    full = await page.evaluate("document.documentElement.scrollHeight")
    clip = {"x": 0, "y": 0, "width": size["width"], "height": min(height, full)}
    await page.screenshot(path=path, full_page=True, clip=clip)  # type: ignore[arg-type]
    checked.append((path, passed, violations))


async def started(server: uvicorn.Server) -> bool:
    return server.started


async def main(out: Path) -> Checked:
    work = Path(tempfile.mkdtemp(prefix="screenshots-"))
    clock = FixedClock(NOW)
    settings = MonitoringSettings(
        database_url=f"sqlite+aiosqlite:///{work / 'monitoring.db'}",
        kafka_bootstrap_servers="127.0.0.1:1",  # nothing is sent: the pages only read and record
        development_mode=True,  # the development issuer signs the monitor's token
        risk_countries="AFG",  # type: ignore[arg-type]
        log_json=False,
    )
    runtime = build(settings, clock=clock)
    await runtime.prepare_database()
    shown = await seed(runtime, clock)
    port = free_port_block(1)
    config = uvicorn.Config(
        runtime.create_app(), host="127.0.0.1", port=port, lifespan="off", log_level="warning"
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    await eventually(lambda: started(server))
    try:
        return await photograph(f"http://127.0.0.1:{port}", shown, out)
    finally:
        server.should_exit = True
        await serving
        await runtime.engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    where = parser.parse_args().out
    where.mkdir(parents=True, exist_ok=True)
    for path, passed, violations in asyncio.run(main(where)):
        axe = (
            f"axe-core: {passed} rules passed, {violations} violations" if violations >= 0 else "no axe-core"
        )
        print(f"{path.name}: {path.stat().st_size // 1024} KiB; {axe}")
