"""``handoff publish``: every document validated before anything is sent, then sent in order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from handoff_cli.app import app
from handoff_devtools.testing.helpers import read_topic, topic_size

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "schemas" / "examples"
PLAN_CREATED = "handoff.police.removal-plan-created.v1"
TOPIC = "handoff.police.removal-plan.v1"


def plan(plan_id: str, **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EXAMPLES / f"{PLAN_CREATED}.json").read_text())["data"]
    return {**document, "plan_id": plan_id, **changes}


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
        ([PLAN_CREATED, "{file}", "--check", "--sasl-mechanism", "SCRAM-SHA-256"], "--sasl-username"),
        (
            [
                PLAN_CREATED,
                "{file}",
                "--check",
                "--sasl-mechanism",
                "GSSAPI",
                "--sasl-username",
                "u",
                "--sasl-password",
                "p",
            ],
            "--sasl-mechanism",
        ),
        ([PLAN_CREATED, "{file}", "--check", "--tls-cert", "{file}"], "--tls-key"),
        ([PLAN_CREATED, "{file}", "--check", "--tls-ca", "no-ca.pem"], "--tls-ca"),
    ],
)
def test_bad_input_is_refused_with_exit_code_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arguments: list[str], named: str
) -> None:
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    good = tmp_path / "plan.json"
    good.write_text(json.dumps(plan("PL-1")))
    result = runner.invoke(app, ["publish", *(a.replace("{file}", str(good)) for a in arguments)])
    assert result.exit_code == 2, result.output
    assert named in result.stderr


@pytest.mark.kafka
def test_one_invalid_document_stops_the_batch_before_anything_is_sent(
    kafka: str, topic_prefix: str, tmp_path: Path
) -> None:
    batch = write_jsonl(
        tmp_path / "plans.jsonl",
        [plan("PL-1"), plan("PL-2", planned_departure="next tuesday"), plan("PL-3", transport="rocket")],
    )
    result = runner.invoke(
        app,
        ["publish", PLAN_CREATED, "--from-jsonl", str(batch), "--source", "urn:police:pol-syd",
         "--bootstrap-servers", kafka, "--topic-prefix", topic_prefix],
    )  # fmt: skip
    assert result.exit_code == 2
    assert f"{batch}:2: planned_departure: Input should be a valid datetime" in result.stderr
    assert f"{batch}:3: transport:" in result.stderr
    assert "nothing was published: 2 of 3 documents are invalid" in result.stderr

    import asyncio

    assert asyncio.run(topic_size(kafka, f"{topic_prefix}{TOPIC}")) == 0


@pytest.mark.kafka
def test_a_valid_batch_is_sent_in_order_keyed_by_plan_and_summarised(
    kafka: str, topic_prefix: str, tmp_path: Path
) -> None:
    single = tmp_path / "first.json"
    single.write_text(json.dumps(plan("PL-A")))
    batch = write_jsonl(tmp_path / "plans.jsonl", [plan("PL-B"), plan("PL-C")])
    result = runner.invoke(
        app,
        ["publish", PLAN_CREATED, str(single), "--from-jsonl", str(batch), "--source", "urn:police:pol-syd",
         "--bootstrap-servers", kafka, "--topic-prefix", topic_prefix],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "sent 3, rejected 0" in result.stdout

    import asyncio

    records = asyncio.run(read_topic(kafka, f"{topic_prefix}{TOPIC}", count=3))
    assert sorted(r.key for r in records) == [b"PL-A", b"PL-B", b"PL-C"]
    headers = {name: value for name, value in records[0].headers}
    assert headers["ce_type"] == PLAN_CREATED.encode()
    assert headers["ce_source"] == b"urn:police:pol-syd"


@pytest.mark.kafka
def test_skip_invalid_sends_the_valid_ones_and_says_what_was_rejected(
    kafka: str, topic_prefix: str, tmp_path: Path
) -> None:
    batch = write_jsonl(tmp_path / "plans.jsonl", [plan("PL-1"), {"plan_id": "PL-2"}])
    result = runner.invoke(
        app,
        ["publish", PLAN_CREATED, "--from-jsonl", str(batch), "--skip-invalid",
         "--source", "urn:police:pol-syd",
         "--bootstrap-servers", kafka, "--topic-prefix", topic_prefix],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "sent 1, rejected 1" in result.stdout
    assert f"{batch}:2: return_case_id: Field required" in result.stderr

    import asyncio

    assert asyncio.run(topic_size(kafka, f"{topic_prefix}{TOPIC}")) == 1
