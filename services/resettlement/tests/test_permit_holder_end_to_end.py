"""End to end on the real broker: a residence permit granted at intake becomes a waiting case
at resettlement, is offered, declined with a reason, offered again, confirmed and settled;
only the confirming municipality sees the full details, and the case topic stays anonymous."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth, eventually, headers_of, produce, read_topic
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_schemas import Event, attributes_for, encode
from handoff_schemas.events.common import AgeBand, PermitType, SettlementNeed
from handoff_schemas.events.intake import DecisionMadeV1, DecisionOutcome, ResidencePermitGrantedV1
from handoff_schemas.events.resettlement import ResettlementCaseSubmittedV1
from handoff_schemas.topics import INTAKE_APPLICATION_V1

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.db]


def permit(application_id: str, *, needs_place: bool = True) -> ResidencePermitGrantedV1:
    return ResidencePermitGrantedV1(
        application_id=application_id,
        permit_id=f"UT-{application_id}",
        person_ref=f"P-{application_id}",
        permit_type=PermitType.PERMANENT,
        valid_from=date(2026, 8, 3),
        household_size=3,
        household_age_bands=[AgeBand.AGE_26_64, AgeBand.AGE_26_64, AgeBand.UNDER_12],
        needs_municipal_place=needs_place,
        special_needs=[SettlementNeed.SPECIALIST_CARE],
    )


def message(event: Event) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    attributes = attributes_for(event, source="intake", now=datetime.now(UTC))
    return (
        event.aggregate_id().encode(),
        encode(event),
        [(k, v.encode()) for k, v in attributes.to_headers().items()],
    )


async def test_a_permit_holder_goes_from_intake_to_settled_in_a_municipality(
    api: Any, kafka: KafkaAccess, topic_prefix: str
) -> None:
    granted = permit("APP-e2e-1")
    decided = DecisionMadeV1(
        application_id="APP-e2e-1",
        decision_id="DEC-1",
        person_ref="P-APP-e2e-1",
        decided_on=date(2026, 7, 30),
        outcome=DecisionOutcome.GRANTED,
        permit_type=PermitType.PERMANENT,
    )
    await produce(
        kafka,
        topic_prefix + INTAKE_APPLICATION_V1.name,
        [
            message(decided),  # another event type on the topic: skipped
            message(granted),
            message(granted),  # the same permit again, as a new event: no second case
            message(permit("APP-e2e-2", needs_place=False)),  # no municipal place asked for: no case
        ],
    )

    async def processed() -> int:
        status = await api.ok("GET", "/ops/status", auth("operator"))
        return sum(i["count"] for i in status["inbox"] if i["outcome"] == "processed")

    await eventually(processed, until=lambda n: n >= 3)
    waiting = await api.ok("GET", "/cases?source=permit_holder", api.board())
    [case] = waiting["items"]
    case_id = case["case_id"]
    assert (case["state"], case["waiting_since"], case["application_id"]) == (
        "waiting",
        "2026-08-03",
        "APP-e2e-1",
    )
    assert (case["household_size"], case["needs"], case["hard_to_place"]) == (3, ["specialist_care"], True)

    # Places agreed; the best place is offered; the municipality declines with its reason.
    await api.agree("1280", assignable_places=30)
    await api.agree("1281", assignable_places=10)
    [first] = (await api.run())["proposals"]
    assert (first["case_id"], first["municipality_code"], first["dwelling"]) == (
        case_id,
        "1280",
        "two_bedrooms",
    )
    reason = {
        "reason": "no_access_to_specialist_care",
        "reason_text": "The specialist clinic is closed until spring",
    }
    await api.ok("POST", f"/placements/{first['placement_id']}/decline", api.municipality("1280"), reason)

    # A second offer, accepted and confirmed.
    [second] = (await api.run())["proposals"]
    assert second["municipality_code"] == "1281"
    placement = second["placement_id"]
    await api.ok("POST", f"/placements/{placement}/acceptance", api.municipality("1281"))
    confirmed = await api.ok(
        "POST", f"/placements/{placement}/confirmation", api.board(), {"arrival_planned_on": "2026-11-16"}
    )
    assert confirmed["status"] == "confirmed"

    # Full details for the confirming municipality alone.
    details = f"/cases/{case_id}/full-details"
    full = await api.ok("GET", details, api.municipality("1281"))
    assert full["permit"] == {
        "application_id": "APP-e2e-1",
        "person_ref": "P-APP-e2e-1",
        "permit_id": "UT-APP-e2e-1",
        "valid_from": "2026-08-03",
    }
    assert (await api.client.get(details, headers=api.municipality("1280"))).status_code == 404
    assert (await api.client.get(details, headers=api.board())).status_code == 403

    # Arrival and settlement, later.
    api.clock.set(datetime(2026, 11, 16, 15, 0, tzinfo=UTC))
    await api.ok(
        "POST", f"/placements/{placement}/arrival", api.municipality("1281"), {"arrived_on": "2026-11-16"}
    )
    api.clock.set(datetime(2026, 11, 19, 9, 0, tzinfo=UTC))
    settled = await api.ok(
        "POST", f"/placements/{placement}/settlement", api.municipality("1281"), {"settled_on": "2026-11-18"}
    )
    assert settled["status"] == "settled"
    assert (await api.ok("GET", f"/cases/{case_id}", api.board()))["state"] == "settled"
    lead = await api.ok("GET", "/follow-up/lead-times?year=2026&county_code=12", api.board())
    assert (
        lead["to_assignment"]["permit_holder"]["median_days"] == (date(2026, 11, 2) - date(2026, 8, 3)).days
    )
    assert lead["to_settlement"]["permit_holder"]["max_days"] == (date(2026, 11, 18) - date(2026, 8, 3)).days

    # The case's stream on the topic: in order, keyed by the case, no personal data.
    records = await read_topic(kafka, topic_prefix + ResettlementCaseSubmittedV1.topic.name, count=8)
    assert [headers_of(r)["ce_type"].split(".")[2] for r in records] == [
        "resettlement-case-submitted",
        "placement-offered",
        "placement-declined",
        "placement-offered",
        "placement-accepted",
        "placement-confirmed",
        "person-arrived",
        "person-settled",
    ]
    assert {r.key.decode() for r in records} == {case_id}
    for record in records:
        assert b"P-APP-e2e-1" not in record.value
        assert b"UT-APP-e2e-1" not in record.value
