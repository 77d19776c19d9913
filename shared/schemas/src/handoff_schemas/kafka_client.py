"""How a client proves who it is to the Handoff cluster: one description for every Kafka client.

The services, the publisher CLI (:mod:`handoff_schemas.publish`), the test helpers and the
benchmarks all build their aiokafka clients with :meth:`KafkaSecurity.client_options`, so
none of them can forget the credentials. Read from the environment with
:meth:`KafkaSecurity.from_env`:

==========================  ===============================================================
``KAFKA_SECURITY_PROTOCOL``  ``PLAINTEXT`` (default), ``SASL_PLAINTEXT``, ``SASL_SSL``, ``SSL``
``KAFKA_SASL_MECHANISM``     ``SCRAM-SHA-512`` (default), ``SCRAM-SHA-256``, ``PLAIN``
``KAFKA_SASL_USERNAME``      the client's principal (``User:<name>`` in the broker's ACLs)
``KAFKA_SASL_PASSWORD``      its password
``KAFKA_SSL_CAFILE``         CA bundle that signed the brokers' certificates
``KAFKA_SSL_CERTFILE``       client certificate for mutual TLS (with ``KAFKA_SSL_KEYFILE``)
==========================  ===============================================================

The password never appears in ``repr`` or ``str``.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PROTOCOLS = frozenset({"PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", "SSL"})
SASL_MECHANISMS = frozenset({"SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"})


@dataclass(frozen=True)
class KafkaSecurity:
    """A client's security settings; ``PLAINTEXT`` (no authentication) unless told otherwise."""

    protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "SCRAM-SHA-512"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    cafile: str | None = None
    certfile: str | None = None
    keyfile: str | None = None

    def __post_init__(self) -> None:
        if self.protocol not in PROTOCOLS:
            raise ValueError(f"Kafka security protocol {self.protocol!r}: one of {sorted(PROTOCOLS)}")
        if self.sasl and self.sasl_mechanism not in SASL_MECHANISMS:
            raise ValueError(f"SASL mechanism {self.sasl_mechanism!r}: one of {sorted(SASL_MECHANISMS)}")
        if self.sasl and not (self.username and self.password):
            raise ValueError(f"{self.protocol} needs a SASL username and password")
        if bool(self.certfile) != bool(self.keyfile):
            raise ValueError("mutual TLS needs both a client certificate and its key")

    @property
    def sasl(self) -> bool:
        return self.protocol.startswith("SASL_")

    @property
    def tls(self) -> bool:
        return self.protocol in ("SSL", "SASL_SSL")

    @property
    def principal(self) -> str | None:
        """Who the broker will take the client for (its SASL username), if it authenticates so."""
        return self.username if self.sasl else None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> KafkaSecurity:
        env = os.environ if environ is None else environ
        return cls(
            protocol=env.get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT").upper(),
            sasl_mechanism=env.get("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512").upper(),
            username=env.get("KAFKA_SASL_USERNAME") or None,
            password=env.get("KAFKA_SASL_PASSWORD") or None,
            cafile=env.get("KAFKA_SSL_CAFILE") or None,
            certfile=env.get("KAFKA_SSL_CERTFILE") or None,
            keyfile=env.get("KAFKA_SSL_KEYFILE") or None,
        )

    def environment(self) -> dict[str, str]:
        """The variables :meth:`from_env` reads, for a child process that is to connect as this client."""
        values = {
            "KAFKA_SECURITY_PROTOCOL": self.protocol,
            "KAFKA_SASL_MECHANISM": self.sasl_mechanism,
            "KAFKA_SASL_USERNAME": self.username,
            "KAFKA_SASL_PASSWORD": self.password,
            "KAFKA_SSL_CAFILE": self.cafile,
            "KAFKA_SSL_CERTFILE": self.certfile,
            "KAFKA_SSL_KEYFILE": self.keyfile,
        }
        return {name: value for name, value in values.items() if value}

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context (server verification, and the client certificate for mutual TLS)."""
        if not self.tls:
            return None
        context = ssl.create_default_context(cafile=self.cafile)
        if self.certfile and self.keyfile:
            context.load_cert_chain(self.certfile, self.keyfile)
        return context

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for any aiokafka client (producer, consumer, admin)."""
        options: dict[str, Any] = {"security_protocol": self.protocol}
        if self.tls:
            options["ssl_context"] = self.ssl_context()
        if self.sasl:
            options |= {
                "sasl_mechanism": self.sasl_mechanism,
                "sasl_plain_username": self.username,
                "sasl_plain_password": self.password,
            }
        return options
