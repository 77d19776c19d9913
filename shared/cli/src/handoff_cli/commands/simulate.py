"""``handoff simulate``: a year's caseload driven through the running suite."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from handoff_cli.commands import options
from handoff_cli.console import FAILED, err, give_up, out, refuse
from handoff_cli.simulation.plan import draw_year
from handoff_cli.simulation.runner import progress_bars, run_stages
from handoff_cli.simulation.stages import STAGES
from handoff_cli.simulation.state import RunState, StateMismatch
from handoff_cli.simulation.world import World
from handoff_cli.suite import NotYet, Suite, SuiteAddress, Unreachable


def simulate(
    scale: Annotated[
        float,
        typer.Option(min=0.0001, max=10.0, help="Share of a real year's volume (1 = 54,000 applications)."),
    ] = 0.01,
    days: Annotated[
        int, typer.Option(min=7, max=730, help="Length of the simulated period, ending today.")
    ] = 365,
    seed: Annotated[int, typer.Option(help="The same seed draws the same year.")] = 1,
    state: Annotated[
        Path | None,
        typer.Option(help="State file (default var/simulation/seed-SEED-scale-SCALE-days-DAYS.json)."),
    ] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Start over instead of resuming the state file.")
    ] = False,
    concurrency: Annotated[int, typer.Option(min=1, max=256, help="Cases handled at once.")] = 16,
    timeout: Annotated[
        float, typer.Option(min=1, max=3600, help="Seconds to wait for an event crossing Kafka.")
    ] = 120.0,
    host: options.Host = "127.0.0.1",
    base_port: options.BasePort = 8001,
) -> None:
    """Drive a year's caseload through the running suite over its HTTP APIs, stage by stage.

    Applications (a quarter of them Dublin cases), decisions, appeals and legal force, return
    counselling, voluntary departures and absconding, handovers to the Police (some sent back
    incomplete and mended), detention within 109 places or lighter measures, removal plans by
    department and transport (some announced late, some changed), the monitor's notices,
    decisions and reports, the quota, municipal places, matching, offers and settlement. The
    proportions and volumes come from the source documents (docs/simulation.md).

    The year is drawn from --seed before anything is sent, and ends today: dates in requests
    are days of that year (the services refuse future dates), while what the services stamp
    themselves (registrations, notices, offers) is the moment of the run. Ctrl-C stops
    cleanly; the same command resumes from the state file. It is also the suite's load
    generator: the summary says how many requests it made and how fast.
    """
    address = options.suite_address(host, base_port)
    path = state or Path("var/simulation") / f"seed-{seed}-scale-{scale:g}-days-{days}.json"
    identity = {"seed": seed, "scale": scale, "days": days, "suite": address.urls["intake"]}
    try:
        run_state = RunState.open(path, identity, fresh=fresh)
    except (StateMismatch, ValueError, KeyError) as exc:
        refuse(f"--state: {exc}")
    drawn = draw_year(seed, scale, days, run_state.today)
    out.print(
        f"simulating {days} days ending {run_state.today} at scale {scale:g}, seed {seed} "
        f"(run {run_state.run}; state {path})",
        soft_wrap=True,
    )
    out.print(", ".join(f"{name} {count}" for name, count in drawn.summary().items()), soft_wrap=True)
    started, requests_before = time.monotonic(), run_state.requests
    try:
        failures = asyncio.run(_run(address, drawn, run_state, concurrency, timeout))
    except KeyboardInterrupt:
        run_state.save(force=True)
        err.print(f"stopped; what was done is in {path}: run the same command to resume", soft_wrap=True)
        raise typer.Exit(130) from None
    except (Unreachable, NotYet) as exc:
        run_state.save(force=True)
        give_up(f"{exc}; is the suite running (make run)? Resume with the same command.")
    seconds = time.monotonic() - started
    _summary(run_state, seconds, run_state.requests - requests_before)
    if failures:
        for stage, problems in failures.items():
            err.print(
                f"{stage}: {len(problems)} item(s) failed, e.g. {problems[0]}", markup=False, soft_wrap=True
            )
        err.print("run the same command to try them again")
        raise typer.Exit(FAILED)


async def _run(
    address: SuiteAddress, drawn: object, state: RunState, concurrency: int, timeout: float
) -> dict[str, list[str]]:
    from handoff_cli.simulation.plan import DrawnYear

    assert isinstance(drawn, DrawnYear)
    async with Suite(address, max_connections=max(8, concurrency * 2)) as suite:
        ready = await suite.ready()
        if not all(ready.values()):
            raise Unreachable("not ready: " + ", ".join(n for n, up in ready.items() if not up))
        world = World(
            suite,
            drawn.year,
            drawn.households,
            drawn.agreements,
            state,
            timeout=timeout,
            concurrency=concurrency,
        )
        try:
            with progress_bars(err) as progress:
                await run_stages(world, STAGES, progress)
        finally:
            state.save(force=True)
        return world.failures


def _summary(state: RunState, seconds: float, requests: int) -> None:
    table = Table(title="the simulated year, as the suite answered", show_edge=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, count in sorted(state.tally.items()):
        table.add_row(name.replace("_", " "), str(count))
    out.print(table)
    rate = requests / seconds if seconds > 0 else 0.0
    out.print(
        f"{requests} requests in {seconds:.1f} s ({rate:.0f} requests/s); state in {state.path}",
        soft_wrap=True,
    )
