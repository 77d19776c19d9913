"""Run the suite with the operators' stack on this machine: traces and metrics, no Docker.

    uv run python tools/observe.py        # what `make observe` calls

* **Zipkin** (the trace backend: UI and query API on http://127.0.0.1:9411) from the jar
  that tools/zipkin/pom.xml pins, fetched from Maven Central with Maven once (cached in
  .cache/zipkin/<version>/);
* **Prometheus** from Debian's packages (`make ops-tools` installs it) on
  http://127.0.0.1:9090, scraping every service's /metrics and evaluating
  deploy/prometheus/alerts.yml;
* **the suite** as `make run` starts it (tools/run_suite.py: local Kafka, five services on
  SQLite), each service sending its spans to Zipkin (OTEL_EXPORTER_ZIPKIN_ENDPOINT).

Everything listens on 127.0.0.1 only and keeps its state under var/observe/; Ctrl-C or
SIGTERM stops it all.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

from run_suite import SERVICES

ROOT = Path(__file__).resolve().parent.parent
ZIPKIN_POM = ROOT / "tools" / "zipkin" / "pom.xml"
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
_POM_NS = "{http://maven.apache.org/POM/4.0.0}"


def say(message: str) -> None:
    print(message, flush=True)


def zipkin_version() -> str:
    root = ET.parse(ZIPKIN_POM).getroot()  # noqa: S314 - our own, trusted file
    element = root.find(f"{_POM_NS}properties/{_POM_NS}zipkin.version")
    if element is None or not (element.text or "").strip():
        raise SystemExit(f"{ZIPKIN_POM} has no <properties><zipkin.version>")
    return (element.text or "").strip()


def zipkin_jar() -> Path:
    """The Zipkin server's executable jar, fetched with Maven the first time."""
    version = zipkin_version()
    cache = ROOT / ".cache" / "zipkin" / version
    jar = cache / f"zipkin-server-{version}-exec.jar"
    if jar.is_file():
        return jar
    mvn = shutil.which("mvn")
    if mvn is None:
        raise SystemExit("`mvn` not found: Maven fetches the Zipkin server from Maven Central")
    say(f"Fetching the Zipkin server {version} from Maven Central...")
    command = [
        mvn,
        "-q",
        "-B",
        "-f",
        str(ZIPKIN_POM),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={cache}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0 or not jar.is_file():
        raise SystemExit(f"mvn failed ({result.returncode}): {result.stdout}{result.stderr}")
    return jar


def answers(url: str, needle: str = "") -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own 127.0.0.1 URL
            return response.status == 200 and needle in response.read().decode(errors="replace")
    except (urllib.error.URLError, OSError):
        return False


def tail(log: Path, lines: int = 15) -> str:
    """The last lines of a log, for an error message that says why without opening it."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def wait_for(name: str, url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not answers(url):
        if process.poll() is not None:
            raise SystemExit(f"{name} exited with {process.returncode}; see {log}:\n{tail(log)}")
        if time.monotonic() > deadline:
            raise SystemExit(f"{name} did not answer on {url} within {timeout:.0f}s; see {log}")
        time.sleep(0.3)


def start_zipkin(port: int, var: Path) -> subprocess.Popen[bytes]:
    jar = zipkin_jar()
    log = var / "zipkin.log"
    java = shutil.which("java") or "java"
    command = [
        java, "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(jar),
        # Spring Boot replaces a list property as a whole: name the port, the address and the
        # protocol of the one listener, so that it binds 127.0.0.1 only.
        f"--armeria.ports[0].port={port}", "--armeria.ports[0].ip=127.0.0.1",
        "--armeria.ports[0].protocols[0]=http",
    ]  # fmt: skip
    # Zipkin would start a Kafka collector on KAFKA_BOOTSTRAP_SERVERS (and report itself down
    # while that cannot log in to the secured broker): the services send spans over HTTP.
    env = {name: value for name, value in os.environ.items() if not name.startswith("KAFKA_")}
    process = subprocess.Popen(  # noqa: S603
        command, stdout=log.open("ab"), stderr=subprocess.STDOUT, cwd=var, env=env
    )
    wait_for("Zipkin", f"http://127.0.0.1:{port}/health", process, log, timeout=120)
    return process


def prometheus_config(base_port: int, scrape_interval: str) -> str:
    targets = "\n".join(
        f'      - targets: ["127.0.0.1:{base_port + offset}"]\n        labels: {{service: {name}}}'
        for offset, (name, _module, _default) in enumerate(SERVICES)
    )
    return (
        "# Written by tools/observe.py: the suite's services on 127.0.0.1.\n"
        f"global:\n  scrape_interval: {scrape_interval}\n  evaluation_interval: {scrape_interval}\n"
        f"rule_files:\n  - {ALERTS}\n"
        "scrape_configs:\n  - job_name: handoff\n    metrics_path: /metrics\n    static_configs:\n"
        f"{targets}\n"
    )


def start_prometheus(port: int, base_port: int, var: Path, scrape_interval: str) -> subprocess.Popen[bytes]:
    binary = shutil.which("prometheus")
    if binary is None:
        raise SystemExit("`prometheus` not found: `make ops-tools` installs it from Debian's packages")
    config = var / "prometheus.yml"
    config.write_text(prometheus_config(base_port, scrape_interval))
    log = var / "prometheus.log"
    command = [
        binary, f"--config.file={config}", f"--storage.tsdb.path={var / 'prometheus'}",
        f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=2d",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=log.open("ab"), stderr=subprocess.STDOUT, cwd=var)  # noqa: S603
    wait_for("Prometheus", f"http://127.0.0.1:{port}/-/ready", process, log, timeout=60)
    return process


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--base-port", type=int, default=int(os.environ.get("HANDOFF_BASE_PORT", "8001")))
    parser.add_argument("--zipkin-port", type=int, default=9411)
    parser.add_argument("--prometheus-port", type=int, default=9090)
    parser.add_argument("--scrape-interval", default="15s")
    parser.add_argument("--var", type=Path, default=ROOT / "var", help="state folder (git-ignored)")
    args = parser.parse_args(argv)
    var: Path = args.var.resolve()
    observe = var / "observe"
    observe.mkdir(parents=True, exist_ok=True)

    stopping = False
    started: list[subprocess.Popen[bytes]] = []
    suite: subprocess.Popen[str] | None = None

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        if suite is not None and suite.poll() is None:
            suite.send_signal(signal.SIGTERM)  # it stops its services and Kafka, then its output ends

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    try:
        started.append(start_zipkin(args.zipkin_port, observe))
        started.append(start_prometheus(args.prometheus_port, args.base_port, observe, args.scrape_interval))
        env = {
            **os.environ,
            "OTEL_EXPORTER_ZIPKIN_ENDPOINT": f"http://127.0.0.1:{args.zipkin_port}/api/v2/spans",
        }
        suite = subprocess.Popen(  # noqa: S603
            [sys.executable, str(ROOT / "tools" / "run_suite.py"), "--base-port", str(args.base_port),
             "--var", str(var)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        assert suite.stdout is not None
        for line in suite.stdout:
            if "Stop with Ctrl-C" in line:
                say(f"Traces:  http://127.0.0.1:{args.zipkin_port}/zipkin/  (Zipkin, API /api/v2/traces)")
                say(f"Metrics: http://127.0.0.1:{args.prometheus_port}/targets  (Prometheus; /alerts)")
                say(
                    "         "
                    + "  ".join(
                        f"http://127.0.0.1:{args.base_port + i}/metrics" for i in range(len(SERVICES))
                    )
                )
            say(line.rstrip("\n"))
        code = suite.wait()
        return 0 if stopping else code
    finally:
        if suite is not None and suite.poll() is None:
            suite.send_signal(signal.SIGTERM)
            try:
                suite.wait(timeout=60)
            except subprocess.TimeoutExpired:
                suite.kill()
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        say("Observability stack stopped.")


if __name__ == "__main__":
    sys.exit(main())
