"""``handoff publish``: every document validated before anything is sent, then sent in order."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from handoff_cli.app import app
from handoff_devtools.testing.helpers import read_topic, topic_size
from handoff_devtools.testing.kafka import KafkaAccess

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "schemas" / "examples"
PLAN_CREATED = "handoff.police.removal-plan-created.v1"
TOPIC = "handoff.police.removal-plan.v1"


def plan(plan_id: str, **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EXAMPLES / f"{PLAN_CREATED}.json").read_text())["data"]
    return {**document, "plan_id": plan_id, **changes}


def as_the_police(kafka: KafkaAccess, topic_prefix: str) -> dict[str, str]:
    """The environment of a Police system publishing plans: its principal on the test broker
    (SASL/SCRAM-SHA-512 under the generated ACLs on the local broker), the bootstrap servers."""
    asyncio.run(kafka.grant(topic_prefix))
    return kafka.environment("police-handover")


def write_jsonl(path: Path, documents: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(d) for d in documents) + "\n")
    return path


@pytest.mark.unit
def test_check_validates_without_sending(tmp_path: Path) -> None:
    good = tmp_path / "plan.json"
    good.write_text(json.dumps(plan("PL-1")))
    result = runner.invoke(app, ["publish", PLAN_CREATED, str(good), "--check"])
    assert result.exit_code == 0, result.output
    assert "1 valid, 0 invalid; nothing was sent" in result.stdout


@pytest.mark.unit
@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["handoff.police.no-such-event.v1", "{file}"], "unknown event type"),
        ([PLAN_CREATED], "FILE... or --from-jsonl"),
        ([PLAN_CREATED, "missing.json"], "no such file"),
        ([PLAN_CREATED, "{file}", "--bootstrap-servers", "127.0.0.1:1"], "--source"),
        ([PLAN_CREATED, "{file}", "--source", "urn:police:pol-syd"], "--bootstrap-servers"),
        ([PLAN_CREATED, "{file}", "--check", "--security-protocol", "SASL_PLAINTEXT"], "--sasl-username"),
        ([PLAN_CREATED, "{file}", "--check", "--security-protocol", "KERBEROS"], "--security-protocol"),
        (
            [PLAN_CREATED, "{file}", "--check", "--sasl-username", "u", "--sasl-password", "p"],
            "SASL_PLAINTEXT",
        ),
        (
            [
                PLAN_CREATED,
                "{file}",
                "--check",
                "--security-protocol",
                "SASL_PLAINTEXT",
                "--sasl-mechanism",
                "GSSAPI",
                "--sasl-username",
                "u",
                "--sasl-password",
                "p",
            ],
            "--sasl-mechanism",
        ),
        (
            [PLAN_CREATED, "{file}", "--check", "--security-protocol", "SSL", "--ssl-certfile", "{file}"],
            "--ssl-keyfile",
        ),
        (
            [PLAN_CREATED, "{file}", "--check", "--security-protocol", "SSL", "--ssl-cafile", "no-ca.pem"],
            "--ssl-cafile",
        ),
        ([PLAN_CREATED, "{file}", "--check", "--ssl-cafile", "{file}"], "SSL or SASL_SSL"),
    ],
)
def test_bad_input_is_refused_with_exit_code_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arguments: list[str], named: str
) -> None:
    for name in ("BOOTSTRAP_SERVERS", "SECURITY_PROTOCOL", "SASL_USERNAME", "SASL_PASSWORD", "SSL_CAFILE"):
        monkeypatch.delenv(f"KAFKA_{name}", raising=False)
    good = tmp_path / "plan.json"
    good.write_text(json.dumps(plan("PL-1")))
    result = runner.invoke(app, ["publish", *(a.replace("{file}", str(good)) for a in arguments)])
    assert result.exit_code == 2, result.output
    assert named in result.stderr


@pytest.mark.kafka
def test_one_invalid_document_stops_the_batch_before_anything_is_sent(
    kafka: KafkaAccess, topic_prefix: str, tmp_path: Path
) -> None:
    environment = as_the_police(kafka, topic_prefix)
    batch = write_jsonl(
        tmp_path / "plans.jsonl",
        [plan("PL-1"), plan("PL-2", planned_departure="next tuesday"), plan("PL-3", transport="rocket")],
    )
    result = runner.invoke(
        app,
        ["publish", PLAN_CREATED, "--from-jsonl", str(batch), "--source", "urn:police:pol-syd",
         "--topic-prefix", topic_prefix],
        env=environment,
    )  # fmt: skip
    assert result.exit_code == 2
    assert f"{batch}:2: planned_departure: Input should be a valid datetime" in result.stderr
    assert f"{batch}:3: transport:" in result.stderr
    assert "nothing was published: 2 of 3 documents are invalid" in result.stderr

    assert asyncio.run(topic_size(kafka, f"{topic_prefix}{TOPIC}")) == 0


@pytest.mark.kafka
def test_a_valid_batch_is_sent_in_order_keyed_by_plan_and_summarised(
    kafka: KafkaAccess, topic_prefix: str, tmp_path: Path
) -> None:
    environment = as_the_police(kafka, topic_prefix)
    single = tmp_path / "first.json"
    single.write_text(json.dumps(plan("PL-A")))
    batch = write_jsonl(tmp_path / "plans.jsonl", [plan("PL-B"), plan("PL-C")])
    result = runner.invoke(
        app,
        ["publish", PLAN_CREATED, str(single), "--from-jsonl", str(batch), "--source", "urn:police:pol-syd",
         "--topic-prefix", topic_prefix],
        env=environment,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "sent 3, rejected 0" in result.stdout

    records = asyncio.run(read_topic(kafka, f"{topic_prefix}{TOPIC}", count=3))
    assert sorted(r.key for r in records) == [b"PL-A", b"PL-B", b"PL-C"]
    headers = {name: value for name, value in records[0].headers}
    assert headers["ce_type"] == PLAN_CREATED.encode()
    assert headers["ce_source"] == b"urn:police:pol-syd"


@pytest.mark.kafka
def test_skip_invalid_sends_the_valid_ones_and_says_what_was_rejected(
    kafka: KafkaAccess, topic_prefix: str, tmp_path: Path
) -> None:
    environment = as_the_police(kafka, topic_prefix)
    batch = write_jsonl(tmp_path / "plans.jsonl", [plan("PL-1"), {"plan_id": "PL-2"}])
    result = runner.invoke(
        app,
        ["publish", PLAN_CREATED, "--from-jsonl", str(batch), "--skip-invalid",
         "--source", "urn:police:pol-syd",
         "--topic-prefix", topic_prefix],
        env=environment,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "sent 1, rejected 1" in result.stdout
    assert f"{batch}:2: return_case_id: Field required" in result.stderr

    assert asyncio.run(topic_size(kafka, f"{topic_prefix}{TOPIC}")) == 1
