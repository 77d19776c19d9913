"""The ``handoff`` command: its sub-commands, one module each under ``commands/``."""

from __future__ import annotations

import typer

from handoff_cli.commands import dead_letters, flow, publish, report, simulate, token

app = typer.Typer(
    name="handoff",
    help="The Handoff suite's command: tokens, publishing, one case through the chain, "
    "dead letters, a caseload simulator and reports. Start the suite with `make run`.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("token")(token.token)
app.command("publish")(publish.publish)
app.command("flow")(flow.flow)
app.add_typer(dead_letters.app, name="dead-letters")
app.command("simulate")(simulate.simulate)
app.command("report")(report.report)


def main() -> None:
    app()
