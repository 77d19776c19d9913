"""Issue 4's flow on the real broker, through the HTTP APIs of intake and returns:
application -> refusal -> enforceable -> return case -> counselling -> absconded ->
handover published on the Police's topic with the complete package."""

from __future__ import annotations

import json

import pytest

from handoff_devtools.testing.helpers import read_topic
from intake.bootstrap import IntakeSettings
from intake.bootstrap import build as build_intake
from returns.bootstrap import ReturnsSettings
from returns.bootstrap import build as build_returns

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.db]
NAME, BORN, PASSPORT = "Testi Flowperson", "1994-02-03", "FLOW12345"  # as the shared steps register


async def test_a_refused_applicant_who_absconds_is_handed_over_with_a_complete_package(
    service, kafka, topic_prefix, hand_over
) -> None:
    _, intake = await service(build_intake, IntakeSettings)
    _, returns = await service(build_returns, ReturnsSettings)

    _, case_id = await hand_over(intake, returns)

    [record] = await read_topic(kafka, topic_prefix + "handoff.returns.handover.v1", count=1)
    package = json.loads(record.value)
    assert record.key.decode() == case_id
    assert package["grounds"] == "absconded"
    assert package["identity"]["full_name"] == NAME
    assert package["identity"]["documents"][0]["document_number"] == PASSPORT
    assert package["destination_country"] == "IRQ"
    assert package["vulnerabilities"] == ["serious_illness"]
    assert len(package["counselling_history"]) == 1
    assert package["enforceable_on"] == "2026-10-22"
    assert package["last_known_address"]["municipality_code"] == "1280"

    case_events = await read_topic(kafka, topic_prefix + "handoff.returns.return-case.v1", count=3)
    for event in case_events:
        for personal in (NAME.encode(), BORN.encode(), PASSPORT.encode(), b"Testgatan"):
            assert personal not in event.value
