"""``handoff flow`` and ``handoff dead-letters`` against a running suite on the real broker."""

from __future__ import annotations

import asyncio
import re
import time

import pytest
from typer.testing import CliRunner, Result

from handoff_cli.app import app
from handoff_devtools.testing.helpers import produce

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.slow]
runner = CliRunner()


def test_flow_walks_one_case_through_the_chain_with_every_role(running_suite) -> None:
    result = runner.invoke(app, ["flow", *running_suite.options])
    assert result.exit_code == 0, result.output
    roles = re.findall(r"^\s*\d+\s+(\w+)\s", result.stdout, flags=re.MULTILINE)
    assert set(roles) == {"agency", "police", "monitor", "county_board", "municipality", "operator"}
    assert "accepted: enforcement case EC-" in result.stdout
    assert re.search(r"notice N-\S+: on time, lead time \d+ working days \(policy: 5\)", result.stdout)
    assert "notice closed: executed" in result.stdout
    assert "now visible to municipality 1280: 2 members" in result.stdout


def test_flow_without_a_suite_fails_with_a_hint(running_suite) -> None:
    result = runner.invoke(app, ["flow", "--base-port", "1", "--no-settlement"])
    assert result.exit_code == 1
    assert "make run" in result.stderr


def invoke_until(arguments: list[str], until: str, timeout: float = 60.0) -> Result:
    deadline = time.monotonic() + timeout
    while True:
        result = runner.invoke(app, arguments)
        if until in result.stdout or time.monotonic() > deadline:
            return result
        time.sleep(0.5)


def test_an_operator_lists_shows_and_replays_a_dead_letter_once(running_suite) -> None:
    topic = f"{running_suite.topic_prefix}handoff.intake.application.v1"
    asyncio.run(
        produce(
            running_suite.kafka.as_principal("intake"),  # the topic's producer
            topic,
            [(b"APP-broken", b"{not json", [("ce_type", b"handoff.intake.application-registered.v1")])],
        )
    )
    listing = invoke_until(
        ["dead-letters", "list", "--service", "returns", *running_suite.options], "1 dead letter(s)"
    )
    assert listing.exit_code == 0, listing.output
    assert "1 dead letter(s) in returns" in listing.stdout
    every = runner.invoke(app, ["dead-letters", "list", *running_suite.options])
    assert "in intake, returns, police-handover, monitoring, resettlement" in every.stdout
    dead_letter_id = re.search(r"^returns  (\S+)  ", listing.stdout, flags=re.MULTILINE)
    assert dead_letter_id, listing.stdout
    identifier = dead_letter_id.group(1)

    shown = runner.invoke(
        app, ["dead-letters", "show", identifier, "--service", "returns", *running_suite.options]
    )
    assert shown.exit_code == 0, shown.output
    assert '"error_type"' in shown.stdout
    assert "{not json" in shown.stdout

    replayed = runner.invoke(
        app,
        [
            "dead-letters",
            "replay",
            identifier,
            "--service",
            "returns",
            "--reason",
            "parser fixed",
            *running_suite.options,
        ],
    )
    assert replayed.exit_code == 0, replayed.output
    assert f"re-driven {identifier}" in replayed.stdout

    again = runner.invoke(
        app,
        [
            "dead-letters",
            "replay",
            identifier,
            "--service",
            "returns",
            "--reason",
            "once more",
            *running_suite.options,
        ],
    )
    assert again.exit_code == 2
    assert "was re-driven" in again.stderr


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["dead-letters", "list", "--service", "billing"], "--service"),
        (["dead-letters", "show", "DL-1", "--service", "all"], "--service"),
        (["dead-letters", "replay", "DL-1", "--service", "returns", "--reason", "x"], "--reason"),
        (["dead-letters", "show", "DL-no-such", "--service", "intake"], "no dead letter"),
    ],
)
def test_bad_dead_letter_input_is_refused_with_exit_code_2(
    running_suite, arguments: list[str], named: str
) -> None:
    result = runner.invoke(app, [*arguments, *running_suite.options])
    assert result.exit_code == 2, result.output
    assert named in result.stderr
