"""A service refuses to start with development keys or secrets unless it is in development mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from handoff_devtools.testing import ledger
from handoff_plumbing.development import (
    DevelopmentCredentialsRefused,
    development_credentials_in_use,
    development_kafka_password,
)
from handoff_plumbing.service import ServiceRuntime
from handoff_plumbing.settings import Settings

pytestmark = pytest.mark.unit

PRODUCTION = {
    "service_name": "ledger",
    "development_mode": False,
    "jwt_jwks_url": "https://login.example.org/.well-known/jwks.json",
    "kafka_security_protocol": "SASL_SSL",
    "kafka_sasl_username": "ledger",
    "kafka_sasl_password": "a-password-from-the-vault",
}


async def test_outside_development_mode_the_runtime_refuses_the_development_key(tmp_path: Path) -> None:
    settings = Settings(
        **{**PRODUCTION, "jwt_jwks_url": None, "database_url": f"sqlite+aiosqlite:///{tmp_path}/l.db"}
    )
    runtime = ServiceRuntime(ledger.definition(consume=False), settings)
    with pytest.raises(DevelopmentCredentialsRefused) as refused:
        await runtime.start()
    await runtime.stop()
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith("ledger refuses to start with development credentials")
    assert "JWT_JWKS_URL is not set" in message
    assert "DEVELOPMENT_MODE=true" in message


def test_the_development_kafka_password_is_refused_too_and_real_credentials_pass() -> None:
    dev_password = Settings(**{**PRODUCTION, "kafka_sasl_password": development_kafka_password("ledger")})
    assert development_credentials_in_use(dev_password) == [
        "KAFKA_SASL_PASSWORD is the development password of 'ledger'"
    ]
    assert development_credentials_in_use(Settings(**PRODUCTION)) == []


def test_a_service_process_says_so_in_one_line_and_exits(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JWT_", "KAFKA_", "DEVELOPMENT_MODE"))
    }
    env |= {"DEVELOPMENT_MODE": "false", "VAR_DIR": str(tmp_path), "HTTP_PORT": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "intake"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("intake refuses to start with development credentials: it would accept tokens")
    assert not (tmp_path / "intake.db").exists()  # refused before touching anything
