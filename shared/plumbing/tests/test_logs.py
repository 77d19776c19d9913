"""Logs are JSON with the service, trace and span ids, and never carry personal data."""

from __future__ import annotations

import json
import logging

import pytest
import structlog
from opentelemetry import trace

from handoff_plumbing.logs import REDACTED, RedactPersonalData, configure_logging
from handoff_schemas import Event, personal, personal_data_fields

pytestmark = pytest.mark.unit


class _PersonCarryingEventForTest(Event):
    """Not registered (no event_type): only its field marks matter here."""

    full_name: str = personal("The person's name.")
    document_number: str = personal("A passport number.")
    person_ref: str


def test_fields_marked_as_personal_data_are_found_in_the_models() -> None:
    assert personal_data_fields([_PersonCarryingEventForTest]) == {"full_name", "document_number"}


def test_redaction_masks_marked_fields_at_any_depth() -> None:
    redact = RedactPersonalData({"full_name", "document_number"})
    event = {
        "event": "handover received",
        "full_name": "Amina Testperson",
        "payload": {"person_ref": "P-1", "documents": [{"document_number": "X123"}]},
    }
    cleaned = redact(None, "info", event)
    assert cleaned["full_name"] == REDACTED
    assert cleaned["payload"]["person_ref"] == "P-1"
    assert cleaned["payload"]["documents"][0]["document_number"] == REDACTED


def test_log_lines_are_json_with_service_and_trace_ids(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("intake", level="INFO", json=True)
    try:
        tracer = trace.get_tracer("test")
        with tracer.start_as_current_span("request") as span:
            structlog.get_logger("t").info("registered", person_ref="P-9")
            logging.getLogger("stdlib").warning("from the standard library")
        ids = span.get_span_context()
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    finally:
        structlog.reset_defaults()
        logging.getLogger().handlers.clear()
    ours, stdlib = lines[-2], lines[-1]
    assert ours["event"] == "registered"
    assert ours["service"] == "intake"
    assert ours["trace_id"] == format(ids.trace_id, "032x")
    assert ours["span_id"] == format(ids.span_id, "016x")
    assert ours["person_ref"] == "P-9"
    assert stdlib["event"] == "from the standard library"
    assert stdlib["trace_id"] == ours["trace_id"]


def test_no_token_webhook_secret_or_sasl_password_reaches_a_log_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from handoff_devtools.issuer import DEVELOPMENT_ISSUER
    from handoff_plumbing.settings import Settings

    token = DEVELOPMENT_ISSUER.token("police")
    webhook_secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    sasl_password = "kafka-pass-Z9x8"
    settings = Settings(service_name="t", kafka_sasl_username="intake", kafka_sasl_password=sasl_password)
    configure_logging("intake", level="INFO", json=True)
    try:
        log = structlog.get_logger("t")
        log.info("request", headers={"Authorization": f"Bearer {token}"}, token=token)
        log.info("subscribed", secret=webhook_secret, body=f'{{"secret": "{webhook_secret}"}}')
        log.info("kafka", settings=repr(settings), security=repr(settings.kafka_security()))
        log.info("connecting", dsn=f"sasl_plain_password={sasl_password} user=intake")
        try:
            raise ValueError(f"refused {token} with password: {sasl_password}")
        except ValueError:
            log.exception("failed")
        logging.getLogger("stdlib").warning("Authorization: Bearer %s", token)
        out = capsys.readouterr().out
    finally:
        structlog.reset_defaults()
        logging.getLogger().handlers.clear()
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert len(lines) == 6
    for secret in (token, token.split(".")[1], webhook_secret, sasl_password):
        assert secret not in out
    assert lines[0]["token"] == REDACTED
    assert "ValueError" in lines[4]["exception"]  # the traceback stays, its secrets do not
