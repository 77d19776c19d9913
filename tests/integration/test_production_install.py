"""Each service's production environment starts: built the way the Dockerfile builds it (the
locked dependencies of that one service, no dev group, the workspace packages as wheels),
run from outside the source tree, it answers liveness and readiness against the real broker,
serves its metrics and its API docs' assets (and the monitor its pages), and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from handoff_devtools.testing.helpers import free_port_block
from handoff_devtools.testing.kafka import KafkaAccess

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["intake", "returns", "police-handover", "monitoring", "resettlement"]


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - 127.0.0.1
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, OSError):
        return 0, b""


@pytest.mark.parametrize("service", SERVICES)
def test_the_production_environment_of_each_service_starts(
    service: str, kafka: KafkaAccess, topic_prefix: str, tmp_path: Path
) -> None:
    uv = os.environ.get("UV") or shutil.which("uv")  # `uv run` names itself in $UV
    assert uv, "run the tests with `uv run` (make test does), or put uv on PATH"
    venv = tmp_path / "venv"
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "UV_PROJECT_ENVIRONMENT")
    }
    sync = subprocess.run(
        [uv, "sync", "--frozen", "--no-dev", "--no-editable", "--package", f"handoff-{service}", "--quiet"],
        cwd=ROOT, env={**clean, "UV_PROJECT_ENVIRONMENT": str(venv)}, capture_output=True, text=True,
        check=False, timeout=300,
    )  # fmt: skip
    assert sync.returncode == 0, sync.stderr
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import pytest"], capture_output=True, check=False
    )
    assert installed.returncode != 0, "the dev group leaked into the production environment"

    asyncio.run(kafka.grant(topic_prefix))
    port = free_port_block(1)
    run_dir = tmp_path / "run"  # not the checkout: only the installed wheels can be imported
    run_dir.mkdir()
    env = {
        **clean,
        "VAR_DIR": str(run_dir),
        "HTTP_PORT": str(port),
        **kafka.environment(service),
        "KAFKA_TOPIC_PREFIX": topic_prefix,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("DATABASE_URL", None)
    log = (tmp_path / "service.log").open("wb")
    process = subprocess.Popen(
        [str(venv / "bin" / "python"), "-m", service.replace("-", "_")],
        cwd=run_dir, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while get(f"http://127.0.0.1:{port}/health/ready")[0] != 200:
            assert process.poll() is None, (tmp_path / "service.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "service.log").read_text()
            time.sleep(0.3)
        assert get(f"http://127.0.0.1:{port}/health/live")[0] == 200
        status, body = get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200
        assert f'handoff_outbox_pending{{service="{service}"}} 0.0' in body.decode()
        assert get(f"http://127.0.0.1:{port}/static-offline-docs/swagger-ui-bundle.js")[0] == 200
        if service == "monitoring":  # the ombudsman's pages: templates and assets inside the wheel
            status, body = get(f"http://127.0.0.1:{port}/ui/login")
            assert status == 200
            assert b"Your bearer token" in body
            for asset in ("app.css", "live.js", "icon.svg"):
                assert get(f"http://127.0.0.1:{port}/ui/static/{asset}")[0] == 200, asset
        assert (run_dir / f"{service}.db").is_file()
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    # uvicorn shuts down gracefully, then re-raises the signal: the exit says "terminated".
    assert code in (0, -signal.SIGTERM), (tmp_path / "service.log").read_text()
    assert "Application shutdown complete." in (tmp_path / "service.log").read_text()
