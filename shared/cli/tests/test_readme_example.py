"""The README's worked example, run as written against a running suite: the same steps, with
the same roles, calls and answers (ids, dates, counts and timings aside)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.slow]
README = Path(__file__).resolve().parents[3] / "README.md"
HANDOFF = Path(sys.executable).parent / "handoff"


def example() -> list[tuple[str, list[str]]]:
    """The worked example's console block: each ``$ command`` with the lines it printed."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### A worked example") :]
    block = section[section.index("```console\n") + len("```console\n") :]
    block = block[: block.index("```")]
    commands: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        else:
            commands[-1][1].append(line)
    return commands


def shape(line: str) -> str:
    """A line with what differs between runs taken out: ids, dates, times and counts."""
    line = re.sub(r"\b[0-9a-f]{6,}\b", "ID", line)
    line = re.sub(r"\b[A-Z]{1,4}(-\d{4})?-[0-9a-fID]{6,}\b", "ID", line)
    return re.sub(r"\d+(\.\d+)?", "N", line)


def test_the_readme_example_runs_as_written(running_suite) -> None:
    commands = example()
    assert commands, "the README has no console block in its worked example"
    env = {**os.environ, "HANDOFF_BASE_PORT": str(running_suite.base_port), "COLUMNS": "200"}
    for command, printed in commands:
        assert command.startswith("uv run handoff "), command
        argv = [str(HANDOFF), *command.split()[3:]]
        result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert result.returncode == 0, result.stderr
        assert [shape(line) for line in result.stdout.splitlines()] == [shape(line) for line in printed]


def test_every_role_has_its_token_command_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for role in ("agency", "police", "monitor", "county_board", "municipality", "operator"):
        assert f"uv run handoff token --role {role}" in text
