"""Options several commands share: where the suite is, and the Kafka client's security."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from handoff_cli.console import refuse
from handoff_cli.credentials import InvalidCredentials, KafkaSecurity
from handoff_cli.suite import SuiteAddress

Host = Annotated[
    str,
    typer.Option("--host", envvar="HANDOFF_HOST", help="Host of the five services.", rich_help_panel="Suite"),
]
BasePort = Annotated[
    int,
    typer.Option(
        "--base-port",
        envvar="HANDOFF_BASE_PORT",
        min=1,
        max=65531,
        help="Port of intake; returns, police-handover, monitoring and resettlement follow (as `make run` "
        "starts them). HANDOFF_<SERVICE>_URL overrides one service.",
        rich_help_panel="Suite",
    ),
]


def suite_address(host: str, base_port: int) -> SuiteAddress:
    return SuiteAddress.of(host, base_port)


BootstrapServers = Annotated[
    str,
    typer.Option(
        "--bootstrap-servers",
        envvar="KAFKA_BOOTSTRAP_SERVERS",
        help="Kafka's bootstrap servers, host:port[,host:port].",
        rich_help_panel="Kafka",
    ),
]
TopicPrefix = Annotated[
    str,
    typer.Option(
        "--topic-prefix",
        envvar="KAFKA_TOPIC_PREFIX",
        help="Prefix of every topic name.",
        rich_help_panel="Kafka",
    ),
]
SaslMechanism = Annotated[
    str | None,
    typer.Option(
        "--sasl-mechanism",
        envvar="KAFKA_SASL_MECHANISM",
        help="PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.",
        rich_help_panel="Kafka",
    ),
]
SaslUsername = Annotated[
    str | None, typer.Option("--sasl-username", envvar="KAFKA_SASL_USERNAME", rich_help_panel="Kafka")
]
SaslPassword = Annotated[
    str | None,
    typer.Option(
        "--sasl-password",
        envvar="KAFKA_SASL_PASSWORD",
        help="Better given in the environment.",
        rich_help_panel="Kafka",
    ),
]
TlsCa = Annotated[
    Path | None,
    typer.Option(
        "--tls-ca", envvar="KAFKA_TLS_CA", help="CA bundle (PEM) to trust.", rich_help_panel="Kafka"
    ),
]
TlsCert = Annotated[
    Path | None,
    typer.Option(
        "--tls-cert",
        envvar="KAFKA_TLS_CERT",
        help="Client certificate (PEM), with --tls-key.",
        rich_help_panel="Kafka",
    ),
]
TlsKey = Annotated[
    Path | None,
    typer.Option("--tls-key", envvar="KAFKA_TLS_KEY", help="Client key (PEM).", rich_help_panel="Kafka"),
]


def kafka_security(
    mechanism: str | None,
    username: str | None,
    password: str | None,
    ca: Path | None,
    cert: Path | None,
    key: Path | None,
) -> KafkaSecurity:
    try:
        return KafkaSecurity(mechanism, username, password, ca, cert, key)
    except InvalidCredentials as exc:
        refuse(str(exc))
