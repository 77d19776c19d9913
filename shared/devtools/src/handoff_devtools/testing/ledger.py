"""A tiny service used to test the plumbing itself: a ledger whose entries arrive as events.

Each ``ledger-entry`` event appends one row to ``effects``; a redelivered event that
slipped past the inbox would show as a second row, which is what the tests look for.
Run as a process (``python -m handoff_devtools.testing.ledger``) it consumes until killed,
which the SIGKILL and replica tests use. With ``LEDGER_ECHO=1`` each booking also
publishes a ``ledger-booked`` event through the outbox (the relay's part in those tests);
an account in :data:`FAILING` cannot be booked until it is taken out (a cause "fixed").
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from handoff_plumbing.consumer import EventContext, Subscription
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
from handoff_plumbing.settings import Settings
from handoff_plumbing.tables import define_plumbing_tables
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.base import Event
from handoff_schemas.topics import Topic

if TYPE_CHECKING:
    from handoff_devtools.testing.kafka import KafkaAccess

LEDGER_TOPIC = Topic(
    name="handoff.test.ledger.v1",
    aggregate="account",
    key="account",
    producers=("ledger",),
    consumers=("ledger",),
    personal_data=False,
    readers=frozenset({"operator"}),
    description="Test-only topic of the plumbing's own tests.",
)


LEDGER_BOOKED_TOPIC = Topic(
    name="handoff.test.ledger-booked.v1",
    aggregate="account",
    key="account",
    producers=("ledger",),
    consumers=(),
    personal_data=False,
    readers=frozenset({"operator"}),
    description="Test-only topic: what the ledger booked.",
)


class LedgerEntryV1(Event):
    """Test-only event: one amount booked to an account."""

    event_type: ClassVar[str] = "handoff.test.ledger-entry.v1"
    topic: ClassVar[Topic] = LEDGER_TOPIC
    key_field: ClassVar[str] = "account"

    entry_id: str = Field(min_length=1)
    account: str = Field(min_length=1)
    amount: int
    always_fail: bool = False


class LedgerBookedV1(Event):
    """Test-only event: an entry was booked (published through the outbox)."""

    event_type: ClassVar[str] = "handoff.test.ledger-booked.v1"
    topic: ClassVar[Topic] = LEDGER_BOOKED_TOPIC
    key_field: ClassVar[str] = "account"

    entry_id: str = Field(min_length=1)
    account: str = Field(min_length=1)
    amount: int


FAILING: set[str] = set()
"""Accounts whose entries cannot be booked for now (in-process tests add and remove them)."""

metadata = MetaData()
effects = Table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", String(64), nullable=False),
    Column("account", String(64), nullable=False),
    Column("amount", Integer, nullable=False),
)
outbox, inbox = define_plumbing_tables(metadata)


class HandlerFailure(RuntimeError):
    pass


async def book(event: LedgerEntryV1, _context: EventContext, uow: UnitOfWork) -> None:
    if event.always_fail:
        raise HandlerFailure(f"entry {event.entry_id} can never be booked")
    if event.account in FAILING:
        raise HandlerFailure(f"account {event.account} cannot be booked now")
    delay = float(os.environ.get("LEDGER_HANDLER_DELAY", "0"))
    await uow.session.execute(
        insert(effects).values(entry_id=event.entry_id, account=event.account, amount=event.amount)
    )
    if os.environ.get("LEDGER_ECHO") == "1":
        await uow.publish(LedgerBookedV1(entry_id=event.entry_id, account=event.account, amount=event.amount))
    if delay:
        await asyncio.sleep(delay)


async def book_many(events: Sequence[tuple[LedgerEntryV1, EventContext]], uow: UnitOfWork) -> None:
    """The batch handler: the same effect as :func:`book` for each, with one insert."""
    for event, _ in events:
        if event.always_fail or event.account in FAILING:
            raise HandlerFailure(f"entry {event.entry_id} cannot be booked")
    await uow.session.execute(
        insert(effects),
        [{"entry_id": e.entry_id, "account": e.account, "amount": e.amount} for e, _ in events],
    )
    if os.environ.get("LEDGER_ECHO") == "1":
        for event, context in events:
            with context.traced():
                await uow.publish(
                    LedgerBookedV1(entry_id=event.entry_id, account=event.account, amount=event.amount)
                )
    delay = float(os.environ.get("LEDGER_HANDLER_DELAY", "0"))
    if delay:
        await asyncio.sleep(delay * len(events))


def ledger_subscription() -> Subscription:
    return Subscription(
        name="ledger",
        topics=[LEDGER_TOPIC.name],
        handlers={LedgerEntryV1: book},
        batch_handlers={LedgerEntryV1: book_many},
    )


def definition(*, consume: bool = True) -> ServiceDefinition:
    return ServiceDefinition(
        name="ledger",
        title="ledger (test fixture)",
        description="Exercises the plumbing.",
        metadata=metadata,
        outbox=outbox,
        inbox=inbox,
        migrations_dir=None,
        subscriptions=[ledger_subscription()] if consume else [],
        publishes=[LedgerEntryV1, LedgerBookedV1],
    )


async def post_entry(uow: UnitOfWork, entry: LedgerEntryV1, *, also_record: bool = True) -> str:
    """A command: record the entry locally and stage the event, in one transaction."""
    async with uow:
        if also_record:
            await uow.session.execute(
                insert(effects).values(entry_id=entry.entry_id, account="local", amount=entry.amount)
            )
        event_id = await uow.publish(entry)
        await uow.commit()
    return event_id


async def effect_rows(runtime: ServiceRuntime) -> list[tuple[str, str, int]]:
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(effects.c.entry_id, effects.c.account, effects.c.amount).order_by(effects.c.id)
        )
        return [(r.entry_id, r.account, r.amount) for r in rows]


async def count_effects(runtime: ServiceRuntime) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(effects)) or 0)


def spawn(
    kafka: KafkaAccess, *, database_url: str, topic_prefix: str, log: Path, **settings: str
) -> subprocess.Popen[bytes]:
    """The ledger as a process of its own (``python -m handoff_devtools.testing.ledger``), as the
    ledger's principal, its output appended to ``log``; ``settings`` as environment variables."""
    env = {
        **os.environ,
        **kafka.environment("ledger"),
        "KAFKA_TOPIC_PREFIX": topic_prefix,
        "DATABASE_URL": database_url,
        "LOG_JSON": "false",
        **settings,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "handoff_devtools.testing.ledger"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


async def _serve() -> None:
    runtime = ServiceRuntime(definition(), Settings(service_name="ledger"))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await runtime.start()
    await runtime.kafka_connected.wait()
    print("ledger consuming", flush=True)
    await stop.wait()
    await runtime.stop()


if __name__ == "__main__":
    asyncio.run(_serve())
