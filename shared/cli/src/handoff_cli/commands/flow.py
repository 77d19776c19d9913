"""``handoff flow``: one case through the whole chain, step by step, against a running suite."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from handoff_cli.commands import options
from handoff_cli.console import give_up, out
from handoff_cli.suite import ApiError, NotYet, Suite, SuiteAddress, Unreachable
from handoff_cli.walk.removal import operator_check, walk_removal
from handoff_cli.walk.settlement import walk_settlement
from handoff_cli.walk.steps import Step, Walk


def flow(
    host: options.Host = "127.0.0.1",
    base_port: options.BasePort = 8001,
    timeout: Annotated[
        float, typer.Option(min=1, max=600, help="Seconds to wait for each event that must cross Kafka.")
    ] = 60.0,
    settlement: Annotated[
        bool, typer.Option("--settlement/--no-settlement", help="Also settle a quota household.")
    ] = True,
) -> None:
    """Walk one case through the whole chain over HTTP and print each step with its result.

    A refused application goes from the Agency's intake to return counselling, is handed
    over to the Police, gets a removal plan whose notice reaches the monitor, and is carried
    out; then a quota refugee household is selected and settled in a municipality. Each step
    uses the token of the role that takes it (agency, police, monitor, county_board,
    municipality, operator). Where the next step needs an event to cross Kafka, the step
    waits for it (at most --timeout seconds) and says how long it waited. Dates are
    relative to today: run it any day against `make run`.
    """
    address = options.suite_address(host, base_port)
    try:
        asyncio.run(_walk(address, timeout, settlement))
    except Unreachable as exc:
        give_up(f"{exc}; is the suite running (make run)?")
    except (ApiError, NotYet) as exc:
        give_up(str(exc))


async def _walk(address: SuiteAddress, timeout: float, settlement: bool) -> None:
    async with Suite(address) as suite:
        ready = await suite.ready()
        if not all(ready.values()):
            away = ", ".join(name for name, up in ready.items() if not up)
            raise Unreachable(
                f"not ready: {away} (at {', '.join(address.urls[n] for n in ready if not ready[n])})"
            )

        def say(step: Step) -> None:
            out.print(step.line(), markup=False, soft_wrap=True)

        walk = Walk(suite, say, timeout=timeout)
        out.print(
            f"handoff flow {walk.run}: today is {walk.today.isoformat()}",
            markup=False,
        )
        ids = await walk_removal(walk)
        if settlement:
            ids |= await walk_settlement(walk)
        await operator_check(walk)
        out.print(
            f"done: {len(walk.steps)} steps; " + ", ".join(f"{name} {value}" for name, value in ids.items()),
            markup=False,
            soft_wrap=True,
        )
