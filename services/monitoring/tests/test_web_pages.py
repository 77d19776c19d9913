"""The ombudsman's pages show what the monitor's API shows: upcoming removals by priority with
filters, a notice with its timeline, late and missing notices per department, the published
statistics as charts and CSV, and the incoming notices that update themselves."""

from __future__ import annotations

import csv
import io
import re

import pytest

from handoff_devtools.testing.helpers import auth

pytestmark = pytest.mark.db
ROW = re.compile(r'<tr data-notice-id="([^"]+)">')


def listed(html: str) -> list[str]:
    """The notices a listing shows, in order."""
    return ROW.findall(html)


async def test_upcoming_removals_come_by_priority_then_departure_and_filter_as_asked(
    browser, police, feed
) -> None:
    soon = police.plan(vulnerabilities=[], precautions=[], planned_departure="2026-12-10T06:00:00+02:00")
    later = police.plan(vulnerabilities=[], precautions=[], planned_departure="2026-12-20T06:00:00+02:00")
    child = police.plan(
        vulnerabilities=["unaccompanied_minor"],
        precautions=[],
        age_band="12_17",
        minor=True,
        transport="charter",
        responsible_department="POL-STOCKHOLM",
        planned_departure="2027-01-15T06:00:00+02:00",
    )
    rushed = police.plan(  # Monday's notice of Wednesday's flight: 2 of 5 working days
        vulnerabilities=[], precautions=[], planned_departure="2026-11-25T06:00:00+02:00"
    )
    gone = police.plan()
    await feed(
        browser.runtime, soon, later, child, rushed, gone, police.executed(gone.plan_id, gone.return_case_id)
    )
    ids = {plan.plan_id: await browser.notice_id(plan.plan_id) for plan in (soon, later, child, rushed)}
    await browser.sign_in()

    async def shown(**filters: str) -> list[str]:
        page = await browser.client.get("/ui/upcoming", params=filters)
        assert page.status_code == 200, page.text
        return listed(page.text)

    assert await shown() == [ids[child.plan_id], ids[rushed.plan_id], ids[soon.plan_id], ids[later.plan_id]]
    page = (await browser.client.get("/ui/upcoming")).text
    assert "2 of 5 working days" in page  # the lead time against the policy, at a glance
    assert "High" in page
    assert "Late" in page

    assert await shown(department="POL-STOCKHOLM") == [ids[child.plan_id]]
    assert await shown(transport="charter") == [ids[child.plan_id]]
    assert await shown(timeliness="late") == [ids[rushed.plan_id]]
    assert await shown(timeliness="on_time", department="POL-SYD") == [ids[soon.plan_id], ids[later.plan_id]]
    decided = await browser.submit(
        f"/ui/notices/{ids[soon.plan_id]}/decision", decision="not_monitor", reason="low_risk"
    )
    assert decided.status_code == 303
    assert await shown(decided="yes") == [ids[soon.plan_id]]
    assert ids[soon.plan_id] not in await shown(decided="no")

    wrong = await browser.client.get("/ui/upcoming", params={"transport": "balloon"})
    assert wrong.status_code == 422
    assert "transport: one of " in wrong.text
    assert "scheduled_flight" in wrong.text


async def test_a_notice_shows_its_plan_precautions_detention_and_timeline(browser, police, feed) -> None:
    plan = police.plan()
    detained = police.detained(plan.return_case_id, facility="FV-A")
    await feed(browser.runtime, plan, detained, police.revision(plan, transport="charter"))
    notice_id = await browser.notice_id(plan.plan_id)
    await browser.sign_in()

    page = await browser.client.get(f"/ui/notices/{notice_id}")
    assert page.status_code == 200
    html = page.text
    assert "The removal (plan revision 2)" in html
    assert "Medicines and patient records packed" in html
    assert "Pending" in html
    assert "Detained" in html
    assert "unit FV-A" in html
    assert "Aged 26\N{EN DASH}64" in html
    assert plan.person_ref in html
    timeline = html.split('<ol class="timeline">')[1].split("</ol>")[0]
    titles = re.findall(r'<p class="moment-title">([^<]+)', timeline)
    assert titles == [  # in time order: the person was detained before the plan reached the monitor
        "Detained",
        "Notice received and acknowledged",
        "Plan revision 2 is the latest received",
        "Planned departure ",
    ]
    assert "Charter; 16 of the 10 working days" in timeline

    missing = await browser.client.get("/ui/notices/N-none")
    assert missing.status_code == 404
    assert "There is no notice" in missing.text


