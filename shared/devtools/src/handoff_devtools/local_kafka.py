"""A real single-node Apache Kafka (KRaft) broker started from Maven Central jars.

No Docker needed: ``tools/kafka/pom.xml`` pins ``org.apache.kafka:kafka_2.13`` (one
``kafka.version`` property), Maven copies the runtime jars into a version-keyed cache,
and :class:`LocalKafka` runs ``java -cp '<lib>/*' kafka.Kafka server.properties`` as one
combined broker+controller node listening on 127.0.0.1.

Layout of a data dir::

    server.properties   written on every start
    kraft/              log.dirs: topic data and the KRaft metadata log (formatted once)
    logs/server.log     the broker's Log4j 2 log (tools/kafka/log4j2.properties)
    broker.out          the JVM's stdout/stderr (WARN and above, crashes)
    kafka.pid           pid of the running broker

The jar cache ``<repo>/.cache/kafka/<version>/`` (root overridable with
``$HANDOFF_KAFKA_CACHE``) holds ``lib/`` and, after the first broker has stopped cleanly,
a class-data-sharing archive that makes later JVM starts about twice as fast
(``HANDOFF_KAFKA_CDS=0`` disables it). ``$HANDOFF_KAFKA_JVM_OPTS`` is appended to the
JVM options (e.g. ``-XX:TieredStopAtLevel=4`` to get the C2 compiler back).

Command line::

    python -m handoff_devtools.local_kafka fetch
    python -m handoff_devtools.local_kafka start [--data-dir D] [--port 19092] [--no-auth]
    python -m handoff_devtools.local_kafka status|stop [--data-dir D]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import fcntl
import hashlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from handoff_devtools.kafka_acls import ADMIN, admin_security, development_passwords, grant
from handoff_plumbing.development import development_kafka_password
from handoff_schemas.kafka_client import KafkaSecurity

__all__ = [
    "DEFAULT_CONTROLLER_PORT",
    "DEFAULT_PORT",
    "READINESS_TOPIC",
    "BrokerStartError",
    "KafkaFetchError",
    "LocalKafka",
    "LocalKafkaError",
    "fetch_jars",
    "find_repo_root",
    "kafka_version",
    "main",
    "wait_until_ready",
]

POM_PATH = Path("tools/kafka/pom.xml")
LOG4J2_PATH = Path("tools/kafka/log4j2.properties")
CACHE_ENV = "HANDOFF_KAFKA_CACHE"
JVM_OPTS_ENV = "HANDOFF_KAFKA_JVM_OPTS"
CDS_ENV = "HANDOFF_KAFKA_CDS"
DEFAULT_PORT = 19092
DEFAULT_CONTROLLER_PORT = 19093
READINESS_TOPIC = "_handoff_readiness"
HOST = "127.0.0.1"
NODE_ID = 1
PID_FILE = "kafka.pid"
CONFIG_FILE = "server.properties"
OUT_FILE = "broker.out"
CREDENTIALS_FILE = "principals.sha256"
_POM_NS = "{http://maven.apache.org/POM/4.0.0}"
_TOPIC_ALREADY_EXISTS = 36
_DUMP_FLAG = "-XX:ArchiveClassesAtExit="
# JVM flags for a small, quick-starting test broker. C1 only starts ~35% faster and is
# plenty for a dev broker; the serial GC uses one thread and the least memory.
_JVM_FLAGS = (
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-XX:-UsePerfData",
    "-XX:+ExitOnOutOfMemoryError",
    "-Xlog:cds*=off",
    "-Djava.awt.headless=true",
    "-Dlog4j2.shutdownHookEnabled=false",
)
_T = TypeVar("_T")


class LocalKafkaError(RuntimeError):
    """Base error of this module."""


class KafkaFetchError(LocalKafkaError):
    """Maven could not resolve the broker jars."""


class BrokerStartError(LocalKafkaError):
    """The broker did not become ready (timeout, early exit, port clash)."""


class _WrongClusterError(LocalKafkaError):
    """Something else (another cluster) answers on the broker's port."""


# --------------------------------------------------------------------------- jars


def find_repo_root(start: Path | None = None) -> Path:
    """Return the nearest folder above ``start`` (default: this module) holding the pom.

    Falls back to walking up from the current directory, so an installed (non-editable)
    package still works when run from inside a checkout.
    """
    starts = [start] if start is not None else [Path(__file__).resolve(), Path.cwd()]
    for origin in starts:
        for folder in (origin, *origin.parents):
            if (folder / POM_PATH).is_file():
                return folder
    raise LocalKafkaError(f"no folder containing {POM_PATH} above {', '.join(map(str, starts))}")


