"""Matching runs with their proposals, and every household passed over in one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging, fetch_page
from handoff_schemas.events.resettlement import (
    HousingSize,
    ResettlementPriority,
)
from resettlement.adapters.orm import (
    matching_runs,
    passed_over,
    proposals,
)
from resettlement.domain.fairness import MatchingRun, PassedOver
from resettlement.domain.matching_terms import Proposal


@dataclass(frozen=True)
class PassedOverFilter:
    county_code: str | None = None
    case_id: str | None = None
    run_id: str | None = None
    year: int | None = None
    binding_only: bool = True


class MatchingRunRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, run: MatchingRun) -> None:
        await self._session.execute(
            insert(matching_runs).values(
                run_id=run.run_id,
                county_code=run.county_code,
                year=run.year,
                ran_at=run.ran_at,
                ran_by=run.ran_by,
                waiting_cases=run.waiting_cases,
                places=run.places,
                unplaced=run.unplaced,
                offers_sent=run.offers_sent,
            )
        )
        if run.proposals:
            await self._session.execute(
                insert(proposals),
                [
                    {
                        "run_id": run.run_id,
                        "case_id": p.case_id,
                        "position": position,
                        "agreement_id": p.agreement_id,
                        "county_code": p.county_code,
                        "municipality_code": p.municipality_code,
                        "household_size": p.household_size,
                        "accessible": p.accessible,
                        "dwelling": p.dwelling.value if p.dwelling else None,
                        "placement_id": run.placement_ids.get(p.case_id),
                    }
                    for position, p in enumerate(run.proposals, start=1)
                ],
            )
        await PassedOverRepository(self._session).add_all(run.passed_over)

    async def get(self, run_id: str) -> MatchingRun | None:
        row = (
            await self._session.execute(select(matching_runs).where(matching_runs.c.run_id == run_id))
        ).first()
        if row is None:
            return None
        m = row._mapping
        proposal_rows = await self._session.execute(
            select(proposals).where(proposals.c.run_id == run_id).order_by(proposals.c.position)
        )
        found: list[Proposal] = []
        placement_ids: dict[str, str] = {}
        for p in (r._mapping for r in proposal_rows):
            found.append(
                Proposal(
                    case_id=p["case_id"],
                    agreement_id=p["agreement_id"],
                    county_code=p["county_code"],
                    municipality_code=p["municipality_code"],
                    household_size=p["household_size"],
                    accessible=p["accessible"],
                    dwelling=HousingSize(p["dwelling"]) if p["dwelling"] else None,
                )
            )
            if p["placement_id"]:
                placement_ids[p["case_id"]] = p["placement_id"]
        records = await PassedOverRepository(self._session).of_run(run_id)
        return MatchingRun(
            run_id=m["run_id"],
            county_code=m["county_code"],
            year=m["year"],
            ran_at=m["ran_at"],
            ran_by=m["ran_by"],
            waiting_cases=m["waiting_cases"],
            places=m["places"],
            proposals=found,
            passed_over=records,
            unplaced=m["unplaced"],
            offers_sent=m["offers_sent"],
            placement_ids=placement_ids,
        )


class PassedOverRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_all(self, records: Sequence[PassedOver]) -> None:
        if not records:
            return
        await self._session.execute(
            insert(passed_over),
            [
                {
                    "record_id": r.record_id,
                    "case_id": r.case_id,
                    "priority": r.priority.value,
                    "waiting_since": r.waiting_since,
                    "passed_at": r.passed_at,
                    "passed_by": r.passed_by,
                    "county_code": r.county_code,
                    "reasons": list(r.reasons),
                    "detail": r.detail,
                    "overtaken_by": r.overtaken_by,
                    "run_id": r.run_id,
                    "placement_id": r.placement_id,
                    "binding": r.binding,
                }
                for r in records
            ],
        )

    async def search(self, where: PassedOverFilter, paging: Paging) -> tuple[list[PassedOver], int]:
        conditions: list[ColumnElement[bool]] = []
        if where.county_code is not None:
            conditions.append(passed_over.c.county_code == where.county_code)
        if where.case_id is not None:
            conditions.append(passed_over.c.case_id == where.case_id)
        if where.run_id is not None:
            conditions.append(passed_over.c.run_id == where.run_id)
        if where.binding_only:
            conditions.append(passed_over.c.binding.is_(True))
        if where.year is not None:
            conditions.append(passed_over.c.passed_at >= datetime(where.year, 1, 1, tzinfo=UTC))
            conditions.append(passed_over.c.passed_at < datetime(where.year + 1, 1, 1, tzinfo=UTC))
        query = (
            select(passed_over).where(*conditions).order_by(passed_over.c.passed_at, passed_over.c.record_id)
        )
        rows, total = await fetch_page(self._session, query, paging)
        return [_passed_over(m) for m in rows], total

    async def of_run(self, run_id: str) -> list[PassedOver]:
        """Every household passed over in one run, in the order they were."""
        rows = await self._session.execute(
            select(passed_over)
            .where(passed_over.c.run_id == run_id)
            .order_by(passed_over.c.passed_at, passed_over.c.record_id)
        )
        return [_passed_over(row._mapping) for row in rows]

    async def counts(self, case_ids: Sequence[str]) -> dict[str, int]:
        if not case_ids:
            return {}
        rows = await self._session.execute(
            select(passed_over.c.case_id, func.count())
            .where(passed_over.c.case_id.in_(list(case_ids)), passed_over.c.binding.is_(True))
            .group_by(passed_over.c.case_id)
        )
        return {case_id: int(n) for case_id, n in rows}


def _passed_over(m: Any) -> PassedOver:
    return PassedOver(
        record_id=m["record_id"],
        case_id=m["case_id"],
        priority=ResettlementPriority(m["priority"]),
        waiting_since=m["waiting_since"],
        passed_at=m["passed_at"],
        passed_by=m["passed_by"],
        county_code=m["county_code"],
        reasons=tuple(m["reasons"]),
        detail=m["detail"],
        overtaken_by=m["overtaken_by"],
        run_id=m["run_id"],
        placement_id=m["placement_id"],
        binding=m["binding"],
    )
