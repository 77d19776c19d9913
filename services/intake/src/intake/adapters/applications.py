"""Loading and storing applications with their decision, permit, inhibitions and Dublin transfer.

Statements are built once, at import, and executed with parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, false, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging
from intake.adapters import application_rows as rows
from intake.adapters.orm import applications, decisions, inhibitions, residence_permits
from intake.domain.application import Application, lodged_on_last_overdue, lodged_on_window_for_decision_due
from intake.domain.decision import ApplicationStatus
from intake.domain.dublin import accepted_on_windows
from intake.domain.dublin_status import DublinStatus
from intake.domain.inhibition import Inhibition
from intake.domain.rules import IntakeRules

_DECISION = [column.label(f"d_{column.name}") for column in decisions.c]
_PERMIT = [column.label(f"p_{column.name}") for column in residence_permits.c]
_JOINED = applications.outerjoin(
    decisions, decisions.c.application_id == applications.c.application_id
).outerjoin(residence_permits, residence_permits.c.decision_id == decisions.c.decision_id)
_SELECT = select(applications, *_DECISION, *_PERMIT).select_from(_JOINED)
_SELECT_ONE = _SELECT.where(applications.c.application_id == bindparam("application_id"))
_SELECT_ONE_FOR_UPDATE = _SELECT_ONE.with_for_update(of=applications)
_SELECT_INHIBITIONS = (
    select(inhibitions)
    .where(inhibitions.c.application_id.in_(bindparam("ids", expanding=True)))
    .order_by(inhibitions.c.ordered_on, inhibitions.c.recorded_at, inhibitions.c.inhibition_id)
)
_INSERT_APPLICATION = insert(applications)
_INSERT_DECISION = insert(decisions)
_INSERT_PERMIT = insert(residence_permits)
_INSERT_INHIBITION = insert(inhibitions)
_UPDATE_TRANSFER = update(applications).where(applications.c.application_id == bindparam("b_application_id"))
_UPDATE_ENFORCEABILITY = update(decisions).where(decisions.c.decision_id == bindparam("b_decision_id"))
_UPDATE_LIFT = update(inhibitions).where(inhibitions.c.inhibition_id == bindparam("b_inhibition_id"))


@dataclass(frozen=True)
class ApplicationFilter:
    """Which applications a listing wants; deadlines are judged on ``today`` under ``rules``."""

    status: ApplicationStatus | None = None
    dublin: bool | None = None
    overdue: bool | None = None
    decision_due_within_days: int | None = None
    transfer_due_within_days: int | None = None


@dataclass
class _Stored:
    """What the database holds of an aggregate this repository loaded or added."""

    decision: bool = False
    inhibitions: set[str] = field(default_factory=set)


class ApplicationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._stored: dict[str, _Stored] = {}

    # ------------------------------------------------------------------ writing

    async def add(self, application: Application) -> None:
        await self._session.execute(_INSERT_APPLICATION, rows.application_values(application))
        self._stored[application.application_id] = _Stored()
        await self._save_parts(application)

    async def save(self, application: Application) -> None:
        """Write what changed on an aggregate loaded (or added) through this repository."""
        await self._session.execute(
            _UPDATE_TRANSFER,
            {
                "b_application_id": application.application_id,
                **rows.transfer_values(application.dublin_transfer),
            },
        )
        await self._save_parts(application)

    async def _save_parts(self, application: Application) -> None:
        stored = self._stored[application.application_id]
        decision = application.decision
        if decision is not None and not stored.decision:
            await self._session.execute(_INSERT_DECISION, rows.decision_values(application, decision))
            if decision.permit is not None:
                await self._session.execute(
                    _INSERT_PERMIT, rows.permit_values(decision.decision_id, decision.permit)
                )
            stored.decision = True
        elif decision is not None:
            await self._session.execute(
                _UPDATE_ENFORCEABILITY,
                {
                    "b_decision_id": decision.decision_id,
                    "enforceable_on": decision.enforceable_on,
                    "appeal_waived": decision.appeal_waived,
                    "enforceability_recorded_at": decision.enforceability_recorded_at,
                    "legal_force_on": decision.legal_force_on,
                    "decided_by": decision.decided_by,
                },
            )
        for inhibition in application.inhibitions:
            if inhibition.inhibition_id in stored.inhibitions:
                await self._session.execute(
                    _UPDATE_LIFT,
                    {
                        "b_inhibition_id": inhibition.inhibition_id,
                        "lifted_on": inhibition.lifted_on,
                        "lifted_by": inhibition.lifted_by,
                        "lifted_at": inhibition.lifted_at,
                    },
                )
            else:
                await self._session.execute(
                    _INSERT_INHIBITION, rows.inhibition_values(application.application_id, inhibition)
                )
                stored.inhibitions.add(inhibition.inhibition_id)

    # ------------------------------------------------------------------ reading

    async def get(self, application_id: str, *, for_update: bool = False) -> Application | None:
        """One application; ``for_update`` locks its row until the transaction ends (PostgreSQL)."""
        query = _SELECT_ONE_FOR_UPDATE if for_update else _SELECT_ONE
        row = (await self._session.execute(query, {"application_id": application_id})).first()
        if row is None:
            return None
        [application] = await self._load([row])
        return application

    async def transfers_due_to_lapse(self, accepted_on_or_before: date) -> list[str]:
        """Transfers neither carried out nor lapsed, accepted on or before the day given, in order."""
        rows = await self._session.execute(
            select(applications.c.application_id)
            .where(
                applications.c.transfer_accepted_on <= accepted_on_or_before,
                applications.c.transferred_on.is_(None),
                applications.c.transfer_responsible_from.is_(None),
            )
            .order_by(applications.c.transfer_accepted_on, applications.c.application_id)
        )
        return [row.application_id for row in rows]

    async def page(
        self, wanted: ApplicationFilter, *, today: date, rules: IntakeRules, paging: Paging
    ) -> tuple[list[Application], int]:
        """One page of the applications that match, oldest lodged first, and how many match in all."""
        conditions = _conditions(wanted, today, rules)
        total = await self._session.scalar(select(func.count()).select_from(_JOINED).where(*conditions))
        found = (
            await self._session.execute(
                _SELECT.where(*conditions)
                .order_by(applications.c.lodged_on, applications.c.application_id)
                .limit(paging.limit)
                .offset(paging.offset)
            )
        ).all()
        return await self._load(found), int(total or 0)

    async def _load(self, found: Any) -> list[Application]:
        ids = [row.application_id for row in found]
        by_application: dict[str, list[Inhibition]] = {application_id: [] for application_id in ids}
        if ids:
            for row in await self._session.execute(_SELECT_INHIBITIONS, {"ids": ids}):
                by_application[row.application_id].append(rows.inhibition(row._mapping))
        loaded = []
        for row in found:
            application = rows.application(row._mapping, by_application[row.application_id])
            self._stored[application.application_id] = _Stored(
                decision=application.decision is not None,
                inhibitions={i.inhibition_id for i in application.inhibitions},
            )
            loaded.append(application)
        return loaded


def _conditions(wanted: ApplicationFilter, today: date, rules: IntakeRules) -> list[ColumnElement[bool]]:
    undecided = decisions.c.decision_id.is_(None)
    conditions: list[ColumnElement[bool]] = []
    if wanted.status is not None:
        conditions.append(
            {
                ApplicationStatus.UNDECIDED: undecided,
                ApplicationStatus.GRANTED: decisions.c.outcome == "granted",
                ApplicationStatus.REFUSED: and_(
                    decisions.c.outcome == "refused", decisions.c.enforceable_on.is_(None)
                ),
                ApplicationStatus.ENFORCEABLE: decisions.c.enforceable_on.is_not(None),
            }[wanted.status]
        )
    if wanted.dublin is not None:
        conditions.append(applications.c.eurodac_hit.is_(wanted.dublin))
    if wanted.overdue is not None:
        overdue = and_(undecided, applications.c.lodged_on <= lodged_on_last_overdue(today, rules))
        conditions.append(overdue if wanted.overdue else ~overdue)
    if wanted.decision_due_within_days is not None:
        first, last = lodged_on_window_for_decision_due(
            today, today + timedelta(days=wanted.decision_due_within_days), rules
        )
        conditions.append(and_(undecided, applications.c.lodged_on.between(first, last)))
    if wanted.transfer_due_within_days is not None:
        horizon = today + timedelta(days=wanted.transfer_due_within_days)
        windows = [
            and_(
                applications.c.transfer_ever_imprisoned.is_(DublinStatus.IMPRISONED in statuses),
                applications.c.transfer_ever_absconded.is_(DublinStatus.ABSCONDED in statuses),
                applications.c.transfer_accepted_on.between(first, last),
            )
            for statuses, first, last in accepted_on_windows(today, horizon, rules)
            if first <= last
        ]
        conditions.append(or_(*windows) if windows else false())
    return conditions
