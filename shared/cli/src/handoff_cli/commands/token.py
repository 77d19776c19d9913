"""``handoff token``: a development bearer token for a role."""

from __future__ import annotations

from typing import Annotated

import typer

from handoff_cli.console import out, refuse
from handoff_cli.credentials import Caller, InvalidCredentials, issue_token
from handoff_schemas.topics import ROLES


def token(
    role: Annotated[str, typer.Option("--role", help=f"One of: {', '.join(sorted(ROLES))}.")],
    subject: Annotated[str | None, typer.Option(help="The token's subject (default: dev-<role>).")] = None,
    department: Annotated[
        str | None, typer.Option(help="Police department, e.g. POL-SYD (role police).")
    ] = None,
    county: Annotated[str | None, typer.Option(help="County code, e.g. 12 (role county_board).")] = None,
    municipality: Annotated[
        str | None, typer.Option(help="Municipality code, e.g. 1280 (role municipality).")
    ] = None,
    hours: Annotated[float, typer.Option(help="Lifetime in hours.")] = 12.0,
) -> None:
    """Print a development bearer token for a role.

    The unit a caller acts for is a claim of its own: `handoff token --role county_board
    --county 12` (claim county 12), `handoff token --role municipality --municipality 1280`,
    `handoff token --role police --department POL-SYD`. Use it as `Authorization: Bearer
    <token>`. Development tokens are signed with the development issuer's key (as `make
    token`): the services accept them only in development mode (`make run`), never in
    production.
    """
    try:
        caller = Caller(
            role, subject=subject, department=department, county=county, municipality=municipality
        )
        value = issue_token(caller, hours=hours)
    except InvalidCredentials as exc:
        refuse(str(exc))
    out.print(value, soft_wrap=True)
