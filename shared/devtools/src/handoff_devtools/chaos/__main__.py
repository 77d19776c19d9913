"""``python -m handoff_devtools.chaos --cases N`` (``make chaos``): a bounded stream of cases
through the whole chain while services are SIGKILLed and the broker restarted; then what was
accepted at the edges is accounted for downstream. The last line printed is

    lost N, doubled N, stuck N

and the exit code is 0 only when all three are 0 and no case was refused on the way.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

from handoff_devtools.chaos.accounting import Tally, account
from handoff_devtools.chaos.cluster import Cluster
from handoff_devtools.chaos.faults import FaultRecord, run_faults, schedule
from handoff_devtools.chaos.journeys import Accepted, Journeys


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="python -m handoff_devtools.chaos", description=__doc__.split("\n\n")[0]
    )
    cli.add_argument("--cases", type=int, default=500, help="cases driven through the chain (500)")
    cli.add_argument("--concurrency", type=int, default=16, help="cases in flight at once (16)")
    cli.add_argument("--rate", type=float, default=0.0, help="new cases per second at most (0: no limit)")
    cli.add_argument("--kills", type=int, default=10, help="SIGKILLs of a random service (10)")
    cli.add_argument("--broker-restarts", type=int, default=3, help="broker restarts (3)")
    cli.add_argument("--fault-gap", type=float, default=8.0, help="mean seconds between faults (8)")
    cli.add_argument("--catch-up", type=float, default=300.0, help="seconds allowed to catch up (300)")
    cli.add_argument("--seed", type=int, default=None, help="random seed (faults and their timing)")
    cli.add_argument("--var", type=Path, default=None, help="state folder (default: a temporary one)")
    return cli


async def settle(cluster: Cluster, client: httpx.AsyncClient, accepted: Accepted, timeout: float) -> Tally:
    """Account until nothing is lost or stuck any more, or ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            tally = await account(cluster, client, accepted)
        except httpx.HTTPError:
            tally = None
        if tally is not None and ((tally.lost == 0 and tally.stuck == 0) or time.monotonic() > deadline):
            return tally
        if time.monotonic() > deadline:
            return await account(cluster, client, accepted)
        await asyncio.sleep(2.0)


async def report_progress(accepted: Accepted, started: float, every: float = 30.0) -> None:
    while True:
        await asyncio.sleep(every)
        done = len(accepted.plans) + len(accepted.granted) + len(accepted.failed)
        print(f"  {time.monotonic() - started:.0f}s: {done} cases through", flush=True)


async def chaos(args: argparse.Namespace, var: Path) -> int:
    rng = random.Random(args.seed)  # noqa: S311  (which fault when: no secret)
    cluster = Cluster(var, prefix=f"chaos{secrets.token_hex(3)}.")
    print(
        f"chaos: {args.cases} cases, {args.kills} kills, {args.broker_restarts} broker restarts;",
        f"state in {var}",
    )
    await asyncio.to_thread(cluster.start)
    limits = httpx.Limits(
        max_connections=4 * args.concurrency, max_keepalive_connections=2 * args.concurrency
    )
    try:
        async with httpx.AsyncClient(limits=limits) as client:
            await cluster.wait_ready(client, list(cluster.services), timeout=180)
            accepted = Accepted()
            journeys = Journeys(cluster, client, run=secrets.token_hex(3), accepted=accepted)
            faults = schedule(list(cluster.services), args.kills, args.broker_restarts, rng)
            report: list[FaultRecord] = []
            started = time.monotonic()
            striking = asyncio.create_task(
                run_faults(
                    cluster,
                    client,
                    faults,
                    rng=rng,
                    gap_seconds=args.fault_gap,
                    timeout=args.catch_up,
                    started=started,
                    report=report,
                )
            )
            gate = asyncio.Semaphore(args.concurrency)

            async def drive(number: int) -> None:
                if args.rate > 0:
                    await asyncio.sleep(number / args.rate)
                async with gate:
                    await journeys.one(number)

            progress = asyncio.create_task(report_progress(accepted, started))
            await asyncio.gather(*(drive(n) for n in range(args.cases)))
            progress.cancel()
            driven = time.monotonic() - started
            await striking
            settling = time.monotonic()
            tally = await settle(cluster, client, accepted, args.catch_up)
            settled = time.monotonic() - settling
    finally:
        await asyncio.to_thread(cluster.stop)
    print(f"driven: {args.cases} cases in {driven:.0f}s ({args.cases / max(driven, 0.001):.1f} cases/s)")
    for line in tally.lines:
        print(f"  {line}")
    print(f"events published {tally.published}, consumed {tally.consumed}; settled in {settled:.0f}s")
    for failure in accepted.failed[:20]:
        print(f"  refused: {failure}")
    caught = all(record.catch_up_seconds is not None for record in report)
    print(f"lost {tally.lost}, doubled {tally.doubled}, stuck {tally.stuck}", flush=True)
    clean = tally.lost == tally.doubled == tally.stuck == 0 and not accepted.failed and caught
    return 0 if clean else 1


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.var is not None:
        return asyncio.run(chaos(args, args.var.resolve()))
    var = Path(tempfile.mkdtemp(prefix="handoff-chaos-"))
    try:
        code = asyncio.run(chaos(args, var))
    except BaseException:
        print(f"state kept in {var}", file=sys.stderr)
        raise
    if code == 0:
        shutil.rmtree(var, ignore_errors=True)
    else:
        print(f"state kept in {var}", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
