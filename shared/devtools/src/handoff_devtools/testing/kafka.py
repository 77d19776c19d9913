"""A real Kafka broker for tests, from the best source available on this machine.

Order of preference:

1. ``$KAFKA_BOOTSTRAP_SERVERS`` (kind ``"external"``): a broker someone else runs (CI
   service container, ``python -m handoff_devtools.local_kafka start``, ...). Not stopped.
2. testcontainers' ``KafkaContainer`` (kind ``"testcontainers"``) when a Docker engine
   answers a ping.
3. :class:`~handoff_devtools.local_kafka.LocalKafka` (kind ``"local-jars"``): a broker
   JVM from the Maven Central jars, no Docker needed (Java 17+ and Maven required).

Pytest-independent: wrap :func:`kafka_for_tests` in a session fixture.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handoff_devtools.local_kafka import LocalKafka

__all__ = ["BOOTSTRAP_ENV", "KafkaEndpoint", "docker_available", "kafka_for_tests"]

BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS"


@dataclass(frozen=True)
class KafkaEndpoint:
    """Where the test broker listens and how it was obtained.

    ``kind`` is ``"external"``, ``"testcontainers"`` or ``"local-jars"``; ``broker`` is the
    :class:`LocalKafka` for ``"local-jars"`` (pid, RSS, logs) and None otherwise.
    """

    bootstrap: str
    kind: str
    startup_seconds: float
    broker: LocalKafka | None


def docker_available() -> bool:
    """True if a Docker engine answers a ping (the ``docker`` package imported lazily)."""
    try:
        docker: Any = importlib.import_module("docker")
        client = docker.from_env(timeout=5)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # noqa: BLE001 - no package, no socket, no permission: all mean "no"
        return False


@contextlib.contextmanager
def _testcontainers_kafka() -> Iterator[KafkaEndpoint]:
    """A KRaft ``KafkaContainer`` for the duration of the block."""
    try:
        module: Any = importlib.import_module("testcontainers.community.kafka")
    except ImportError:  # testcontainers < 4.10 kept it at the old place
        module = importlib.import_module("testcontainers.kafka")
    started = time.monotonic()
    container = module.KafkaContainer().with_kraft()
    container.start()
    try:
        bootstrap = str(container.get_bootstrap_server())
        yield KafkaEndpoint(bootstrap, "testcontainers", time.monotonic() - started, None)
    finally:
        container.stop()


@contextlib.contextmanager
def kafka_for_tests(tmp_root: Path) -> Iterator[KafkaEndpoint]:
    """Yield a ready Kafka endpoint and stop what was started here on exit.

    ``tmp_root`` holds the local broker's data dir (``<tmp_root>/local-kafka``) when the
    jar-based broker is used.
    """
    external = os.environ.get(BOOTSTRAP_ENV, "").strip()
    if external:
        yield KafkaEndpoint(external, "external", 0.0, None)
    elif docker_available():
        with _testcontainers_kafka() as endpoint:
            yield endpoint
    else:
        with LocalKafka(Path(tmp_root) / "local-kafka") as broker:
            yield KafkaEndpoint(broker.bootstrap, "local-jars", broker.startup_seconds, broker)