def kafka_version(pom: Path | None = None) -> str:
    """Read the pinned broker version (the ``kafka.version`` property) from the pom."""
    pom = pom if pom is not None else find_repo_root() / POM_PATH
    root = ET.parse(pom).getroot()  # noqa: S314 - our own, trusted file
    element = root.find(f"{_POM_NS}properties/{_POM_NS}kafka.version")
    if element is None or not (element.text or "").strip():
        raise LocalKafkaError(f"{pom} has no <properties><kafka.version>")
    return (element.text or "").strip()


def _default_cache_root(repo: Path) -> Path:
    """``$HANDOFF_KAFKA_CACHE`` if set, else ``<repo>/.cache/kafka``."""
    override = os.environ.get(CACHE_ENV)
    return Path(override) if override else repo / ".cache" / "kafka"


def _pom_digest(pom: Path) -> str:
    """Fingerprint of the pom: any edit (e.g. the log4j version) invalidates the cache."""
    return hashlib.sha256(pom.read_bytes()).hexdigest()


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (serialises concurrent fetches)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run_maven(repo: Path, pom: Path, lib: Path) -> None:
    """Copy the pom's runtime dependencies into ``lib`` (emptied first)."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise KafkaFetchError("`mvn` not found on PATH; install Maven 3 to fetch the Kafka jars")
    shutil.rmtree(lib, ignore_errors=True)
    command = [
        mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
        "-DincludeScope=runtime", f"-DoutputDirectory={lib}",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise KafkaFetchError(
            f"mvn exited with {result.returncode}: {' '.join(command)}\n{result.stdout}{result.stderr}"
        )


def fetch_jars(cache_root: Path | None = None) -> Path:
    """Resolve the broker jars with Maven once and return the ``lib`` folder.

    The jars land in ``<cache_root>/<version>/lib``; ``cache_root`` defaults to
    ``$HANDOFF_KAFKA_CACHE`` or ``<repo>/.cache/kafka``. A marker holding the pom's digest
    is written after success, so later calls return at once without running Maven.
    """
    repo = find_repo_root()
    pom = repo / POM_PATH
    version = kafka_version(pom)
    base = (cache_root if cache_root is not None else _default_cache_root(repo)) / version
    lib, marker, digest = base / "lib", base / "lib.complete", _pom_digest(pom)

    def complete() -> bool:
        return marker.is_file() and marker.read_text().strip() == digest

    if complete():
        return lib
    base.mkdir(parents=True, exist_ok=True)
    with _file_lock(base / "fetch.lock"):
        if not complete():
            for stale in base.glob("broker-*.jsa*"):  # class archives of the old jars
                stale.unlink(missing_ok=True)
            _run_maven(repo, pom, lib)
            if not (lib / f"kafka_2.13-{version}.jar").is_file():
                raise KafkaFetchError(f"mvn succeeded but {lib} lacks kafka_2.13-{version}.jar")
            marker.write_text(digest + "\n")
    return lib


# --------------------------------------------------------------------------- processes


def _java() -> str:
    """Path of the ``java`` launcher (``$JAVA_HOME/bin/java`` first, then PATH)."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise LocalKafkaError("`java` not found (Kafka 4.x needs Java 17+)")
    return found


def _pid_alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie (unreaped orphans count as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] not in {"Z", "X"}


