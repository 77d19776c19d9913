"""The chaos run, short: cases through the whole chain (intake -> returns -> police -> monitor,
and permits to resettlement) while services are SIGKILLed and restarted and the broker is
restarted three times; nothing accepted at an edge is lost, doubled or left stuck.

``make chaos`` runs the long version (see the README for the size it reaches here).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.chaos, pytest.mark.e2e]


def test_nothing_accepted_is_lost_doubled_or_stuck(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "handoff_devtools.chaos",
        "--cases=90",
        "--rate=1.5",
        "--kills=4",
        "--broker-restarts=3",
        "--fault-gap=4",
        f"--var={tmp_path}",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    print(run.stdout)
    lines = run.stdout.strip().splitlines()
    assert lines, run.stderr[-3000:]
    assert lines[-1] == "lost 0, doubled 0, stuck 0", run.stdout + run.stderr[-3000:]
    faults = [line for line in lines if line.strip().startswith("fault ")]
    assert len(faults) == 7, run.stdout
    assert sum("broker restart" in line for line in faults) == 3
    assert all("caught up in" in line for line in faults), run.stdout
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
