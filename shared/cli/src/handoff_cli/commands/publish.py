"""``handoff publish``: validate documents against an event's schema and publish them."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from handoff_cli.commands import options
from handoff_cli.console import FAILED, err, out, refuse
from handoff_cli.publishing import Checked, check, read_documents, send_all
from handoff_schemas.base import EVENT_TYPES


def publish(
    event_type: Annotated[
        str, typer.Argument(metavar="TYPE", help="e.g. handoff.police.removal-plan-created.v1")
    ],
    files: Annotated[
        list[Path] | None, typer.Argument(metavar="FILE...", help="JSON documents, one per file.")
    ] = None,
    from_jsonl: Annotated[
        list[Path] | None,
        typer.Option("--from-jsonl", help="A JSON Lines file: one document per line (repeatable)."),
    ] = None,
    source: Annotated[
        str, typer.Option(help="Who publishes (the CloudEvents ce_source), e.g. urn:police:pol-syd.")
    ] = "",
    check_only: Annotated[bool, typer.Option("--check", help="Validate only; send nothing.")] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Send the valid documents even if others are invalid (exit code 1 then). "
            "By default one invalid document stops the batch before anything is sent (exit code 2).",
        ),
    ] = False,
    bootstrap_servers: options.BootstrapServers = "",
    topic_prefix: options.TopicPrefix = "",
    security_protocol: options.SecurityProtocol = "PLAINTEXT",
    sasl_mechanism: options.SaslMechanism = "SCRAM-SHA-512",
    sasl_username: options.SaslUsername = None,
    sasl_password: options.SaslPassword = None,
    ssl_cafile: options.SslCafile = None,
    ssl_certfile: options.SslCertfile = None,
    ssl_keyfile: options.SslKeyfile = None,
) -> None:
    """Validate JSON documents against an event's schema, then publish them as CloudEvents.

    Every document is checked before anything is sent: a document that breaks the schema is
    reported with its field and rule, and by default nothing is published then (exit code 2).
    Valid documents go to the event's topic, keyed by the aggregate they are about (so one
    case keeps its order), with acks=all and the idempotent producer. The client
    authenticates as the services do, from the same KAFKA_* variables (or the options):
    against `make run`'s broker, KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT, a principal allowed to
    write the topic (e.g. police-handover) and its password.
    """
    if event_type not in EVENT_TYPES:
        known = ", ".join(sorted(t for t in EVENT_TYPES if t.startswith("handoff.")))
        refuse(f"TYPE: unknown event type {event_type!r}; known: {known}")
    paths = list(files or [])
    jsonl = list(from_jsonl or [])
    if not paths and not jsonl:
        refuse("give FILE... or --from-jsonl FILE")
    for path in paths + jsonl:
        if not path.is_file():
            refuse(f"no such file: {path}")
    security = options.kafka_security(
        security_protocol, sasl_mechanism, sasl_username, sasl_password, ssl_cafile, ssl_certfile, ssl_keyfile
    )
    if not check_only:
        if not source:
            refuse("--source is required to publish (who publishes: the CloudEvents ce_source)")
        if not bootstrap_servers:
            refuse("--bootstrap-servers (or KAFKA_BOOTSTRAP_SERVERS) is required to publish")
    checked = check(event_type, read_documents(paths, jsonl))
    _report_rejections(checked)
    if check_only:
        out.print(
            f"checked {len(checked.valid) + len(checked.rejected)}: {len(checked.valid)} valid, "
            f"{len(checked.rejected)} invalid; nothing was sent (--check)"
        )
        raise typer.Exit(2 if checked.rejected else 0)
    if checked.rejected and not skip_invalid:
        err.print(
            f"nothing was published: {len(checked.rejected)} of "
            f"{len(checked.valid) + len(checked.rejected)} documents are invalid"
        )
        raise typer.Exit(2)
    with Progress(
        TextColumn("publishing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        bar = progress.add_task("publishing", total=len(checked.valid))
        try:
            published = asyncio.run(
                send_all(
                    checked.valid,
                    bootstrap_servers=bootstrap_servers,
                    source=source,
                    topic_prefix=topic_prefix,
                    security=security,
                    on_sent=lambda _p: progress.advance(bar),
                )
            )
        except Exception as exc:
            err.print(f"failed: the broker did not take the batch: {exc!r}", markup=False)
            raise typer.Exit(FAILED) from exc
    table = Table(title="published", show_edge=False)
    for column in ("document", "topic", "key", "partition", "offset"):
        table.add_column(column, overflow="fold")
    for (document, _event), result in zip(checked.valid, published, strict=True):
        table.add_row(document.origin, result.topic, result.key, str(result.partition), str(result.offset))
    out.print(table)
    out.print(f"sent {len(published)}, rejected {len(checked.rejected)}")
    if checked.rejected:
        raise typer.Exit(FAILED)


def _report_rejections(checked: Checked) -> None:
    for rejected in checked.rejected:
        for problem in rejected.problems:
            err.print(f"invalid: {rejected.origin}: {problem}", markup=False, soft_wrap=True)
