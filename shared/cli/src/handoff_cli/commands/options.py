"""Options several commands share: where the suite is, and the Kafka client's security (each
Kafka option defaults from the ``KAFKA_*`` variable the services read)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from handoff_cli import credentials
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
SecurityProtocol = Annotated[
    str,
    typer.Option(
        "--security-protocol",
        envvar="KAFKA_SECURITY_PROTOCOL",
        help="PLAINTEXT, SASL_PLAINTEXT, SASL_SSL or SSL (the local broker of `make run`: SASL_PLAINTEXT).",
        rich_help_panel="Kafka",
    ),
]
SaslMechanism = Annotated[
    str,
    typer.Option(
        "--sasl-mechanism",
        envvar="KAFKA_SASL_MECHANISM",
        help="SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN.",
        rich_help_panel="Kafka",
    ),
]
SaslUsername = Annotated[
    str | None,
    typer.Option(
        "--sasl-username",
        envvar="KAFKA_SASL_USERNAME",
        help="The client's principal.",
        rich_help_panel="Kafka",
    ),
]
SaslPassword = Annotated[
    str | None,
    typer.Option(
        "--sasl-password",
        envvar="KAFKA_SASL_PASSWORD",
        help="Better given in the environment.",
        show_default=False,
        rich_help_panel="Kafka",
    ),
]
SslCafile = Annotated[
    Path | None,
    typer.Option(
        "--ssl-cafile",
        envvar="KAFKA_SSL_CAFILE",
        help="CA bundle (PEM) that signed the brokers' certificates.",
        rich_help_panel="Kafka",
    ),
]
SslCertfile = Annotated[
    Path | None,
    typer.Option(
        "--ssl-certfile",
        envvar="KAFKA_SSL_CERTFILE",
        help="Client certificate (PEM) for mutual TLS, with --ssl-keyfile.",
        rich_help_panel="Kafka",
    ),
]
SslKeyfile = Annotated[
    Path | None,
    typer.Option(
        "--ssl-keyfile", envvar="KAFKA_SSL_KEYFILE", help="Client key (PEM).", rich_help_panel="Kafka"
    ),
]


def kafka_security(
    protocol: str,
    mechanism: str,
    username: str | None,
    password: str | None,
    cafile: Path | None,
    certfile: Path | None,
    keyfile: Path | None,
) -> KafkaSecurity:
    try:
        return credentials.kafka_security(protocol, mechanism, username, password, cafile, certfile, keyfile)
    except InvalidCredentials as exc:
        refuse(str(exc))
