"""The offset committer commits every finished record without waiting for another one.

Once, a record that finished while a commit was in flight got no commit of its own: its
offset was committed only when a further record arrived, and with none the consumer's lag
stayed at one. These tests hold the broker's answer back to make that moment certain.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from aiokafka import TopicPartition

from handoff_devtools.testing.helpers import eventually
from handoff_plumbing.broker import OffsetCommitter

pytestmark = [pytest.mark.unit]


@dataclass
class Finished:
    topic: str
    partition: int
    offset: int


class SlowKafka:
    """A consumer whose commits wait until the test lets them through."""

    def __init__(self) -> None:
        self.commits: list[dict[TopicPartition, int]] = []
        self.release = asyncio.Event()
        self.started = asyncio.Event()

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.started.set()
        await self.release.wait()
        self.commits.append(dict(offsets))


async def test_a_record_finished_during_a_commit_is_committed_without_another_record() -> None:
    kafka = SlowKafka()
    committer = OffsetCommitter(interval=0.01)
    committer.done(kafka, [Finished("t", 0, 0)])  # type: ignore[list-item]
    await asyncio.wait_for(kafka.started.wait(), 5)  # the first commit is in flight...
    committer.done(kafka, [Finished("t", 0, 1)])  # type: ignore[list-item]  # ...when the next finishes
    kafka.release.set()

    async def last_committed() -> int | None:
        return kafka.commits[-1].get(TopicPartition("t", 0)) if kafka.commits else None

    assert await eventually(last_committed, until=lambda offset: offset == 2, timeout=5, interval=0.01) == 2
    await committer.stop()


async def test_offsets_are_never_committed_backwards_and_cover_every_partition() -> None:
    kafka = SlowKafka()
    kafka.release.set()
    committer = OffsetCommitter(interval=0.01)
    committer.done(kafka, [Finished("t", 0, 5), Finished("t", 1, 3), Finished("t", 0, 4)])  # type: ignore[list-item]
    await committer.stop()  # stopping commits what is pending
    merged: dict[TopicPartition, int] = {}
    for commit in kafka.commits:
        merged.update(commit)
    assert merged == {TopicPartition("t", 0): 6, TopicPartition("t", 1): 4}
