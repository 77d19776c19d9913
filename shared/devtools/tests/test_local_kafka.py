"""The single-node Kafka broker started from the Maven Central jars (no Docker).

Each broker start costs a few seconds: these tests start two brokers and restart one.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import uuid
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from handoff_devtools.kafka_acls import admin_security
from handoff_devtools.local_kafka import LocalKafka, fetch_jars, kafka_version, main
from handoff_devtools.testing.kafka import kafka_for_tests

pytestmark = [
    pytest.mark.kafka,
    pytest.mark.skipif(shutil.which("java") is None, reason="the broker needs Java 17+"),
]


def _port_pair() -> int:
    """A free loopback port whose successor is free too (the CLI's controller port)."""
    for _ in range(50):
        with socket.socket() as first, socket.socket() as second:
            first.bind(("127.0.0.1", 0))
            port = int(first.getsockname()[1])
            try:
                second.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
            return port
    raise RuntimeError("no pair of adjacent free ports")


def _gone(pid: int) -> bool:
    """True once ``pid`` no longer exists (or is an unreaped zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] in {"Z", "X"}


ADMIN = admin_security().client_options()  # the broker's super user


async def _produce(bootstrap: str, topic: str, value: bytes) -> None:
    """Send one record with the idempotent producer settings the services use."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", **ADMIN)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=b"case-1")
    finally:
        await producer.stop()


async def _read(bootstrap: str, topic: str, count: int, group: str | None = None) -> list[bytes]:
    """Read ``count`` records of ``topic`` from the beginning (within 30 s)."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        **ADMIN,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    values: list[bytes] = []
    try:
        async with asyncio.timeout(30):
            while len(values) < count:
                batches = await consumer.getmany(timeout_ms=500)
                values += [record.value for records in batches.values() for record in records]
        if group is not None:
            await consumer.commit()
    finally:
        await consumer.stop()
    return values


def test_jars_are_cached_per_pinned_version() -> None:
    lib = fetch_jars()

    assert lib.parent.name == kafka_version()
    assert (lib / f"kafka_2.13-{kafka_version()}.jar").is_file()
    assert fetch_jars() == lib


async def test_idempotent_send_roundtrip_stop_and_restart_keeps_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "kafka"
    topic = f"local-kafka.{uuid.uuid4().hex[:8]}"
    broker = LocalKafka(data_dir)

    bootstrap = broker.start()
    pid = broker.pid
    assert pid is not None
    assert bootstrap == f"127.0.0.1:{broker.port}"
    assert broker.startup_seconds > 0
    assert broker.rss_bytes() > 32 * 1024 * 1024

    await _produce(bootstrap, topic, b"before-restart")
    assert await _read(bootstrap, topic, 1, group=f"g-{uuid.uuid4().hex[:8]}") == [b"before-restart"]

    broker.stop()
    assert broker.pid is None
    assert _gone(pid)
    assert not (data_dir / "kafka.pid").exists()

    with LocalKafka(data_dir) as restarted:
        assert restarted.bootstrap == bootstrap  # the data dir's earlier ports are reused
        assert restarted.pid not in (None, pid)
        assert await _read(restarted.bootstrap, topic, 1) == [b"before-restart"]
        await _produce(restarted.bootstrap, topic, b"after-restart")
        assert await _read(restarted.bootstrap, topic, 2) == [b"before-restart", b"after-restart"]
        restarted_pid = restarted.pid
    assert restarted_pid is not None
    assert _gone(restarted_pid)


def test_cli_start_is_idempotent_then_status_and_stop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _port_pair()
    data_dir = tmp_path / "cli-kafka"
    where = ["--data-dir", str(data_dir)]

    try:
        assert main(["start", *where, "--port", str(port)]) == 0
        assert f"Kafka ready on 127.0.0.1:{port} (started in " in capsys.readouterr().out
        pid = int((data_dir / "kafka.pid").read_text())

        assert main(["start", *where, "--port", str(port)]) == 0
        assert f"already running on 127.0.0.1:{port} (pid {pid})" in capsys.readouterr().out

        assert main(["status", *where]) == 0
        assert f"Kafka up on 127.0.0.1:{port} (pid {pid}" in capsys.readouterr().out
    finally:
        assert main(["stop", *where]) == 0

    assert f"Kafka stopped (pid {pid})" in capsys.readouterr().out
    assert _gone(pid)
    assert main(["status", *where]) == 1
    assert "Kafka down" in capsys.readouterr().out


def test_kafka_for_tests_prefers_an_external_broker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka.example:9092")

    with kafka_for_tests(tmp_path) as endpoint:
        assert (endpoint.bootstrap, endpoint.kind, endpoint.broker) == (
            "kafka.example:9092",
            "external",
            None,
        )
    assert not (tmp_path / "local-kafka").exists()