async def test_late_and_missing_notices_are_counted_per_department_and_listed(browser, police, feed) -> None:
    rushed = police.plan(planned_departure="2026-11-25T06:00:00+02:00", responsible_department="POL-SYD")
    fine = police.plan(responsible_department="POL-SYD")
    await feed(
        browser.runtime,
        rushed,
        fine,
        police.executed(responsible_department="POL-STOCKHOLM", executed_at="2026-11-20T08:00:00+02:00"),
    )
    await browser.sign_in()
    page = (await browser.client.get("/ui/late-and-missing")).text
    rows = re.findall(
        r'<th scope="row" data-label="Department"><a [^>]+>([^<]+)</a></th>(.*?)</tr>', page, re.S
    )
    figures = {
        department: re.findall(r'data-label="[^"]+">([^<]+)</td>', cells) for department, cells in rows
    }
    assert figures == {  # notices, late, share late, missing, removals
        "POL-STOCKHOLM": ["0", "0", "—", "1", "1"],
        "POL-SYD": ["2", "1", "50 %", "0", "0"],
    }
    missing_part, late_part = page.split('id="h-late"')
    assert [await browser.notice_id(rushed.plan_id)] == listed(late_part)
    assert len(listed(missing_part)) == 1

    only = (await browser.client.get("/ui/late-and-missing", params={"department": "POL-SYD"})).text
    assert "Missing notices from POL-SYD" in only
    assert listed(only.split('id="h-late"')[0]) == []


async def test_statistics_are_drawn_and_exported_as_published_with_small_figures_suppressed(
    browser, police, feed
) -> None:
    south = [
        police.plan(responsible_department="POL-SYD", planned_departure=f"2026-12-{day}T06:00:00+02:00")
        for day in (14, 15, 16, 17, 18, 21)
    ]
    rushed = police.plan(  # a charter with 9 of the 10 working days' notice
        responsible_department="POL-SYD", transport="charter", planned_departure="2026-12-04T06:00:00+02:00"
    )
    capital = [police.plan(responsible_department="POL-STOCKHOLM") for _ in range(5)]
    await feed(browser.runtime, *south, rushed, *capital)
    await browser.sign_in()

    page = (await browser.client.get("/ui/statistics")).text
    assert page.count('<svg viewBox="0 0 640 240" role="img"') == 4  # two charts per department
    bars = re.findall(r'<rect [^>]*class="bar ([^"]*)"[^>]*><title>([^<]+)</title>', page)
    assert ("on-time", "2026-12, on time: 5") in bars  # POL-STOCKHOLM: drawn to its height
    assert ("suppressed", "2026-12, late: &lt;5") in bars  # POL-SYD's one late notice is not,
    assert ("suppressed", "2026-12, on time: &lt;5") in bars  # nor its complement (6 = 7 - 1)
    assert "2026-12: on time &lt;5, late &lt;5, missing 0." in page  # the chart in words

    exported = await browser.client.get("/ui/statistics.csv", params={"department": "POL-SYD"})
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    [row] = list(csv.DictReader(io.StringIO(exported.text)))
    api = await browser.client.get(
        "/statistics/published", params={"department": "POL-SYD"}, headers=auth("monitor")
    )
    [published] = api.json()
    for column in ("department", "month", "notices", "on_time", "late", "missing", "removals", "monitored"):
        assert row[column] == str(published[column]), column
    assert row["late"] == "<5"
    assert row["suppressed"].split() == published["suppressed"]

    bad = await browser.client.get("/ui/statistics", params={"from_month": "2026-13"})
    assert bad.status_code == 422
    assert "from_month: a month, YYYY-MM" in bad.text


async def test_incoming_notices_answer_nothing_until_a_notice_arrives(browser, police, feed) -> None:
    first = police.plan()
    await feed(browser.runtime, first)
    await browser.sign_in()
    page = (await browser.client.get("/ui/incoming")).text
    seen = re.search(r'data-seen="([0-9a-f]+)"', page)
    assert seen
    assert listed(page) == [await browser.notice_id(first.plan_id)]
    assert '<script src="/ui/static/live.js" defer></script>' in page

    unchanged = await browser.client.get("/ui/incoming/feed", params={"seen": seen.group(1)})
    assert unchanged.status_code == 204
    second = police.plan()
    await feed(browser.runtime, second)
    news = await browser.client.get("/ui/incoming/feed", params={"seen": seen.group(1)})
    assert news.status_code == 200
    assert sorted(listed(news.text)) == sorted([await browser.notice_id(p.plan_id) for p in (first, second)])
    assert f'data-seen="{seen.group(1)}"' not in news.text


async def test_pages_carry_their_security_headers_and_only_their_own_assets(browser) -> None:
    await browser.sign_in()
    page = await browser.client.get("/ui/upcoming")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    references = re.findall(r'(?:src|href)="([^"#]+)"', page.text)
    assert "/ui/static/app.css" in references
    assert not [r for r in references if not r.startswith("/")], "a CDN or another site"
    for asset in ("/ui/static/app.css", "/ui/static/live.js", "/ui/static/icon.svg"):
        answer = await browser.client.get(asset)
        assert answer.status_code == 200, asset
        assert answer.content, asset

    lost = await browser.client.get("/ui/nowhere")
    assert (lost.status_code, lost.headers["content-type"].split(";")[0]) == (404, "text/html")
    api = await browser.client.get("/notices/N-none", headers=auth("monitor"))
    assert api.headers["content-type"] == "application/problem+json"  # the API answers as before
