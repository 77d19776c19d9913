"""``handoff token``: development tokens for every role, the unit acted for as a claim of its own,
verified as a service in development mode verifies them."""

from __future__ import annotations

import jwt
import pytest
from typer.testing import CliRunner

from handoff_cli.app import app
from handoff_plumbing.identity import UNIT_CLAIMS, TokenVerifier
from handoff_plumbing.settings import Settings

pytestmark = pytest.mark.unit
runner = CliRunner()


def claims_of(token: str) -> dict[str, object]:
    decoded: dict[str, object] = jwt.decode(token.strip(), options={"verify_signature": False})
    return decoded


@pytest.mark.parametrize(
    ("arguments", "role", "subject", "unit"),
    [
        (["--role", "agency"], "agency", "dev-agency", {}),
        (["--role", "police", "--department", "POL-SYD"], "police", "dev-police", {"department": "POL-SYD"}),
        (["--role", "monitor"], "monitor", "dev-monitor", {}),
        (["--role", "county_board", "--county", "12"], "county_board", "dev-county_board", {"county": "12"}),
        (
            ["--role", "municipality", "--municipality", "1280", "--subject", "clerk-7"],
            "municipality",
            "clerk-7",
            {"municipality": "1280"},
        ),
        (["--role", "operator", "--subject", "ops:anna"], "operator", "ops:anna", {}),
    ],
)
async def test_a_token_carries_the_role_and_the_unit_as_claims_and_a_service_takes_it(
    arguments: list[str], role: str, subject: str, unit: dict[str, str]
) -> None:
    result = runner.invoke(app, ["token", *arguments])
    assert result.exit_code == 0, result.output
    claims = claims_of(result.stdout)
    assert claims["roles"] == [role]
    assert claims["sub"] == subject
    assert {name: claims[name] for name in UNIT_CLAIMS if name in claims} == unit

    verifier = TokenVerifier(Settings(service_name="cli-test", development_mode=True))
    caller = await verifier.verify(result.stdout.strip())
    assert (caller.role, caller.subject) == (role, subject)
    assert {name: getattr(caller, name) for name in UNIT_CLAIMS if getattr(caller, name)} == unit


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--role", "chief"], "--role"),
        (["--role", "police", "--county", "12"], "--county"),
        (["--role", "county_board", "--county", "12;drop"], "--county"),
        (["--role", "municipality", "--department", "POL-SYD"], "--department"),
        (["--role", "agency", "--hours", "0"], "--hours"),
    ],
)
def test_bad_options_are_refused_with_exit_code_2_naming_the_option(arguments: list[str], named: str) -> None:
    result = runner.invoke(app, ["token", *arguments])
    assert result.exit_code == 2
    assert named in result.stderr
    assert result.stdout == ""


def test_the_command_lists_its_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("token", "publish", "flow", "dead-letters", "simulate", "report"):
        assert command in result.stdout
