"""Settings shared by every service, read from the environment (pydantic-settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from handoff_schemas.kafka_client import KafkaSecurity


class Settings(BaseSettings):
    """One service's settings. Every field can be set by the upper-case environment variable."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: str = Field(description="The service's name; also its CloudEvents source.")
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    kafka_security_protocol: str = Field(
        default="PLAINTEXT", description="PLAINTEXT, SASL_PLAINTEXT, SASL_SSL or SSL (mutual TLS)."
    )
    kafka_sasl_mechanism: str = Field(
        default="SCRAM-SHA-512", description="SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN."
    )
    kafka_sasl_username: str | None = Field(default=None, description="This service's Kafka principal.")
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: str | None = Field(default=None, description="CA bundle of the brokers' certificates.")
    kafka_ssl_certfile: str | None = Field(default=None, description="Client certificate (mutual TLS).")
    kafka_ssl_keyfile: str | None = Field(default=None, description="The client certificate's key.")
    kafka_topic_prefix: str = Field(
        default="", description="Prefix for every topic and consumer group (isolates test runs)."
    )
    kafka_partitions: int | None = Field(
        default=None,
        ge=1,
        description="Partitions of the topics this service creates; default: as specified (6).",
    )
    kafka_max_replication_factor: int = Field(
        default=1,
        ge=1,
        description="Cap on the specified replication (3): 1 for one development broker, 3 in production.",
    )
    kafka_max_message_bytes: int = Field(
        default=1_000_000,
        ge=10_000,
        description="Largest record the services write (under the broker's and producer's 1 MiB limits).",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL; default: a SQLite file var/<service>.db.",
    )
    sqlite_synchronous: Literal["FULL", "NORMAL"] = Field(
        default="FULL",
        description="SQLite: FULL waits for the disk at every commit (durable across a power loss, "
        "~2-3 ms a commit here); NORMAL survives a process crash only but commits in microseconds.",
    )
    var_dir: Path = Path("var")
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    http_max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Largest request body the HTTP API reads; a larger one is refused with 413.",
    )
    development_mode: bool = Field(
        default=False,
        description="Accept the development issuer's tokens and development credentials (make run, tests).",
    )
    jwt_jwks_url: str | None = Field(
        default=None,
        description="The identity provider's published keys (https://... or file://...); "
        "unset: the development issuer's key, in development mode only.",
    )
    jwt_algorithms: tuple[str, ...] = Field(
        default=("RS256", "ES256"), description="Signature algorithms accepted (JSON list)."
    )
    jwt_issuer: str = Field(default="handoff", description="The tokens' required issuer (iss).")
    jwt_audience: str = Field(default="handoff", description="The tokens' required audience (aud).")
    jwt_leeway_seconds: float = Field(
        default=30.0, ge=0, le=300, description="Clock skew allowed on exp/nbf/iat."
    )
    jwt_jwks_max_age_seconds: float = Field(
        default=3600.0, gt=0, description="Keys are fetched again after this long (and on an unknown kid)."
    )
    otel_exporter_otlp_endpoint: str | None = Field(
        default=None, description="OTLP/HTTP collector base URL (traces go to <url>/v1/traces)."
    )
    otel_exporter_zipkin_endpoint: str | None = Field(
        default=None,
        description="Zipkin's span endpoint (http://host:9411/api/v2/spans): the local trace backend.",
    )
    log_level: str = "INFO"
    log_json: bool = True
    relay_poll_seconds: float = 0.5
    relay_batch_size: int = 500
    relay_backoff_max_seconds: float = 10.0
    outbox_retention_hours: float = Field(
        default=168.0, gt=0, description="Published outbox rows older than this are deleted (Kafka has them)."
    )
    consumer_batch_size: int = Field(
        default=500, ge=1, description="Most records a subscriber takes from one poll into one transaction."
    )
    consumer_max_attempts: int = 5
    consumer_backoff_initial_seconds: float = 0.2
    consumer_backoff_max_seconds: float = 5.0
    run_migrations: bool = True

    def kafka_security(self) -> KafkaSecurity:
        """How this service's Kafka clients authenticate (every client takes these options)."""
        password = self.kafka_sasl_password
        return KafkaSecurity(
            protocol=self.kafka_security_protocol.upper(),
            sasl_mechanism=self.kafka_sasl_mechanism.upper(),
            username=self.kafka_sasl_username,
            password=password.get_secret_value() if password is not None else None,
            cafile=self.kafka_ssl_cafile,
            certfile=self.kafka_ssl_certfile,
            keyfile=self.kafka_ssl_keyfile,
        )

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        path = (self.var_dir / f"{self.service_name}.db").resolve()
        return f"sqlite+aiosqlite:///{path}"

    def topic(self, name: str) -> str:
        """The physical name of a logical topic (with the run's prefix)."""
        return f"{self.kafka_topic_prefix}{name}"

    def consumer_group(self) -> str:
        return f"{self.kafka_topic_prefix}{self.service_name}"