def _cmdline(pid: int) -> list[str]:
    """The argv of ``pid`` (empty when it is gone)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def _is_broker_of(pid: int, config: Path) -> bool:
    """True if ``pid`` is a live ``kafka.Kafka`` started with this very config file."""
    argv = _cmdline(pid)
    return _pid_alive(pid) and "kafka.Kafka" in argv and str(config) in argv


def _read_pid(path: Path) -> int | None:
    """The pid stored in ``path``, or None when missing or garbled."""
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _wait_gone(pid: int, timeout: float, proc: subprocess.Popen[bytes] | None) -> bool:
    """Wait up to ``timeout`` s for ``pid`` to end (reaping it if it is our child)."""
    if proc is not None:
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        return True
    deadline = time.monotonic() + timeout
    while _pid_alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


def _terminate(pid: int, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> bool:
    """SIGTERM ``pid`` (Kafka shuts down cleanly), SIGKILL it after ``timeout`` seconds.

    Returns True when the process ended on SIGTERM, False when it had to be killed.
    """
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if _wait_gone(pid, timeout, proc):
        return True
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    if not _wait_gone(pid, 10.0, proc):
        raise LocalKafkaError(f"Kafka broker pid {pid} survived SIGKILL")
    return False


# --------------------------------------------------------------------------- class-data sharing
#
# The JVM spends most of the broker's start-up loading ~5000 classes. The first broker run
# records them into a dynamic AppCDS archive (written by the JVM when it exits on SIGTERM)
# next to the jars; later runs map it and start roughly a second faster.


def _cds_archive(lib: Path) -> Path:
    """The archive for these jars and this JVM build (keyed by the java binary)."""
    java = Path(_java()).resolve()
    key = hashlib.sha256(f"{java}:{java.stat().st_mtime_ns}".encode()).hexdigest()[:12]
    return lib.parent / f"broker-{key}.jsa"


def _cds_flags(lib: Path) -> list[str]:
    """Use the archive if present, else have this JVM dump one (to a unique staging file)."""
    if os.environ.get(CDS_ENV, "1") == "0":
        return []
    archive = _cds_archive(lib)
    if archive.is_file():
        return [f"-XX:SharedArchiveFile={archive}"]
    return [f"{_DUMP_FLAG}{archive}.{uuid.uuid4().hex[:8]}.tmp"]


def _cds_staging(argv: list[str]) -> Path | None:
    """The staging archive a broker's command line asks the JVM to dump at exit."""
    staged = [arg.removeprefix(_DUMP_FLAG) for arg in argv if arg.startswith(_DUMP_FLAG)]
    return Path(staged[0]) if staged else None


def _promote_cds(staging: Path | None, graceful: bool) -> None:
    """After the JVM is gone: publish a complete staged archive, drop a partial one."""
    if staging is None or not staging.is_file():
        return
    if graceful and staging.stat().st_size > 0:
        os.replace(staging, str(staging).rsplit(".", 2)[0])
    else:
        staging.unlink(missing_ok=True)


