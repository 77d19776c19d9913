"""The chaos run's cluster: one local Kafka broker and the five services, each its own process
(``python -m <service>``) on its own SQLite file, all on loopback; killed and restarted at will."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from handoff_devtools.issuer import DEVELOPMENT_ISSUER
from handoff_devtools.local_kafka import LocalKafka
from handoff_devtools.testing.kafka import KafkaAccess

SERVICES = (  # name, module
    ("intake", "intake"),
    ("returns", "returns"),
    ("police-handover", "police_handover"),
    ("monitoring", "monitoring"),
    ("resettlement", "resettlement"),
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def bearer(role: str) -> dict[str, str]:
    token = DEVELOPMENT_ISSUER.token(role, subject=f"chaos-{role}")
    return {"Authorization": f"Bearer {token}"}


@dataclass
class ServiceProcess:
    """One service as a child process; its log is appended to across restarts."""

    name: str
    module: str
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603  (our own interpreter and module)
                [sys.executable, "-m", self.module], env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        self.starts += 1

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, as when a machine dies."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Cluster:
    """The broker and the services of one run, under ``var``."""

    var: Path
    prefix: str
    broker: LocalKafka = field(init=False)
    services: dict[str, ServiceProcess] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.var.mkdir(parents=True, exist_ok=True)
        self.broker = LocalKafka(self.var / "kafka", heap="768m")

    def start(self) -> None:
        self.broker.start()
        kafka = KafkaAccess.of_local(self.broker)
        asyncio.run(kafka.grant(self.prefix))
        for name, module in SERVICES:
            env = {
                **os.environ,
                **kafka.environment(name),
                "DEVELOPMENT_MODE": "true",
                "HTTP_PORT": str(free_port()),
                "DATABASE_URL": f"sqlite+aiosqlite:///{self.var / (name + '.db')}",
                "KAFKA_TOPIC_PREFIX": self.prefix,
                "LOG_LEVEL": "WARNING",
                "RELAY_POLL_SECONDS": "0.2",
                "RELAY_BACKOFF_MAX_SECONDS": "2",
                "OTEL_SDK_DISABLED": "true",
            }
            env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
            env.pop("OTEL_EXPORTER_ZIPKIN_ENDPOINT", None)
            service = ServiceProcess(name, module, int(env["HTTP_PORT"]), env, self.var / f"{name}.log")
            self.services[name] = service
            service.start()

    def stop(self) -> None:
        for service in self.services.values():
            service.stop()
        self.broker.stop()

    async def ready(self, client: httpx.AsyncClient, name: str) -> bool:
        try:
            answer = await client.get(f"{self.services[name].url}/health/ready", timeout=3)
        except httpx.HTTPError:
            return False
        return answer.status_code == 200

    async def wait_ready(self, client: httpx.AsyncClient, names: list[str], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        waiting = list(names)
        while waiting:
            waiting = [name for name in waiting if not await self.ready(client, name)]
            if not waiting:
                return
            for name in waiting:
                process = self.services[name].process
                if process is not None and process.poll() is not None:
                    raise RuntimeError(
                        f"{name} exited with {process.returncode}; see {self.services[name].log}"
                    )
            if time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {timeout:.0f}s: {', '.join(waiting)}")
            await asyncio.sleep(0.2)

    async def status(self, client: httpx.AsyncClient, name: str) -> dict[str, Any] | None:
        """``/ops/status`` of one service, or None while it does not answer."""
        try:
            answer = await client.get(
                f"{self.services[name].url}/ops/status", headers=bearer("operator"), timeout=5
            )
        except httpx.HTTPError:
            return None
        if answer.status_code != 200:
            return None
        status: dict[str, Any] = answer.json()
        return status
