"""``handoff dead-letters``: the records the services' consumers could not take, for operators.

Each service keeps its dead letters in a table and shows them under ``/ops/dead-letters``
(operator role). ``replay`` is the services' *re-drive*: the stored record is handed to the
same consumer of the same service again, the act is recorded (who, when, why) and a dead
letter is re-driven at most once. It is deliberately not re-published on the producer's
topic: the consuming service may not write there (the broker's ACLs), and the topic's other
consumers took the record already (see ``handoff_plumbing.operator_actions``).
"""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any

import typer

from handoff_cli.commands import options
from handoff_cli.console import give_up, out, refuse
from handoff_cli.credentials import Caller
from handoff_cli.suite import SERVICES, ApiError, Suite, Unreachable

OPERATOR = Caller("operator", subject="handoff-cli-operator")
app = typer.Typer(
    name="dead-letters",
    help="Dead letters for operators, across the five services: list, show, replay (re-drive to the "
    "consuming service's consumer, once, recorded; never re-published on the producer's topic).",
    no_args_is_help=True,
)

ServiceOption = Annotated[str, typer.Option("--service", help=f"One of {', '.join(SERVICES)}, or all.")]


def _services(service: str) -> list[str]:
    if service == "all":
        return list(SERVICES)
    if service not in SERVICES:
        refuse(f"--service: unknown service {service!r}; one of {', '.join(SERVICES)} or all")
    return [service]


def _one_service(service: str) -> str:
    if service == "all":
        refuse("--service: name the one service that holds the dead letter")
    return _services(service)[0]


def _run(work: Any) -> Any:
    try:
        return asyncio.run(work)
    except ApiError as exc:
        if exc.status in (404, 409, 422):
            refuse(str(exc))
        give_up(str(exc))
    except Unreachable as exc:
        give_up(str(exc))


@app.command("list")
def list_dead_letters(
    service: ServiceOption = "all",
    redriven: Annotated[
        bool | None, typer.Option("--redriven/--waiting", help="Only re-driven ones, or only waiting ones.")
    ] = None,
    host: options.Host = "127.0.0.1",
    base_port: options.BasePort = 8001,
) -> None:
    """List dead letters, newest first, per service."""
    names = _services(service)

    async def fetch() -> list[tuple[str, dict[str, Any]]]:
        async with Suite(options.suite_address(host, base_port)) as suite:
            found = []
            for name in names:
                params = {} if redriven is None else {"redriven": str(redriven).lower()}
                for item in await suite.pages(name, "/ops/dead-letters", OPERATOR, **params):
                    found.append((name, item))
            return found

    rows = _run(fetch())
    for name, item in rows:
        redone = f", re-driven {item['redriven_at']} by {item['redriven_by']}" if item["redriven_at"] else ""
        out.print(
            f"{name}  {item['dead_letter_id']}  {item['consumer']}  {item['event_type']}  "
            f"attempts {item['attempts']}  at {item['dead_lettered_at']}{redone}\n"
            f"    {item['error_type']}: {item['error_message']}",
            markup=False,
            soft_wrap=True,
        )
    out.print(f"{len(rows)} dead letter(s) in {', '.join(names)}")


@app.command("show")
def show(
    dead_letter_id: Annotated[str, typer.Argument(help="The dead letter's id (from list).")],
    service: Annotated[
        str, typer.Option("--service", help=f"The service that holds it: {', '.join(SERVICES)}.")
    ],
    host: options.Host = "127.0.0.1",
    base_port: options.BasePort = 8001,
) -> None:
    """Show one dead letter whole: error, original headers and payload (personal data redacted)."""
    name = _one_service(service)

    async def fetch() -> Any:
        async with Suite(options.suite_address(host, base_port)) as suite:
            return await suite.get(name, f"/ops/dead-letters/{dead_letter_id}", OPERATOR)

    out.print_json(json.dumps(_run(fetch())))


@app.command("replay")
def replay(
    dead_letter_id: Annotated[str, typer.Argument(help="The dead letter's id (from list).")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why, once the cause is fixed: kept with the record.")
    ],
    service: Annotated[
        str, typer.Option("--service", help=f"The service that holds it: {', '.join(SERVICES)}.")
    ],
    host: options.Host = "127.0.0.1",
    base_port: options.BasePort = 8001,
) -> None:
    """Re-drive a dead letter: hand it to its consumer again, once (recorded with --reason).

    The record goes back to the consumer that dead-lettered it, inside its service; the
    consumer's inbox makes it effectively-once, a record that fails again becomes a new
    dead letter, and a second replay of the same dead letter is refused. It is not
    re-published on the original topic (the service may not write there, and the topic's
    other consumers took the record already).
    """
    name = _one_service(service)
    if len(reason.strip()) < 3:
        refuse("--reason: say why, in at least 3 characters")

    async def redrive() -> Any:
        async with Suite(options.suite_address(host, base_port)) as suite:
            return await suite.post(
                name, f"/ops/dead-letters/{dead_letter_id}/redrive", OPERATOR, {"reason": reason}
            )

    result = _run(redrive())
    out.print(
        f"re-driven {result['dead_letter_id']} ({result['event_type']}) to {name}'s consumer "
        f"{result['consumer']}: {result.get('redrive_outcome')}"
    )
