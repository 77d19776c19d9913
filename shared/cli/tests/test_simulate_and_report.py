"""``handoff simulate --scale 0.01 --seed 1`` through a running suite on the real broker, the
report it feeds (figures matching the simulator's tally), stopping with Ctrl-C and resuming."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handoff_cli.app import app
from handoff_cli.simulation.plan import draw_year

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.slow]
runner = CliRunner()
HANDOFF = Path(sys.executable).parent / "handoff"


def test_a_scaled_year_completes_and_the_report_accounts_for_every_handover_and_plan(
    running_suite, tmp_path: Path
) -> None:
    state = tmp_path / "year.json"
    result = runner.invoke(
        app, ["simulate", "--scale", "0.01", "--seed", "1", "--state", str(state), *running_suite.options]
    )
    assert result.exit_code == 0, result.output
    saved = json.loads(state.read_text())
    tally = saved["tally"]
    drawn = draw_year(1, 0.01, 365, date.fromisoformat(saved["today"]))
    assert tally["applications"] == len(drawn.year.cases)
    assert tally["handovers_accepted"] == sum(c.outcome == "handover" for c in drawn.year.cases)
    assert tally["plans"] == tally["notices"] == tally["handovers_accepted"] > 0
    assert all(tally[name] > 0 for name in ("notices_late", "plans_changed", "handovers_rejected", "settled"))
    assert "requests/s" in result.stdout
    # carried out or aborted at the moment of the run, not on the day notified: judged anew
    assert 0 < tally["removals_judged_anew"] <= tally["executed"] + tally["aborted"]

    out = tmp_path / "report"
    report = runner.invoke(app, ["report", "--run", str(state), "--out", str(out), *running_suite.options])
    assert report.exit_code == 0, report.output
    assert "DIFFERS" not in report.stdout
    assert (
        f"handovers sent, answered by the Police: simulator {tally['handovers']}, suite {tally['handovers']}"
        in report.stdout
    )
    assert (
        f"each with a notice at the monitor: simulator {tally['plans']}, suite {tally['plans']}"
        in report.stdout
    )
    html = (out / "report.html").read_text()
    assert "differs" not in html
    assert html.count("<img") == 6
    assert "Notices of planned removals per department" in html
    assert (out / "report.png").read_bytes().startswith(b"\x89PNG")

    again = runner.invoke(
        app, ["simulate", "--scale", "0.01", "--seed", "1", "--state", str(state), *running_suite.options]
    )
    assert again.exit_code == 0, again.output
    assert "0 requests" in again.stdout  # a finished run resumed has nothing left to do


def test_ctrl_c_stops_a_run_that_the_same_command_resumes_counting_everything_once(
    running_suite, tmp_path: Path
) -> None:
    state = tmp_path / "stopped.json"
    command = [
        str(HANDOFF),
        "simulate",
        "--scale",
        "0.003",
        "--days",
        "90",
        "--seed",
        "3",
        "--state",
        str(state),
        *running_suite.options,
    ]
    env = {**os.environ, "COLUMNS": "120"}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (state.exists() and json.loads(state.read_text())["done"].get("applications")):
        assert time.monotonic() < deadline, "the run made no progress"
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "run the same command to resume" in stderr
    stopped = json.loads(state.read_text())
    assert "matching" not in stopped["finished"]

    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=400, check=False)
    assert resumed.returncode == 0, resumed.stderr
    tally = json.loads(state.read_text())["tally"]
    drawn = draw_year(3, 0.003, 90, date.fromisoformat(stopped["today"]))
    assert tally["applications"] == len(drawn.year.cases)
    assert tally["refused"] + tally["granted"] == sum(c.decided_on is not None for c in drawn.year.cases)


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["simulate", "--scale", "0"], "--scale"),
        (["simulate", "--days", "3"], "--days"),
        (["report", "--run", "no-such-state.json"], "--run"),
    ],
)
def test_bad_simulation_input_is_refused_with_exit_code_2(
    running_suite, arguments: list[str], named: str
) -> None:
    result = runner.invoke(app, [*arguments, *running_suite.options])
    assert result.exit_code == 2, result.output
    assert named in result.stderr


def test_a_state_file_of_another_run_is_refused(running_suite, tmp_path: Path) -> None:
    state = tmp_path / "other.json"
    state.write_text(json.dumps({"version": 1, "identity": {"seed": 9}}))
    result = runner.invoke(app, ["simulate", "--seed", "1", "--state", str(state), *running_suite.options])
    assert result.exit_code == 2
    assert "belongs to another run" in result.stderr
