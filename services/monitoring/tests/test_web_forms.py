"""The decision and report forms of the pages: the API's rules and request ids, the session's
CSRF token, each fault shown beside its field, nothing recorded by a refused form."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from handoff_devtools.testing.helpers import auth
from handoff_schemas.events.monitoring import MonitoringDecisionMadeV1, MonitoringReportFiledV1
from monitoring.adapters import orm

pytestmark = pytest.mark.db
MONITOR = auth("monitor")


async def decisions_on(browser: Any, notice_id: str) -> list[dict[str, Any]]:
    answer = await browser.client.get("/decisions", params={"notice_id": notice_id}, headers=MONITOR)
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def staged_events(browser: Any) -> list[str]:
    async with browser.runtime.uow() as uow:
        return list((await uow.session.scalars(select(orm.outbox.c.event_type))).all())


async def test_a_decision_sent_from_the_page_is_recorded_once_and_goes_to_the_police(
    browser, police, feed
) -> None:
    plan = police.plan()
    await feed(browser.runtime, plan)
    notice_id = await browser.notice_id(plan.plan_id)
    await browser.sign_in(subject="MON-07")
    form = {"decision": "monitor", "monitors": "mon-07, MON-12", "reason": "vulnerable_returnee"}
    url = f"/ui/notices/{notice_id}/decision"

    sent = await browser.submit(url, request_id="desk-1", **form)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/ui/notices/{notice_id}?done=decision#decision"
    again = await browser.submit(url, request_id="desk-1", **form)  # a second click, a reload
    assert again.status_code == 303
    [decision] = await decisions_on(browser, notice_id)
    assert (decision["decision"], decision["monitors"], decision["decided_by"]) == (
        "monitor",
        ["MON-07", "MON-12"],
        "MON-07",
    )
    assert (await staged_events(browser)).count(MonitoringDecisionMadeV1.event_type) == 1

    page = (await browser.client.get(sent.headers["location"])).text
    assert "Your decision is recorded" in page
    assert "Latest: Monitor (MON-07, MON-12)" in re.sub(r"<[^>]+>", "", page)

    other = await browser.submit(url, request_id="desk-1", **{**form, "monitors": "MON-12"})
    assert other.status_code == 422
    assert "This form was sent before with other content" in other.text
    assert len(await decisions_on(browser, notice_id)) == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"monitors": "Maija Meikäläinen"}, "monitors", "a staff code of capitals, digits and"),
        ({"monitors": ""}, "monitors", "needs at least one monitor"),
        ({"reason": "no_capacity"}, "reason", "not a reason to decide"),
        ({"reason": ""}, "reason", "Required"),
        ({"decision": "maybe"}, "decision", "Choose one of the options"),
    ],
)
async def test_a_refused_decision_shows_the_fault_beside_its_field_and_records_nothing(
    browser, police, feed, fields: dict[str, str], field: str, message: str
) -> None:
    plan = police.plan()
    await feed(browser.runtime, plan)
    notice_id = await browser.notice_id(plan.plan_id)
    await browser.sign_in()
    form = {"decision": "monitor", "monitors": "MON-07", "reason": "vulnerable_returnee", **fields}

    refused = await browser.submit(f"/ui/notices/{notice_id}/decision", **form)
    assert refused.status_code == 422
    error = refused.text.split(f'<p class="error-message" id="e-{field}">')[1].split("</p>")[0]
    assert message in error
    assert f'<a href="#f-{field}">' in refused.text  # the summary leads to the field
    assert await decisions_on(browser, notice_id) == []


async def test_a_form_without_the_sessions_csrf_token_changes_nothing(browser, police, feed) -> None:
    plan = police.plan()
    await feed(browser.runtime, plan)
    notice_id = await browser.notice_id(plan.plan_id)
    await browser.sign_in()
    form = {"decision": "monitor", "monitors": "MON-07", "reason": "vulnerable_returnee"}
    url = f"/ui/notices/{notice_id}/decision"

    for csrf in ("", "forged", None):
        fields = form if csrf is None else {**form, "csrf_token": csrf}
        answer = await browser.client.post(url, data=fields)
        assert answer.status_code == 403
        assert "The form has expired" in answer.text
    as_json = await browser.client.post(url, json={**form, "csrf_token": browser.csrf})
    assert as_json.status_code == 415
    assert await decisions_on(browser, notice_id) == []

    browser.client.cookies.clear()  # signed out: the form leads to the sign-in page
    assert (await browser.submit(url, **form)).status_code == 303
    assert await decisions_on(browser, notice_id) == []


async def test_no_decision_on_a_removal_already_carried_out(browser, police, feed) -> None:
    plan = police.plan()
    await feed(browser.runtime, plan, police.executed(plan.plan_id, plan.return_case_id))
    notice_id = await browser.notice_id(plan.plan_id)
    await browser.sign_in()
    page = (await browser.client.get(f"/ui/notices/{notice_id}")).text
    assert "Record the decision" not in page
    assert "monitoring is decided on planned removals only" in page

    late = await browser.submit(
        f"/ui/notices/{notice_id}/decision", decision="not_monitor", monitors="", reason="low_risk"
    )
    assert late.status_code == 409
    assert "There is a problem" in late.text
    assert "is executed: monitoring is decided on planned removals only" in late.text


async def test_a_report_is_filed_from_the_page_after_a_decision_to_monitor_and_published(
    browser, police, feed
) -> None:
    plan = police.plan()
    await feed(browser.runtime, plan)
    notice_id = await browser.notice_id(plan.plan_id)
    await browser.sign_in()
    url = f"/ui/notices/{notice_id}"
    assert "File the report" not in (await browser.client.get(url)).text
    await browser.submit(f"{url}/decision", decision="monitor", monitors="MON-07", reason="sample")
    assert "File the report" in (await browser.client.get(url)).text

    half = await browser.submit(
        f"{url}/report",
        **{
            "findings.2.observation": "Handcuffs kept on during the flight.",
            "findings.2.severity": "concern",
        },
    )
    assert half.status_code == 422
    assert '<p class="error-message" id="e-findings-2-right">' in half.text  # the third row's
    assert "Handcuffs kept on during the flight." in half.text  # what was written stays

    filed = await browser.submit(
        f"{url}/report",
        request_id="report-1",
        phases_observed=["pre_departure", "in_flight"],
        recommendations="Remove restraints once airborne.\n\nBrief escorts on medicines.",
        **{
            "findings.1.right": "proportionate_use_of_force",
            "findings.1.severity": "concern",
            "findings.1.observation": "Handcuffs kept on during the flight.",
        },
    )
    assert filed.status_code == 303
    [report] = (
        await browser.client.get("/reports", params={"notice_id": notice_id}, headers=MONITOR)
    ).json()["items"]
    assert report["phases_observed"] == ["pre_departure", "in_flight"]
    assert report["findings"] == [
        {
            "right": "proportionate_use_of_force",
            "observation": "Handcuffs kept on during the flight.",
            "severity": "concern",
        }
    ]
    assert report["recommendations"] == ["Remove restraints once airborne.", "Brief escorts on medicines."]
    assert report["published"] is False
    assert MonitoringReportFiledV1.event_type not in await staged_events(browser)

    published = await browser.submit(f"/ui/reports/{report['report_id']}/publish")
    assert published.headers["location"] == f"{url}?done=published#report"
    assert MonitoringReportFiledV1.event_type in await staged_events(browser)
    page = (await browser.client.get(url)).text
    assert "<strong>published</strong>" in page
    assert "Publish the report" not in page
    twice = await browser.submit(f"{url}/report", request_id="report-2", phases_observed="transfer")
    assert twice.status_code == 409
    assert "already has report" in twice.text
