"""``handoff report``: an HTML (and PNG) report of a live suite, or of a simulator run in it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from handoff_cli.commands import options
from handoff_cli.console import FAILED, give_up, out, refuse
from handoff_cli.report import charts
from handoff_cli.report.collect import Figures, collect
from handoff_cli.report.html import page
from handoff_cli.report.reconcile import Check, reconcile
from handoff_cli.simulation.state import RunState
from handoff_cli.suite import ApiError, Suite, SuiteAddress, Unreachable


def report(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for report.html and report.png.")] = Path(
        "var/report"
    ),
    run: Annotated[
        Path | None,
        typer.Option("--run", help="A simulator's state file: its tally is checked against the suite."),
    ] = None,
    host: options.Host = "127.0.0.1",
    base_port: options.BasePort = 8001,
) -> None:
    """Write an HTML report (report.html) and its charts on one page (report.png).

    Cases through each stage; time-target compliance per target and unit, and the cost of
    delay (returns' follow-up); notices on time, late and missing per police department (the
    monitor's published statistics, small figures suppressed as the monitor publishes them);
    resettlement lead times and the fairness audit. Everything is read from the services'
    own statistics endpoints. With --run, a simulator run's tally is set against the suite:
    every handover answered, every plan with a notice. Exit code 1 if they disagree.
    """
    state = None
    if run is not None:
        if not run.is_file():
            refuse(f"--run: no such state file {run}")
        try:
            state = RunState.open(run, _identity_of(run), fresh=False)
        except (ValueError, KeyError) as exc:
            refuse(f"--run: not a simulator state file: {exc}")
    address = options.suite_address(host, base_port)
    try:
        figures, checks = asyncio.run(_read(address, state))
    except (Unreachable, ApiError) as exc:
        give_up(f"{exc}; is the suite running (make run)?")
    title = "Handoff: the suite's year" + (f" (simulation, seed {state.identity['seed']})" if state else "")
    rendered = {name: charts.one_chart(chart, figures) for name, chart in charts.CHARTS}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.html").write_text(page(figures, rendered, checks, title), encoding="utf-8")
    (out_dir / "report.png").write_bytes(charts.dashboard(figures, title))
    out.print(f"wrote {out_dir / 'report.html'} and {out_dir / 'report.png'}", soft_wrap=True)
    if checks is not None:
        for check in checks:
            verdict = "ok     " if check.agrees else "DIFFERS"
            out.print(
                f"  {verdict}  {check.what}: simulator {check.simulator}, suite {check.suite}", soft_wrap=True
            )
        if not all(c.agrees for c in checks):
            raise typer.Exit(FAILED)


def _identity_of(path: Path) -> dict[str, object]:
    import json

    identity: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))["identity"]
    return identity


async def _read(address: SuiteAddress, state: RunState | None) -> tuple[Figures, list[Check] | None]:
    from datetime import UTC, datetime

    async with Suite(address) as suite:
        today = state.today if state else datetime.now(UTC).date()
        figures = await collect(suite, today, today.year)
        checks = await reconcile(suite, state) if state else None
    return figures, checks
