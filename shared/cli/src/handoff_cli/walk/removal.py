"""A refused application walked from the Agency to the monitor: registration, refusal, legal
force, return counselling, absconding, the handover, the Police's plan, the monitor's notice,
its decision and the removal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from handoff_cli.suite import ApiError, eventually
from handoff_cli.walk.steps import AGENCY, MONITOR, OPERATOR, POLICE, Walk

DEPARTMENT = "POL-SYD"
MUNICIPALITY = "1280"  # Malmö, in county 12 (Skåne): the Police's southern region


async def walk_removal(walk: Walk) -> dict[str, str]:
    """Returns the ids the walk made, by name."""
    ids: dict[str, str] = {}
    application = await walk.post(
        AGENCY,
        "intake",
        "/applications",
        {
            "request_id": walk.request_id("application"),
            "applicant": {
                "full_name": "Aram Example",
                "date_of_birth": "1994-02-03",
                "nationality": "IRQ",
                "sex": "male",
            },
            "lodged_on": walk.day(-150),
            "identity_documents": [
                {
                    "kind": "passport",
                    "number": "A1234567",
                    "issuing_country": "IRQ",
                    "expires_on": walk.day(3 * 365),
                }
            ],
        },
    )
    ids["application"] = application_id = application["application_id"]
    walk.record(
        AGENCY,
        "intake",
        f"POST /applications (lodged {walk.day(-150)})",
        f"application {application_id}, person {application['person_ref']}, "
        f"identity {application['identity_category']}, decision due {application['decision_due_on']}",
    )
    known, waited = await walk.timed(
        eventually(
            lambda: walk.suite.send("returns", "GET", f"/applications/{application_id}", AGENCY),
            until=lambda r: r.status_code == 200,
            what="the application at returns",
            timeout=walk.timeout,
        )
    )
    walk.record(
        AGENCY,
        "returns",
        f"GET /applications/{application_id}",
        f"returns learned it from Kafka: person {known.json()['person_ref']} (no name, no document number)",
        waited,
    )
    decided = await walk.post(
        AGENCY,
        "intake",
        f"/applications/{application_id}/decision",
        {
            "request_id": walk.request_id("decision"),
            "decided_on": walk.day(-60),
            "outcome": "refused",
            "removal_order": "expulsion",
            "destination_country": "IRQ",
        },
    )
    walk.record(
        AGENCY,
        "intake",
        f"POST /applications/{application_id}/decision (decided {walk.day(-60)})",
        f"refused with expulsion to IRQ; status {decided['status']}",
    )
    enforceable = await walk.post(
        AGENCY, "intake", f"/applications/{application_id}/enforceability", {"enforceable_on": walk.day(-38)}
    )
    walk.record(
        AGENCY,
        "intake",
        f"POST /applications/{application_id}/enforceability ({walk.day(-38)}, "
        "after the 21-day appeal period)",
        f"status {enforceable['status']}",
    )
    listing, waited = await walk.timed(
        eventually(
            lambda: walk.suite.get("returns", "/return-cases", AGENCY, application_id=application_id),
            until=lambda page: page["total"] >= 1,
            what="the return case at returns",
            timeout=walk.timeout,
        )
    )
    ids["return_case"] = case_id = listing["items"][0]["return_case_id"]
    case = await walk.suite.get("returns", f"/return-cases/{case_id}", AGENCY)
    first = next((d for d in case["deadlines"] if d["target"] == "first_counselling"), None)
    walk.record(
        AGENCY,
        "returns",
        f"GET /return-cases?application_id={application_id}",
        f"return case {case_id} opened from intake's event; first counselling due "
        f"{first['due_on'] if first else '?'}",
        waited,
    )
    await walk.post(
        AGENCY,
        "returns",
        f"/return-cases/{case_id}/counselling",
        {
            "request_id": walk.request_id("counselling-1"),
            "meeting_number": 1,
            "held_on": walk.day(-33),
            "language": "ar",
            "interpreter_used": True,
            "stance": "refuses",
        },
    )
    walk.record(
        AGENCY,
        "returns",
        f"POST /return-cases/{case_id}/counselling ({walk.day(-33)})",
        "meeting 1: refuses to return",
    )
    await walk.post(
        AGENCY,
        "returns",
        f"/return-cases/{case_id}/absconding",
        {
            "request_id": walk.request_id("absconding"),
            "noticed_on": walk.day(-20),
            "whereabouts_code": MUNICIPALITY,
            "last_known_address": {
                "street_address": "Exempelgatan 1",
                "postal_code": "21100",
                "municipality_code": MUNICIPALITY,
                "known_on": walk.day(-25),
            },
        },
    )
    walk.record(
        AGENCY,
        "returns",
        f"POST /return-cases/{case_id}/absconding ({walk.day(-20)})",
        f"absconded; last known in municipality {MUNICIPALITY}",
    )
    handover, waited = await walk.timed(_hand_over(walk, case_id))
    ids["handover"] = handover["handover_id"]
    walk.record(
        AGENCY,
        "returns",
        f"POST /return-cases/{case_id}/handover",
        f"handover {handover['handover_id']} sent to the Police (grounds: absconded)",
        waited,
    )
    await _police_and_monitor(walk, case_id, ids)
    return ids


async def _hand_over(walk: Walk, case_id: str) -> Any:
    """The handover needs the applicant's identity at returns, which crosses Kafka on its own topic."""

    async def attempt() -> Any:
        try:
            return await walk.post(
                AGENCY,
                "returns",
                f"/return-cases/{case_id}/handover",
                {"request_id": walk.request_id("handover"), "grounds": "absconded"},
            )
        except ApiError as exc:
            if exc.status == 409 and exc.reason == "handover_package_incomplete":
                return None
            raise

    return await eventually(
        attempt, until=lambda r: r is not None, what="the identity at returns", timeout=walk.timeout
    )


