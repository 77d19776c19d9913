"""A real Kafka broker for tests, from the best source available on this machine.

Order of preference:

1. ``$KAFKA_BOOTSTRAP_SERVERS`` (kind ``"external"``): a broker someone else runs (CI
   service container, ``python -m handoff_devtools.local_kafka start``, a secured cluster).
   Not stopped. The suite connects with ``KafkaSecurity.from_env()`` (a principal allowed
   to create ACLs), and the services' principals have the passwords of the JSON file
   ``$HANDOFF_TEST_KAFKA_PASSWORDS`` (``{"intake": "...", ...}``), else the development ones.
2. testcontainers' ``KafkaContainer`` (kind ``"testcontainers"``) when a Docker engine
   answers a ping: no authentication.
3. :class:`~handoff_devtools.local_kafka.LocalKafka` (kind ``"local-jars"``): a broker
   JVM from the Maven Central jars, no Docker needed (Java 17+ and Maven required), secured
   (SASL/SCRAM-SHA-512, an authorizer denying what the ACLs do not grant).

Pytest-independent: wrap :func:`kafka_for_tests` in a session fixture.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handoff_devtools.kafka_acls import development_passwords, grant
from handoff_devtools.local_kafka import LocalKafka
from handoff_schemas.kafka_client import KafkaSecurity

__all__ = ["BOOTSTRAP_ENV", "PASSWORDS_ENV", "KafkaAccess", "docker_available", "kafka_for_tests"]

BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS"
PASSWORDS_ENV = "HANDOFF_TEST_KAFKA_PASSWORDS"


@dataclass(frozen=True)
class KafkaAccess:
    """Where the test broker listens, how it was obtained, and who may connect to it.

    ``security`` is the identity the tests' own clients use (the broker's super user on
    the local broker); :meth:`as_principal` gives a service's or reader's identity.
    ``kind`` is ``"external"``, ``"testcontainers"`` or ``"local-jars"``; ``broker`` is the
    :class:`LocalKafka` for ``"local-jars"`` (pid, RSS, logs) and None otherwise.
    """

    bootstrap: str
    security: KafkaSecurity = field(default_factory=KafkaSecurity)
    passwords: Mapping[str, str] = field(default_factory=dict, repr=False)
    kind: str = "external"
    startup_seconds: float = 0.0
    broker: LocalKafka | None = None
    _granted: set[str] = field(default_factory=set, repr=False, compare=False)

    @classmethod
    def of_local(cls, broker: LocalKafka) -> KafkaAccess:
        """A started local broker: its super user's identity and every principal's password."""
        return cls(
            broker.bootstrap,
            broker.client_security,
            development_passwords(),
            kind="local-jars",
            startup_seconds=broker.startup_seconds,
            broker=broker,
        )

    @property
    def secured(self) -> bool:
        """True when the broker authenticates clients and enforces ACLs."""
        return self.security.sasl and bool(self.passwords)

    def security_of(self, principal: str) -> KafkaSecurity:
        """``principal``'s client security (no authentication on a broker without it)."""
        if not self.security.sasl:
            return self.security
        if principal not in self.passwords:
            raise KeyError(f"the test broker has no principal {principal!r}")
        return dataclasses.replace(self.security, username=principal, password=self.passwords[principal])

    def as_principal(self, principal: str) -> KafkaAccess:
        return dataclasses.replace(self, security=self.security_of(principal))

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for an aiokafka client connecting as this identity."""
        return {"bootstrap_servers": self.bootstrap, **self.security.client_options()}

    def settings(self, principal: str) -> dict[str, Any]:
        """Settings fields for a service connecting as ``principal``."""
        security = self.security_of(principal)
        return {
            "kafka_bootstrap_servers": self.bootstrap,
            "kafka_security_protocol": security.protocol,
            "kafka_sasl_mechanism": security.sasl_mechanism,
            "kafka_sasl_username": security.username,
            "kafka_sasl_password": security.password,
            "kafka_ssl_cafile": security.cafile,
            "kafka_ssl_certfile": security.certfile,
            "kafka_ssl_keyfile": security.keyfile,
        }

    def environment(self, principal: str | None = None) -> dict[str, str]:
        """Environment variables for a process connecting as ``principal`` (default: this identity)."""
        security = self.security if principal is None else self.security_of(principal)
        return {BOOTSTRAP_ENV: self.bootstrap, **security.environment()}

    async def grant(self, prefix: str) -> None:
        """Put the ACLs the topic specifications grant in force for ``prefix`` (once per prefix)."""
        if self.secured and prefix not in self._granted:
            await grant(self.bootstrap, self.security, prefix)
            self._granted.add(prefix)


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
def _testcontainers_kafka() -> Iterator[KafkaAccess]:
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
        yield KafkaAccess(bootstrap, kind="testcontainers", startup_seconds=time.monotonic() - started)
    finally:
        container.stop()


def _external(bootstrap: str) -> KafkaAccess:
    security = KafkaSecurity.from_env()
    passwords: dict[str, str] = {}
    if security.sasl:
        listed = os.environ.get(PASSWORDS_ENV)
        passwords = json.loads(Path(listed).read_text()) if listed else development_passwords()
    return KafkaAccess(bootstrap, security, passwords)


@contextlib.contextmanager
def kafka_for_tests(tmp_root: Path) -> Iterator[KafkaAccess]:
    """Yield a ready Kafka and stop what was started here on exit.

    ``tmp_root`` holds the local broker's data dir (``<tmp_root>/local-kafka``) when the
    jar-based broker is used.
    """
    external = os.environ.get(BOOTSTRAP_ENV, "").strip()
    if external:
        yield _external(external)
    elif docker_available():
        with _testcontainers_kafka() as access:
            yield access
    else:
        with LocalKafka(Path(tmp_root) / "local-kafka") as broker:
            yield KafkaAccess.of_local(broker)