def _tail(path: Path, lines: int = 40) -> str:
    """The last ``lines`` lines of ``path`` ('' when it does not exist)."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


# --------------------------------------------------------------------------- ports & config


def _port_free(port: int) -> bool:
    """True if a listener could bind 127.0.0.1:``port`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def _free_ports(count: int) -> list[int]:
    """``count`` distinct loopback ports the kernel reports free."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind((HOST, 0))
        return [int(sock.getsockname()[1]) for sock in sockets]


def _read_properties(path: Path) -> dict[str, str]:
    """Parse a simple ``key=value`` Java properties file (no continuations)."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return {}
    pairs = (line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def _configured_ports(data_dir: Path) -> tuple[int, int] | None:
    """The (broker, controller) ports of an earlier ``server.properties`` in ``data_dir``."""
    props = _read_properties(data_dir / CONFIG_FILE)
    try:
        port = int(props["advertised.listeners"].rsplit(":", 1)[1])
        controller = int(props["controller.quorum.voters"].rsplit(":", 1)[1])
    except (KeyError, IndexError, ValueError):
        return None
    return port, controller


def _security_config(secured: bool) -> dict[str, str]:
    """Listeners and access control: SASL/SCRAM-SHA-512 and KRaft's StandardAuthorizer, deny by default.

    Clients authenticate with SCRAM-SHA-512 (credentials made at format time); the
    controller listener takes PLAIN (SCRAM credentials live in the metadata the controller
    serves, so they cannot guard it), for the broker's super user ``admin`` alone.
    """
    if not secured:
        return {
            "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "inter.broker.listener.name": "PLAINTEXT",
        }
    password = development_kafka_password(ADMIN)
    plain = "org.apache.kafka.common.security.plain.PlainLoginModule"
    scram = "org.apache.kafka.common.security.scram.ScramLoginModule"
    return {
        "listener.security.protocol.map": "CONTROLLER:SASL_PLAINTEXT,PLAINTEXT:SASL_PLAINTEXT",
        "inter.broker.listener.name": "PLAINTEXT",
        "sasl.enabled.mechanisms": "SCRAM-SHA-512",
        "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config": (
            f'{plain} required username="{ADMIN}" password="{password}" user_{ADMIN}="{password}";'
        ),
        "listener.name.plaintext.scram-sha-512.sasl.jaas.config": (
            f'{scram} required username="{ADMIN}" password="{password}";'
        ),
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "allow.everyone.if.no.acl.found": "false",
        "super.users": f"User:{ADMIN}",
    }


def _render_config(port: int, controller_port: int, log_dir: Path, *, secured: bool = True) -> str:
    """``server.properties`` for one combined broker+controller node on 127.0.0.1."""
    settings = {
        "process.roles": "broker,controller",
        "node.id": str(NODE_ID),
        # Static quorum: the voter endpoint comes from this file on every start, so a
        # restart on other ports just works (a dynamic quorum stores it in the log).
        "controller.quorum.voters": f"{NODE_ID}@{HOST}:{controller_port}",
        "listeners": f"PLAINTEXT://{HOST}:{port},CONTROLLER://{HOST}:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://{HOST}:{port}",
        "controller.listener.names": "CONTROLLER",
        **_security_config(secured),
        "log.dirs": str(log_dir),
        "num.partitions": "3",
        "auto.create.topics.enable": "true",
        "default.replication.factor": "1",
        "min.insync.replicas": "1",
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "5",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "transaction.state.log.num.partitions": "5",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
        # Small footprint: few threads, small segments/indexes, small cleaner buffer.
        "num.network.threads": "2",
        "num.io.threads": "2",
        "background.threads": "2",
        "num.recovery.threads.per.data.dir": "1",
        "log.segment.bytes": str(16 * 1024 * 1024),
        "log.index.size.max.bytes": str(1024 * 1024),
        "log.cleaner.dedupe.buffer.size": str(8 * 1024 * 1024),
        "log.retention.hours": "24",
    }
    header = "# Written by handoff_devtools.local_kafka on every start; edits are lost.\n"
    return header + "".join(f"{key}={value}\n" for key, value in settings.items())


def _new_cluster_id() -> str:
    """A Kafka cluster id (base64url UUID) that cannot be mistaken for a CLI flag."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


# --------------------------------------------------------------------------- readiness


async def _accepts_connections(bootstrap: str) -> bool:
    """True if any ``host:port`` of ``bootstrap`` accepts a TCP connection.

    Cheap, and keeps aiokafka from logging a connection error per attempt while the JVM
    is still booting.
    """
    for server in bootstrap.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            _reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host.strip("[]"), int(port)), timeout=2.0
            )
        except (OSError, TimeoutError, ValueError):
            continue
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return True
    return False


async def _probe(bootstrap: str, cluster_id: str | None, security: KafkaSecurity) -> None:
    """One readiness attempt: metadata, readiness topic, one idempotent ``acks=all`` send."""
    options = security.client_options()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000, **options)
    try:
        await admin.start()
        cluster = await admin.describe_cluster()
        if cluster_id is not None and cluster.get("cluster_id") != cluster_id:
            raise _WrongClusterError(
                f"{bootstrap} is served by cluster {cluster.get('cluster_id')!r}, "
                f"not ours ({cluster_id!r}): is another broker using the port?"
            )
        if not cluster.get("brokers"):
            raise LocalKafkaError("no broker registered yet")
        response = await admin.create_topics([NewTopic(READINESS_TOPIC, 1, 1)])
        for _topic, code, *_rest in response.topic_errors:
            if code not in (0, _TOPIC_ALREADY_EXISTS):
                raise LocalKafkaError(f"creating {READINESS_TOPIC} failed with error {code}")
    finally:
        await admin.close()
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", request_timeout_ms=5000, **options
    )
    try:
        await producer.start()
        await producer.send_and_wait(READINESS_TOPIC, b"ready")
    finally:
        await producer.stop()


async def wait_until_ready(
    bootstrap: str, timeout: float, *, cluster_id: str | None = None, security: KafkaSecurity | None = None
) -> None:
    """Return once ``bootstrap`` serves metadata and accepts an idempotent ``acks=all`` send.

    Each attempt creates (if missing) the 1-partition topic ``_handoff_readiness`` and
    sends one record to it, as ``security`` says (the secured broker's super user by
    default). With ``cluster_id`` given, a broker of another cluster on that
    address fails at once instead of passing. Raises :class:`TimeoutError` carrying the last
    error after ``timeout`` seconds.
    """
    security = security if security is not None else admin_security()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last_error: BaseException | None = None
    while (remaining := deadline - loop.time()) > 0:
        if not await _accepts_connections(bootstrap):
            last_error = ConnectionRefusedError(f"nothing listens on {bootstrap} yet")
            await asyncio.sleep(min(0.1, remaining))
            continue
        try:
            await asyncio.wait_for(_probe(bootstrap, cluster_id, security), timeout=min(remaining, 20.0))
        except _WrongClusterError:
            raise
        except Exception as error:  # noqa: BLE001 - any failure just means "not ready yet"
            last_error = error
            await asyncio.sleep(min(0.25, max(deadline - loop.time(), 0.0)))
        else:
            return
    raise TimeoutError(f"Kafka at {bootstrap} not ready after {timeout:.0f}s: {last_error!r}")


def _run_sync(factory: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """Run a coroutine to completion from sync code, even inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with ThreadPoolExecutor(1, thread_name_prefix="local-kafka") as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


# --------------------------------------------------------------------------- broker


class LocalKafka:
    """One KRaft broker+controller JVM on 127.0.0.1, its files under ``data_dir``.

    Ports left as None are taken from an earlier ``server.properties`` in ``data_dir`` when
    still free (so a restart keeps its address), else picked free. ``heap`` is the JVM's
    ``-Xmx``. Use as a context manager or call :meth:`start` / :meth:`stop`.

    ``secured`` (the default): clients authenticate with SASL/SCRAM-SHA-512 as the principals
    of :func:`~handoff_devtools.kafka_acls.broker_principals` (development passwords), and
    KRaft's StandardAuthorizer denies whatever the ACLs generated from the topic
    specifications (applied at every start) do not grant. :attr:`client_security` is the
    super user's.
    """

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        controller_port: int | None = None,
        heap: str = "512m",
        *,
        secured: bool = True,
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.heap = heap
        self.secured = secured
        self._fixed_ports = port is not None or controller_port is not None
        self.port, self.controller_port = self._choose_ports(port, controller_port)
        self.startup_seconds = 0.0
        self._proc: subprocess.Popen[bytes] | None = None
        self._pid: int | None = None

    # ----------------------------------------------------------------- paths & state

    @property
    def bootstrap(self) -> str:
        """``127.0.0.1:<port>``."""
        return f"{HOST}:{self.port}"

    @property
    def client_security(self) -> KafkaSecurity:
        """How the broker's super user connects (no authentication when not secured)."""
        return admin_security() if self.secured else KafkaSecurity()

    @property
    def config_path(self) -> Path:
        """The generated ``server.properties``."""
        return self.data_dir / CONFIG_FILE

    @property
    def log_dir(self) -> Path:
        """Kafka's ``log.dirs``: topic partitions and the KRaft metadata log."""
        return self.data_dir / "kraft"

    @property
    def server_log(self) -> Path:
        """The broker's Log4j 2 log file."""
        return self.data_dir / "logs" / "server.log"

    @property
    def out_path(self) -> Path:
        """Where the JVM's stdout/stderr go."""
        return self.data_dir / OUT_FILE

    @property
    def pid_path(self) -> Path:
        """The pid file written while the broker runs."""
        return self.data_dir / PID_FILE

    @property
    def cluster_id(self) -> str | None:
        """The cluster id the storage was formatted with (None before formatting)."""
        return _read_properties(self.log_dir / "meta.properties").get("cluster.id")

    @property
    def pid(self) -> int | None:
        """Pid of the running broker, or None."""
        return self._pid if self.is_running() else None

    def is_running(self) -> bool:
        """True while the broker process started by this object is alive."""
        if self._proc is not None:
            return self._proc.poll() is None
        return self._pid is not None and _is_broker_of(self._pid, self.config_path)

    def rss_bytes(self) -> int:
        """Resident memory of the broker JVM (``VmRSS`` from /proc), in bytes."""
        pid = self.pid
        if pid is None:
            raise LocalKafkaError("the broker is not running")
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise LocalKafkaError(f"no VmRSS in /proc/{pid}/status")

    def running_pid_from_file(self) -> int | None:
        """Pid from ``kafka.pid`` if it is a live broker of this data dir (any owner)."""
        pid = _read_pid(self.pid_path)
        return pid if pid is not None and _is_broker_of(pid, self.config_path) else None

    # ----------------------------------------------------------------- start

    def start(self, timeout: float = 90.0) -> str:
        """Format storage if needed, launch the JVM as a child, wait until it is ready.

        Returns the bootstrap address. Records :attr:`startup_seconds` (config + format +
        JVM start + readiness; the jar fetch is excluded). Raises :class:`BrokerStartError`
        with the broker log's tail on timeout or early exit.
        """
        return self._start(timeout, detached=False)

    def _start(self, timeout: float, *, detached: bool) -> str:
        """Shared by :meth:`start` and the CLI (which detaches the JVM)."""
        if self.is_running():
            return self.bootstrap
        other = self.running_pid_from_file()
        if other is not None:
            raise BrokerStartError(f"a broker (pid {other}) already runs from {self.data_dir}")
        lib = fetch_jars()
        for attempt in (1, 2):
            try:
                return self._launch(lib, timeout, detached=detached)
            except BrokerStartError as error:
                port_clash = "Address already in use" in str(error)
                if attempt == 2 or self._fixed_ports or not port_clash:
                    raise
                self.port, self.controller_port = _free_ports(2)  # lost a port race: retry
        raise AssertionError("unreachable")

    def _launch(self, lib: Path, timeout: float, *, detached: bool) -> str:
        """Write config, format, spawn and wait; kill the JVM again if it never got ready."""
        started = time.monotonic()
        self._check_ports_free()
        self._write_config()
        self._format_storage(lib)
        self._spawn(self._java_command(lib), detached=detached)
        try:
            remaining = max(timeout - (time.monotonic() - started), 1.0)
            _run_sync(lambda: self._await_ready(remaining))
            if self.secured:
                _run_sync(lambda: grant(self.bootstrap, self.client_security))
        except BaseException:
            self._kill_quietly()
            raise
        self.startup_seconds = time.monotonic() - started
        return self.bootstrap

    def _choose_ports(self, port: int | None, controller_port: int | None) -> tuple[int, int]:
        """Explicit ports win; else reuse the data dir's earlier ports if free; else pick."""
        previous = _configured_ports(self.data_dir)
        reusable = port is None and controller_port is None and previous is not None
        if reusable and previous is not None and all(map(_port_free, previous)):
            return previous
        picked = iter(_free_ports(2))
        return (
            port if port is not None else next(picked),
            controller_port if controller_port is not None else next(picked),
        )

    def _check_ports_free(self) -> None:
        """Fail fast (before any JVM starts) when a port is taken."""
        for port in (self.port, self.controller_port):
            if not _port_free(port):
                raise BrokerStartError(f"port {port} on {HOST} is taken (Address already in use)")

    def _write_config(self) -> None:
        """Write ``server.properties`` and create the folders the broker expects."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "logs").mkdir(exist_ok=True)
        self.config_path.write_text(
            _render_config(self.port, self.controller_port, self.log_dir, secured=self.secured)
        )

    def _jvm_base(self, lib: Path, heap: str, cds: list[str]) -> list[str]:
        """``java`` + memory, logging, CDS and classpath options (broker and format tool)."""
        repo = find_repo_root()
        return [
            _java(), f"-Xmx{heap}", "-Xms32m", *_JVM_FLAGS,
            f"-Dlog4j2.configurationFile={repo / LOG4J2_PATH}",
            f"-Dkafka.logs.dir={self.data_dir / 'logs'}",
            *cds, *shlex.split(os.environ.get(JVM_OPTS_ENV, "")),
            "-cp", f"{lib}/*",
        ]  # fmt: skip

    def _java_command(self, lib: Path) -> list[str]:
        """The broker's command line."""
        base = self._jvm_base(lib, self.heap, _cds_flags(lib))
        return [*base, "kafka.Kafka", str(self.config_path)]

    def _credentials_digest(self) -> str:
        """What the storage's SCRAM credentials were made from (principals and passwords)."""
        if not self.secured:
            return "plaintext"
        return hashlib.sha256(repr(sorted(development_passwords().items())).encode()).hexdigest()

    def _format_storage(self, lib: Path) -> None:
        """``StorageTool format`` the KRaft storage unless it already is formatted (with these principals).

        SCRAM credentials can only be made at format time before the broker runs; a data dir
        formatted for other principals (or without any) is formatted anew.
        """
        marker = self.data_dir / CREDENTIALS_FILE
        if (self.log_dir / "meta.properties").is_file():
            if marker.is_file() and marker.read_text().strip() == self._credentials_digest():
                return
            print(
                f"local Kafka: {self.log_dir} was made for other principals; formatting it anew",
                file=sys.stderr,
            )
            shutil.rmtree(self.log_dir)
        scram = [
            arg
            for principal, password in (development_passwords().items() if self.secured else ())
            for arg in ("--add-scram", f"SCRAM-SHA-512=[name={principal},password={password}]")
        ]
        command = [
            *self._jvm_base(lib, "256m", [f for f in _cds_flags(lib) if _DUMP_FLAG not in f]),
            "kafka.tools.StorageTool", "format",
            "--cluster-id", _new_cluster_id(), "--config", str(self.config_path),
            "--ignore-formatted", *scram,
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise BrokerStartError(
                f"formatting {self.log_dir} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
            )
        marker.write_text(self._credentials_digest() + "\n")

    def _spawn(self, command: list[str], *, detached: bool) -> None:
        """Start the JVM: our child (dies with us) or a detached daemon; write the pid file."""
        self._proc, self._pid = None, None
        if detached:
            self._pid = _spawn_detached(command, self.out_path, self.data_dir)
        else:
            self._proc = _spawn_child(command, self.out_path, self.data_dir)
            self._pid = self._proc.pid
        self.pid_path.write_text(f"{self._pid}\n")

    async def _await_ready(self, seconds: float) -> None:
        """Wait up to ``seconds`` for readiness, watching the process for an early exit."""
        ready = asyncio.ensure_future(
            wait_until_ready(
                self.bootstrap, seconds, cluster_id=self.cluster_id, security=self.client_security
            )
        )
        try:
            while not ready.done():
                if not self.is_running():
                    raise BrokerStartError(self._failure("exited during start-up"))
                await asyncio.wait({ready}, timeout=0.2)
            ready.result()
        except (TimeoutError, _WrongClusterError) as error:
            raise BrokerStartError(self._failure(f"did not become ready: {error}")) from error
        finally:
            ready.cancel()
            with contextlib.suppress(BaseException):
                await ready

    def _failure(self, what: str) -> str:
        """Error text: what happened plus the tails of the JVM output and server log."""
        code = self._proc.poll() if self._proc is not None else None
        status = f" (exit code {code})" if code is not None else ""
        return (
            f"Kafka broker in {self.data_dir} {what}{status}\n"
            f"--- {self.out_path} ---\n{_tail(self.out_path)}\n"
            f"--- {self.server_log} ---\n{_tail(self.server_log)}"
        )

    # ----------------------------------------------------------------- stop

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM the broker, wait up to ``timeout`` s, then SIGKILL. Idempotent."""
        pid = self._pid
        if pid is not None and self.is_running():
            staging = _cds_staging(_cmdline(pid))
            _promote_cds(staging, graceful=_terminate(pid, timeout, self._proc))
        elif self._proc is not None:
            self._proc.wait()
        if pid is not None and _read_pid(self.pid_path) == pid:
            self.pid_path.unlink(missing_ok=True)
        self._proc, self._pid = None, None

    def _adopt(self, pid: int) -> None:
        """Take charge of an already running broker of this data dir (CLI stop/status)."""
        self._proc, self._pid = None, pid
        self.port, self.controller_port = _configured_ports(self.data_dir) or (0, 0)

    def _kill_quietly(self) -> None:
        """Best-effort immediate stop after a failed start."""
        with contextlib.suppress(Exception):
            self.stop(timeout=10.0)

    def __enter__(self) -> Self:
        """Start (if not running) and return self."""
        if not self.is_running():
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the broker."""
        self.stop()

    def __repr__(self) -> str:
        """Debug representation."""
        return f"LocalKafka({str(self.data_dir)!r}, port={self.port}, pid={self.pid})"


def _spawn_child(command: list[str], out: Path, cwd: Path) -> subprocess.Popen[bytes]:
    """Start ``command`` as our child, output appended to ``out``.

    From the main thread the JVM gets a parent-death signal (via ``setpriv``), so a test
    run killed with SIGKILL does not leave a broker behind. (The signal fires when the
    spawning *thread* ends, hence main thread only.)
    """
    setpriv = shutil.which("setpriv")
    if setpriv is not None and threading.current_thread() is threading.main_thread():
        command = [setpriv, "--pdeathsig", "TERM", "--", *command]
    with out.open("ab") as sink:
        return subprocess.Popen(  # noqa: S603
            command, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT, cwd=cwd
        )


def _spawn_detached(command: list[str], out: Path, cwd: Path) -> int:
    """Start ``command`` in a new session, not our child, so it outlives us; return its pid.

    A throw-away ``sh`` backgrounds the JVM and exits, so the JVM is re-parented to init
    and never becomes a zombie of the calling (possibly long-lived) Python process.
    """
    script = 'out=$1; shift; "$@" </dev/null >>"$out" 2>&1 & echo $!'
    result = subprocess.run(  # noqa: S603
        ["/bin/sh", "-c", script, "sh", str(out), *command],
        cwd=cwd, capture_output=True, text=True, check=True, start_new_session=True,
    )  # fmt: skip
    return int(result.stdout.strip())


# --------------------------------------------------------------------------- CLI


def _default_data_dir() -> Path:
    """``<repo>/var/kafka`` (``var/`` is git-ignored)."""
    return find_repo_root() / "var" / "kafka"


def _parser() -> argparse.ArgumentParser:
    """Command-line interface."""
    parser = argparse.ArgumentParser(
        prog="python -m handoff_devtools.local_kafka",
        description="Single-node Kafka (KRaft) from Maven Central jars, no Docker.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("fetch", help="download the broker jars into the cache")
    for name, text in (("start", "start a detached broker"), ("stop", "stop it"),
                       ("status", "print up/down (exit 1 when down)")):  # fmt: skip
        command = commands.add_parser(name, help=text)
        command.add_argument("--data-dir", type=Path, default=None,
                             help="broker folder (default <repo>/var/kafka)")  # fmt: skip
    start = commands.choices["start"]
    start.add_argument("--port", type=int, default=DEFAULT_PORT, help="client port (19092)")
    start.add_argument("--controller-port", type=int, default=None,
                       help="KRaft controller port (default --port + 1, i.e. 19093)")  # fmt: skip
    start.add_argument("--heap", default="512m", help="JVM -Xmx (512m)")
    start.add_argument("--no-auth", action="store_true",
                       help="no SASL, no authorizer: anyone may do anything")  # fmt: skip
    start.add_argument("--timeout", type=float, default=90.0, help="seconds to wait (90)")
    commands.choices["stop"].add_argument("--timeout", type=float, default=30.0)
    return parser


def _cli_broker(data_dir: Path | None, port: int | None = None, controller: int | None = None,
                heap: str = "512m", *, secured: bool = True) -> LocalKafka:  # fmt: skip
    """A :class:`LocalKafka` for the CLI, bound to the broker of its pid file if any."""
    broker = LocalKafka(data_dir or _default_data_dir(), port, controller, heap, secured=secured)
    pid = broker.running_pid_from_file()
    if pid is not None:
        broker._adopt(pid)
    return broker


def _cmd_start(args: argparse.Namespace) -> int:
    """``start``: no-op if already running, else start detached and wait for readiness."""
    controller = args.controller_port if args.controller_port is not None else args.port + 1
    broker = _cli_broker(args.data_dir, args.port, controller, args.heap, secured=not args.no_auth)
    if broker.pid is not None:
        print(f"Kafka already running on {broker.bootstrap} (pid {broker.pid}); nothing to do")
        return 0
    broker._start(args.timeout, detached=True)
    print(f"Kafka ready on {broker.bootstrap} (started in {broker.startup_seconds:.1f}s, pid {broker.pid})")
    if broker.secured:
        print(
            "  SASL_PLAINTEXT, SCRAM-SHA-512: one principal per service, ACLs from the topic specifications"
        )
    return 0


def _cmd_stop(args: argparse.Namespace) -> int:
    """``stop``: stop the broker recorded in the pid file (no-op when none runs)."""
    broker = _cli_broker(args.data_dir)
    pid = broker.pid
    if pid is None:
        broker.pid_path.unlink(missing_ok=True)
        print(f"Kafka not running (data dir {broker.data_dir}); nothing to stop")
        return 0
    broker.stop(args.timeout)
    print(f"Kafka stopped (pid {pid})")
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    """``status``: print up/down; exit 0 when up, 1 when down."""
    broker = _cli_broker(args.data_dir)
    if broker.pid is None:
        print(f"Kafka down (data dir {broker.data_dir})")
        return 1
    print(f"Kafka up on {broker.bootstrap} (pid {broker.pid}, data dir {broker.data_dir})")
    return 0


def _cmd_fetch(_args: argparse.Namespace) -> int:
    """``fetch``: resolve the jars (no-op when cached) and print the lib folder."""
    print(f"Kafka {kafka_version()} jars in {fetch_jars()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code (non-zero on failure)."""
    args = _parser().parse_args(argv)
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "fetch": _cmd_fetch, "start": _cmd_start, "stop": _cmd_stop, "status": _cmd_status,
    }  # fmt: skip
    try:
        return handlers[args.command](args)
    except LocalKafkaError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
