"""A running suite for the commands that talk to one (started once for this folder's tests,
stopped after them): the five services as processes on SQLite
(``tools/run_suite.py``, what ``make run`` runs) against the session's real broker, each as
its own principal under the ACLs granted for the suite's topic prefix, in development mode
(the root conftest sets ``DEVELOPMENT_MODE``: they take the development issuer's tokens)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from handoff_cli.suite import SERVICES
from handoff_devtools.testing.helpers import free_port_block
from handoff_devtools.testing.kafka import KafkaAccess

ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class RunningSuite:
    base_port: int
    topic_prefix: str
    kafka: KafkaAccess

    @property
    def options(self) -> list[str]:
        return ["--base-port", str(self.base_port)]


@pytest.fixture(scope="package")
def running_suite(kafka: KafkaAccess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSuite]:
    base, prefix = free_port_block(5), f"t{uuid.uuid4().hex[:10]}."
    asyncio.run(kafka.grant(prefix))
    passwords = {  # each service's own principal (tools/run_suite.py reads them so)
        f"KAFKA_SASL_PASSWORD_{name.upper().replace('-', '_')}": kafka.passwords[name]
        for name in SERVICES
        if name in kafka.passwords
    }
    env = {
        **os.environ,
        **kafka.environment(),
        **passwords,
        "KAFKA_TOPIC_PREFIX": prefix,
        "SQLITE_SYNCHRONOUS": "NORMAL",  # the tests' databases need not survive a power loss
        "RELAY_POLL_SECONDS": "0.1",
    }
    env.pop("DATABASE_URL", None)
    var = tmp_path_factory.mktemp("suite")
    process = subprocess.Popen(
        [
            sys.executable,
            "tools/run_suite.py",
            "--base-port",
            str(base),
            "--var",
            str(var),
            "--timeout",
            "240",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 300
    while not any("Stop with Ctrl-C" in line for line in lines):
        line = process.stdout.readline() if process.stdout else ""
        if not line or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the suite did not start: {''.join(lines)}")
        lines.append(line)
    try:
        yield RunningSuite(base, prefix, kafka)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
