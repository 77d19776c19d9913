"""Run the whole suite on its embedded defaults: local Kafka, SQLite, all five services.

    uv run python tools/run_suite.py            # what `make run` calls

Starts (or reuses) the local Kafka broker from the Maven Central jars unless
KAFKA_BOOTSTRAP_SERVERS names one, starts each service as its own process with its own
database (a SQLite file under var/, or, when DATABASE_URL names a PostgreSQL server, a
database per service on it), waits until every service is ready, prints where each API's
docs are, and stops everything on Ctrl-C or SIGTERM.

The services run in development mode (DEVELOPMENT_MODE=true unless set) and each connects
to Kafka as its own principal: on the local broker SASL/SCRAM-SHA-512 with its development
password; on a named broker with KAFKA_SECURITY_PROTOCOL as given, the service's name as
username and the password of KAFKA_SASL_PASSWORD_<SERVICE> (e.g. KAFKA_SASL_PASSWORD_POLICE_HANDOVER),
else the development one.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy.engine import make_url

from handoff_plumbing.development import development_kafka_password

ROOT = Path(__file__).resolve().parent.parent
SERVICES = [  # name, module, default port
    ("intake", "intake", 8001),
    ("returns", "returns", 8002),
    ("police-handover", "police_handover", 8003),
    ("monitoring", "monitoring", 8004),
    ("resettlement", "resettlement", 8005),
]


def say(message: str) -> None:
    print(message, flush=True)


def start_kafka(var: Path) -> str | None:
    """Start the local broker unless one is named; returns the data dir we own, if any."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        say(f"Kafka: using {os.environ['KAFKA_BOOTSTRAP_SERVERS']}")
        return None
    data_dir = var / "kafka"
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "handoff_devtools.local_kafka", "start", "--data-dir", str(data_dir)],
        check=True,
    )
    os.environ["KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:19092"
    os.environ["KAFKA_SECURITY_PROTOCOL"] = "SASL_PLAINTEXT"
    os.environ["KAFKA_SASL_MECHANISM"] = "SCRAM-SHA-512"
    return str(data_dir)


def kafka_credentials(service: str) -> dict[str, str]:
    """The service's own Kafka principal, when the broker authenticates clients."""
    if not os.environ.get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT").upper().startswith("SASL_"):
        return {}
    password = os.environ.get(f"KAFKA_SASL_PASSWORD_{service.upper().replace('-', '_')}")
    return {
        "KAFKA_SASL_USERNAME": service,
        "KAFKA_SASL_PASSWORD": password or development_kafka_password(service),
    }


def stop_kafka(data_dir: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "handoff_devtools.local_kafka", "stop", "--data-dir", data_dir], check=False
    )


def database_url_for(service: str) -> str | None:
    """With DATABASE_URL naming a PostgreSQL server, each service gets its own database on it."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        return None
    url = make_url(base)
    if url.get_backend_name() == "sqlite":
        raise SystemExit("DATABASE_URL: give a PostgreSQL server here; SQLite is the default anyway")
    return url.set(database=f"handoff_{service.replace('-', '_')}").render_as_string(hide_password=False)


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2) as response:
            return bool(json.load(response)["status"] == "ready")
    except (urllib.error.URLError, OSError, ValueError, KeyError):
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--base-port", type=int, default=int(os.environ.get("HANDOFF_BASE_PORT", "8001")))
    parser.add_argument("--var", type=Path, default=ROOT / "var", help="state folder (git-ignored)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for readiness")
    args = parser.parse_args(argv)
    var: Path = args.var.resolve()
    (var / "logs").mkdir(parents=True, exist_ok=True)

    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    kafka_dir = start_kafka(var)
    children: list[tuple[str, int, subprocess.Popen[bytes]]] = []
    try:
        for offset, (name, module, _default) in enumerate(SERVICES):
            port = args.base_port + offset
            env = {**os.environ, "HTTP_PORT": str(port), "VAR_DIR": str(var), **kafka_credentials(name)}
            env.setdefault("DEVELOPMENT_MODE", "true")
            url = database_url_for(name)
            if url:
                env["DATABASE_URL"] = url
            log = (var / "logs" / f"{name}.log").open("ab")
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", module], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
            )
            children.append((name, port, process))
        deadline = time.monotonic() + args.timeout
        pending = {name: port for name, port, _ in children}
        while pending and not stopping:
            for name, port, process in children:
                if process.poll() is not None:
                    say(f"{name} exited with {process.returncode}; see {var / 'logs' / (name + '.log')}")
                    return 1
                if name in pending and ready(port):
                    del pending[name]
            if time.monotonic() > deadline:
                say(f"not ready after {args.timeout:.0f}s: {', '.join(pending)} (logs in {var / 'logs'})")
                return 1
            time.sleep(0.2)
        if stopping:
            return 0
        say("\nHandoff is running. API docs:")
        for name, port, _ in children:
            say(f"  {name:<16} http://127.0.0.1:{port}/docs")
            if name == "monitoring":
                say(f"  {'':<16} http://127.0.0.1:{port}/ui/  (the ombudsman's pages, role monitor)")
        say(f"Logs: {var / 'logs'}.  A token: make token ROLE=agency.  Stop with Ctrl-C.")
        while not stopping:
            for name, _, process in children:
                if process.poll() is not None:
                    say(f"{name} exited with {process.returncode}; stopping the suite")
                    return 1
            time.sleep(0.5)
        return 0
    finally:
        for _, _, process in children:
            if process.poll() is None:
                process.terminate()
        for _, _, process in children:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if kafka_dir is not None:
            stop_kafka(kafka_dir)
        say("Handoff stopped.")


if __name__ == "__main__":
    sys.exit(main())
