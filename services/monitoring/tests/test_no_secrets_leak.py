"""Tokens and webhook secrets never come back in errors, and never reach the traces."""

from __future__ import annotations

from typing import Any

import pytest

from handoff_devtools.issuer import DEVELOPMENT_ISSUER

pytestmark = [pytest.mark.db, pytest.mark.kafka]
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


async def test_secrets_are_in_no_error_and_no_span(monitoring: Any, spans: Any) -> None:
    _runtime, client = await monitoring()
    token = DEVELOPMENT_ISSUER.token("monitor")
    headers = {"Authorization": f"Bearer {token}"}
    bad_secret = "whsec_" + "!" * 40
    refused = await client.post(
        "/webhooks", json={"url": "https://o.example/", "secret": bad_secret}, headers=headers
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "secret"
    made = await client.post(
        "/webhooks", json={"url": "https://o.example/", "secret": SECRET}, headers=headers
    )
    assert made.status_code == 201
    forged = token[:-4] + "AAAA"
    unauthorized = await client.get("/webhooks", headers={"Authorization": f"Bearer {forged}"})
    assert unauthorized.status_code == 401

    for response in (refused, unauthorized):
        assert bad_secret not in response.text
        assert forged not in response.text
        assert token.split(".")[1] not in response.text
    recorded = " ".join(
        f"{span.name} {dict(span.attributes or {})} {[dict(e.attributes or {}) for e in span.events]}"
        for span in spans.get_finished_spans()
    )
    assert "POST /webhooks" in recorded  # the requests were traced
    for secret in (token.split(".")[1], SECRET, bad_secret, forged.split(".")[1]):
        assert secret not in recorded