async def _police_and_monitor(walk: Walk, case_id: str, ids: dict[str, str]) -> None:
    answers, waited = await walk.timed(
        eventually(
            lambda: walk.suite.get("police-handover", "/handovers", POLICE, return_case_id=case_id),
            until=lambda page: page["total"] >= 1,
            what="the handover at the Police",
            timeout=walk.timeout,
        )
    )
    answer = answers["items"][0]
    if answer["outcome"] != "accepted":
        raise ApiError(
            "police-handover", "GET", "/handovers", 200, {"detail": "rejected", "missing": answer["missing"]}
        )
    ids["enforcement_case"] = enforcement_case = answer["enforcement_case_id"]
    walk.record(
        POLICE,
        "police-handover",
        f"GET /handovers?return_case_id={case_id}",
        f"accepted: enforcement case {enforcement_case}",
        waited,
    )
    departure = (datetime.now(UTC) + timedelta(days=21)).replace(hour=7, minute=30, second=0, microsecond=0)
    plan = await walk.post(
        POLICE,
        "police-handover",
        "/removal-plans",
        {
            "request_id": walk.request_id("plan"),
            "enforcement_case_id": enforcement_case,
            "readmission_basis": "bilateral_readmission_agreement",
            "transport": "scheduled_flight",
            "escort_level": "escorted_to_destination",
            "planned_departure": departure.isoformat(),
            "measure": "reporting_duty",
        },
    )
    ids["plan"] = plan_id = plan["plan_id"]
    walk.record(
        POLICE,
        "police-handover",
        "POST /removal-plans",
        f"plan {plan_id}: scheduled flight to {plan['destination_country']} "
        f"on {departure:%Y-%m-%d %H:%M} UTC, {plan['responsible_department']}",
    )
    notice, waited = await walk.timed(
        _notice_of(walk, plan_id, departure.date().isoformat(), plan["responsible_department"])
    )
    ids["notice"] = notice_id = notice["notice_id"]
    walk.record(
        MONITOR,
        "monitoring",
        "GET /notices",
        f"notice {notice_id}: {notice['timeliness'].replace('_', ' ')}, "
        f"lead time {notice['lead_time_working_days']} "
        f"working days (policy: {notice['required_working_days']})",
        waited,
    )
    seen, waited = await walk.timed(
        eventually(
            lambda: walk.suite.get("police-handover", f"/removal-plans/{plan_id}", POLICE),
            until=lambda p: bool(p.get("monitoring") and p["monitoring"].get("acknowledged_at")),
            what="the monitor's acknowledgement at the Police",
            timeout=walk.timeout,
        )
    )
    walk.record(
        POLICE,
        "police-handover",
        f"GET /removal-plans/{plan_id}",
        f"the monitor acknowledged the notice at {seen['monitoring']['acknowledged_at']}",
        waited,
    )
    decision = await walk.post(
        MONITOR,
        "monitoring",
        f"/notices/{notice_id}/decisions",
        {
            "request_id": walk.request_id("decision-to-monitor"),
            "decision": "monitor",
            "monitors": ["MON-07"],
            "reason": "sample",
        },
    )
    walk.record(
        MONITOR,
        "monitoring",
        f"POST /notices/{notice_id}/decisions",
        f"decision {decision['decision_id']}: monitor (MON-07)",
    )
    executed = await walk.post(
        POLICE, "police-handover", f"/removal-plans/{plan_id}/execution", {"use_of_force": False}
    )
    walk.record(
        POLICE, "police-handover", f"POST /removal-plans/{plan_id}/execution", f"status {executed['status']}"
    )
    closed, waited = await walk.timed(
        eventually(
            lambda: walk.suite.get("monitoring", f"/notices/{notice_id}", MONITOR),
            until=lambda n: n["status"] == "executed",
            what="the execution at the monitor",
            timeout=walk.timeout,
        )
    )
    walk.record(
        MONITOR, "monitoring", f"GET /notices/{notice_id}", f"notice closed: {closed['status']}", waited
    )


async def _notice_of(walk: Walk, plan_id: str, departure_day: str, department: str) -> Any:
    async def find() -> Any:
        page = await walk.suite.get(
            "monitoring",
            "/notices",
            MONITOR,
            department=department,
            departure_from=departure_day,
            departure_to=departure_day,
            limit=500,
        )
        return next((n for n in page["items"] if n["plan_id"] == plan_id), None)

    return await eventually(
        find, until=lambda n: n is not None, what="the notice at the monitor", timeout=walk.timeout
    )


async def operator_check(walk: Walk) -> None:
    """The operator's view after the walk: every service's outbox and dead letters."""
    summary = []
    for service in ("intake", "returns", "police-handover", "monitoring", "resettlement"):
        status = await walk.suite.get(service, "/ops/status", OPERATOR)
        summary.append(f"{service} {status['outbox']['pending']}/{status['dead_letters']}")
    walk.record(
        OPERATOR, "all five", "GET /ops/status", "outbox pending / dead letters: " + ", ".join(summary)
    )
