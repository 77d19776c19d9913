"""Settings shared by every service, read from the environment (pydantic-settings)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_JWT_SECRET = "handoff-development-secret-change-me-in-production"  # noqa: S105


class Settings(BaseSettings):
    """One service's settings. Every field can be set by the upper-case environment variable."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: str = Field(description="The service's name; also its CloudEvents source.")
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
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
    var_dir: Path = Path("var")
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    http_max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Largest request body the HTTP API reads; a larger one is refused with 413.",
    )
    jwt_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    jwt_issuer: str = "handoff"
    jwt_audience: str = "handoff"
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
