"""Who may call what: every endpoint of the monitor's API against every role.

(That no operation answers without a token is proved for every service in tests/integration.)

The monitor's notices, decisions, unpublished reports, webhooks and exact statistics are
the monitor's alone; published reports and suppressed statistics are readable by the
Police and operators too; the Agency, county boards and municipalities read nothing here.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth
from handoff_schemas.topics import ROLES

pytestmark = [pytest.mark.db, pytest.mark.kafka]
MONITOR_ONLY = frozenset({"monitor"})
PUBLISHED = frozenset({"monitor", "police", "operator"})


async def test_every_endpoint_answers_every_role_as_the_matrix_says(
    monitoring, fixed_clock, police, feed
) -> None:
    runtime, client = await monitoring(clock=fixed_clock)
    plan = police.plan()
    await feed(runtime, plan)
    notice_id = (await client.get("/notices", headers=auth("monitor"))).json()["items"][0]["notice_id"]
    decision_body = {
        "request_id": "m-decision",
        "decision": "monitor",
        "monitors": ["MON-01"],
        "reason": "sample",
    }
    decision = await client.post(
        f"/notices/{notice_id}/decisions", json=decision_body, headers=auth("monitor")
    )
    report_body = {"request_id": "m-report", "notice_id": notice_id, "phases_observed": ["transfer"]}
    report = await client.post("/reports", json=report_body, headers=auth("monitor"))
    hook_body = {"request_id": "m-hook", "url": "https://ombudsman.example/hook"}
    hook = await client.post("/webhooks", json=hook_body, headers=auth("monitor"))
    assert (decision.status_code, report.status_code, hook.status_code) == (201, 201, 201)
    ids = {
        "notice_id": notice_id,
        "decision_id": decision.json()["decision_id"],
        "report_id": report.json()["report_id"],
        "subscription_id": hook.json()["subscription_id"],
        "secret_id": hook.json()["secret_id"],
    }

    # An unpublished report is the monitor's alone; published, the Police and operators read it.
    for role in ("police", "operator"):
        assert (await client.get("/published-reports", headers=auth(role))).json()["total"] == 0
        hidden = await client.get(f"/published-reports/{ids['report_id']}", headers=auth(role))
        assert hidden.status_code == 404
    await client.post(f"/reports/{ids['report_id']}/publish", headers=auth("monitor"))
    seen = await client.get(f"/published-reports/{ids['report_id']}", headers=auth("police"))
    assert seen.status_code == 200
    assert "filed_by" not in seen.json()

    matrix: list[tuple[str, str, dict[str, Any] | None, frozenset[str]]] = [
        ("GET", "/notices", None, MONITOR_ONLY),
        ("GET", "/notices/{notice_id}", None, MONITOR_ONLY),
        ("GET", "/upcoming-removals", None, MONITOR_ONLY),
        ("POST", "/notices/{notice_id}/decisions", decision_body, MONITOR_ONLY),
        ("GET", "/decisions", None, MONITOR_ONLY),
        ("GET", "/decisions/{decision_id}", None, MONITOR_ONLY),
        ("POST", "/reports", report_body, MONITOR_ONLY),
        ("GET", "/reports", None, MONITOR_ONLY),
        ("GET", "/reports/{report_id}", None, MONITOR_ONLY),
        ("POST", "/reports/{report_id}/publish", None, MONITOR_ONLY),
        ("GET", "/published-reports", None, PUBLISHED),
        ("GET", "/published-reports/{report_id}", None, PUBLISHED),
        ("POST", "/webhooks", hook_body, MONITOR_ONLY),
        ("GET", "/webhooks", None, MONITOR_ONLY),
        ("GET", "/webhooks/{subscription_id}", None, MONITOR_ONLY),
        ("GET", "/webhooks/{subscription_id}/deliveries", None, MONITOR_ONLY),
        ("POST", "/webhooks/{subscription_id}/secrets", {}, MONITOR_ONLY),
        ("DELETE", "/webhooks/{subscription_id}/secrets/{secret_id}", None, MONITOR_ONLY),
        ("DELETE", "/webhooks/{subscription_id}", None, MONITOR_ONLY),
        ("GET", "/statistics", None, MONITOR_ONLY),
        ("GET", "/statistics/published", None, PUBLISHED),
        ("GET", "/ops/status", None, frozenset({"operator"})),
    ]
    documented = {("GET", "/ops/status")} | {
        (method, route.path)
        for router in runtime.definition.routers
        for route in router.routes
        for method in getattr(route, "methods", ())
    }
    assert {(method, path) for method, path, _, _ in matrix} == documented, "every operation is in the matrix"

    outcomes: dict[tuple[str, str, str], int] = {}
    for method, template, body, allowed in matrix:
        path = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], template)
        for role in sorted(ROLES):
            response = await client.request(method, path, json=body, headers=auth(role))
            outcomes[(method, template, role)] = response.status_code
            if role in allowed:
                assert 200 <= response.status_code < 300, (method, template, role, response.text)
            else:
                assert response.status_code == 403, (method, template, role, response.status_code)
    assert len(outcomes) == len(matrix) * len(ROLES)
