"""The stages in order, each with its progress bar, its items taken with bounded concurrency.

An item that fails (a service refused it, or an event it needs did not arrive in time) is
counted and named at the end; it is not marked done, so a resumed run tries it again. Ctrl-C
cancels the items under way; what finished is in the state file, and the same command
resumes the run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, Protocol

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from handoff_cli.simulation.world import World
from handoff_cli.suite import ApiError, NotYet, Unreachable


class Stage(Protocol):
    name: str
    title: str

    def items(self, world: World) -> Sequence[Any]: ...

    def key(self, item: Any) -> str: ...

    async def take(self, world: World, item: Any) -> None: ...


def progress_bars(console: Any) -> Progress:
    return Progress(
        TextColumn("{task.description:<34}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


async def run_stages(world: World, stages: Sequence[Stage], progress: Progress) -> None:
    for stage in stages:
        items = list(stage.items(world))
        done = sum(1 for item in items if world.state.is_done(stage.name, stage.key(item)))
        bar = progress.add_task(stage.title, total=len(items), completed=done)
        if stage.name in world.state.finished:
            continue
        gate = asyncio.Semaphore(1 if getattr(stage, "one_at_a_time", False) else world.concurrency)

        async def one(
            item: Any, stage: Stage = stage, bar: Any = bar, gate: asyncio.Semaphore = gate
        ) -> None:
            key = stage.key(item)
            async with gate:
                counted = world.state.counting_item()  # this task's own context
                try:
                    await stage.take(world, item)
                except (ApiError, NotYet) as exc:
                    world.failures.setdefault(stage.name, []).append(f"{key}: {exc}")
                    return
            world.state.mark(stage.name, key, counted)
            progress.advance(bar)

        try:
            async with asyncio.TaskGroup() as group:
                for item in items:
                    if not world.state.is_done(stage.name, stage.key(item)):
                        group.create_task(one(item))
        except* Unreachable as away:
            raise away.exceptions[0] from None
        if stage.name not in world.failures:
            world.state.finish(stage.name)
        world.state.save(force=True)
