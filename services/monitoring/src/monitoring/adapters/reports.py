"""The monitor's reports on removals it observed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging
from handoff_schemas.events.monitoring import (
    FindingSeverity,
    RemovalPhase,
    RightsChecklistItem,
)
from monitoring.adapters.orm import (
    monitoring_reports,
)
from monitoring.domain.report import Finding, Report


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, report: Report) -> None:
        await self._session.execute(insert(monitoring_reports).values(**_report_row(report)))

    async def save(self, report: Report) -> None:
        row = _report_row(report)
        del row["report_id"]
        await self._session.execute(
            update(monitoring_reports).where(monitoring_reports.c.report_id == report.report_id).values(**row)
        )

    async def get(self, report_id: str) -> Report | None:
        return await self._one(monitoring_reports.c.report_id == report_id)

    async def by_notice(self, notice_id: str) -> Report | None:
        return await self._one(monitoring_reports.c.notice_id == notice_id)

    async def page(
        self, paging: Paging, *, published: bool | None, notice_id: str | None
    ) -> tuple[list[Report], int]:
        c = monitoring_reports.c
        conditions: list[ColumnElement[bool]] = []
        if published is not None:
            conditions.append(c.published.is_(published))
        if notice_id is not None:
            conditions.append(c.notice_id == notice_id)
        total = await self._session.scalar(
            select(func.count()).select_from(monitoring_reports).where(*conditions)
        )
        rows = await self._session.execute(
            select(monitoring_reports)
            .where(*conditions)
            .order_by(c.filed_at.desc(), c.report_id)
            .limit(paging.limit)
            .offset(paging.offset)
        )
        return [_report(row._mapping) for row in rows], int(total or 0)

    async def all(self) -> list[Report]:
        return [_report(row._mapping) for row in await self._session.execute(select(monitoring_reports))]

    async def _one(self, condition: ColumnElement[bool]) -> Report | None:
        row = (await self._session.execute(select(monitoring_reports).where(condition))).first()
        return _report(row._mapping) if row else None


def _report_row(report: Report) -> dict[str, Any]:
    return {
        "report_id": report.report_id,
        "notice_id": report.notice_id,
        "plan_id": report.plan_id,
        "filed_at": report.filed_at,
        "filed_by": report.filed_by,
        "phases_observed": [p.value for p in report.phases_observed],
        "findings": [
            {"right": f.right.value, "observation": f.observation, "severity": f.severity.value}
            for f in report.findings
        ],
        "recommendations": list(report.recommendations),
        "published": report.published,
        "published_at": report.published_at,
    }


def _report(row: Any) -> Report:
    return Report(
        report_id=row["report_id"],
        notice_id=row["notice_id"],
        plan_id=row["plan_id"],
        filed_at=row["filed_at"],
        filed_by=row["filed_by"],
        phases_observed=tuple(RemovalPhase(p) for p in row["phases_observed"]),
        findings=tuple(
            Finding(
                right=RightsChecklistItem(f["right"]),
                observation=f["observation"],
                severity=FindingSeverity(f["severity"]),
            )
            for f in row["findings"]
        ),
        recommendations=tuple(row["recommendations"]),
        published=bool(row["published"]),
        published_at=row["published_at"],
    )
