"""Where the command writes: results to standard output, problems to standard error.

Bad input ends the command with exit code 2 and one line naming what is wrong, before
anything was sent (click's own usage errors use the same code).
"""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

BAD_INPUT = 2
"""Exit code for input the command refuses: nothing was sent or done."""
FAILED = 1
"""Exit code for a run that started but could not finish (a service refused or was away)."""


def refuse(message: str) -> NoReturn:
    """Stop with exit code 2: the input is wrong and nothing was sent."""
    err.print(f"[bold red]error:[/] {escape(message)}", markup=True, soft_wrap=True)
    raise typer.Exit(BAD_INPUT)


def give_up(message: str) -> NoReturn:
    """Stop with exit code 1: the work started but a service did not let it finish."""
    err.print(f"[bold red]failed:[/] {escape(message)}", markup=True, soft_wrap=True)
    raise typer.Exit(FAILED)
