"""Loading and storing applications with their decision, permit, inhibitions and Dublin transfer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas.events.common import (
    AgeBand,
    IdentityDocumentKind,
    PermitType,
    RemovalOrderKind,
    SettlementNeed,
    Sex,
)
from handoff_schemas.events.intake import Vulnerability
from intake.adapters.orm import applications, decisions, inhibitions, residence_permits
from intake.domain.applicant import Applicant, IdentityDocument
from intake.domain.application import Application, lodged_on_last_overdue, lodged_on_window_for_decision_due
from intake.domain.decision import ApplicationStatus, Decision, Household, Refusal, ResidencePermit
from intake.domain.dublin import DublinTransfer, accepted_on_windows
from intake.domain.dublin_status import DublinStatus
from intake.domain.inhibition import Inhibition
from intake.domain.rules import IntakeRules

_DECISION = [column.label(f"d_{column.name}") for column in decisions.c]
_PERMIT = [column.label(f"p_{column.name}") for column in residence_permits.c]
_JOINED = applications.outerjoin(
    decisions, decisions.c.application_id == applications.c.application_id
).outerjoin(residence_permits, residence_permits.c.decision_id == decisions.c.decision_id)


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
        await self._session.execute(
            insert(applications).values(
                application_id=application.application_id,
                person_ref=application.person_ref,
                request_id=application.request_id,
                full_name=application.applicant.full_name,
                date_of_birth=application.applicant.date_of_birth,
                nationality=application.applicant.nationality,
                sex=application.applicant.sex.value,
                lodged_on=application.lodged_on,
                registered_at=application.registered_at,
                eurodac_hit=application.eurodac_hit,
                documents=[_document_row(d) for d in application.documents],
                vulnerabilities=[v.value for v in application.vulnerabilities],
                **_transfer_values(application.dublin_transfer),
            )
        )
        self._stored[application.application_id] = _Stored()
        await self._save_parts(application)

    async def save(self, application: Application) -> None:
        """Write what changed on an aggregate loaded (or added) through this repository."""
        await self._session.execute(
            update(applications)
            .where(applications.c.application_id == application.application_id)
            .values(**_transfer_values(application.dublin_transfer))
        )
        await self._save_parts(application)

    async def _save_parts(self, application: Application) -> None:
        stored = self._stored[application.application_id]
        decision = application.decision
        if decision is not None and not stored.decision:
            await self._session.execute(insert(decisions).values(**_decision_values(application, decision)))
            if decision.permit is not None:
                await self._session.execute(
                    insert(residence_permits).values(**_permit_values(decision.decision_id, decision.permit))
                )
            stored.decision = True
        elif decision is not None:
            await self._session.execute(
                update(decisions)
                .where(decisions.c.decision_id == decision.decision_id)
                .values(
                    enforceable_on=decision.enforceable_on,
                    appeal_waived=decision.appeal_waived,
                    enforceability_recorded_at=decision.enforceability_recorded_at,
                )
            )
        for inhibition in application.inhibitions:
            if inhibition.inhibition_id in stored.inhibitions:
                await self._session.execute(
                    update(inhibitions)
                    .where(inhibitions.c.inhibition_id == inhibition.inhibition_id)
                    .values(
                        lifted_on=inhibition.lifted_on,
                        lifted_by=inhibition.lifted_by,
                        lifted_at=inhibition.lifted_at,
                    )
                )
            else:
                await self._session.execute(
                    insert(inhibitions).values(**_inhibition_values(application.application_id, inhibition))
                )
                stored.inhibitions.add(inhibition.inhibition_id)

    # ------------------------------------------------------------------ reading one

    async def get(self, application_id: str, *, for_update: bool = False) -> Application | None:
        """One application; ``for_update`` locks its row until the transaction ends (PostgreSQL)."""
        query = _select().where(applications.c.application_id == application_id)
        if for_update:
            query = query.with_for_update(of=applications)
        row = (await self._session.execute(query)).first()
        if row is None:
            return None
        [application] = await self._load([row])
        return application

    async def by_request_id(self, request_id: str) -> Application | None:
        """The application registered under ``request_id``."""
        row = (await self._session.execute(_select().where(applications.c.request_id == request_id))).first()
        if row is None:
            return None
        [application] = await self._load([row])
        return application

    async def application_of_decision_request(self, request_id: str) -> str | None:
        """The application decided under ``request_id``, if any."""
        return await self._session.scalar(
            select(decisions.c.application_id).where(decisions.c.request_id == request_id)
        )

    async def inhibition_of_request(self, request_id: str) -> tuple[str, str] | None:
        """(application id, inhibition id) of the inhibition registered under ``request_id``."""
        row = (
            await self._session.execute(
                select(inhibitions.c.application_id, inhibitions.c.inhibition_id).where(
                    inhibitions.c.request_id == request_id
                )
            )
        ).first()
        return (row[0], row[1]) if row is not None else None

    # ------------------------------------------------------------------ listing

    async def page(
        self, wanted: ApplicationFilter, *, today: date, rules: IntakeRules, limit: int, offset: int
    ) -> tuple[list[Application], int]:
        """One page of the applications that match, oldest lodged first, and how many match in all."""
        conditions = _conditions(wanted, today, rules)
        total = await self._session.scalar(select(func.count()).select_from(_JOINED).where(*conditions))
        rows = (
            await self._session.execute(
                _select()
                .where(*conditions)
                .order_by(applications.c.lodged_on, applications.c.application_id)
                .limit(limit)
                .offset(offset)
            )
        ).all()
        return await self._load(rows), int(total or 0)

    async def _load(self, rows: Any) -> list[Application]:
        ids = [row.application_id for row in rows]
        by_application: dict[str, list[Inhibition]] = {application_id: [] for application_id in ids}
        if ids:
            found = await self._session.execute(
                select(inhibitions)
                .where(inhibitions.c.application_id.in_(ids))
                .order_by(inhibitions.c.ordered_on, inhibitions.c.recorded_at, inhibitions.c.inhibition_id)
            )
            for row in found:
                by_application[row.application_id].append(_inhibition(row._mapping))
        loaded = []
        for row in rows:
            application = _application(row._mapping, by_application[row.application_id])
            self._stored[application.application_id] = _Stored(
                decision=application.decision is not None,
                inhibitions={i.inhibition_id for i in application.inhibitions},
            )
            loaded.append(application)
        return loaded


def _select() -> Select[Any]:
    return select(applications, *_DECISION, *_PERMIT).select_from(_JOINED)


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


# ---------------------------------------------------------------------- rows <-> domain


def _document_row(document: IdentityDocument) -> dict[str, Any]:
    return {
        "kind": document.kind.value,
        "number": document.number,
        "issuing_country": document.issuing_country,
        "expires_on": document.expires_on.isoformat() if document.expires_on else None,
        "original_held_by_agency": document.original_held_by_agency,
    }


def _document(row: dict[str, Any]) -> IdentityDocument:
    expires_on = row.get("expires_on")
    return IdentityDocument(
        kind=IdentityDocumentKind(row["kind"]),
        number=row["number"],
        issuing_country=row.get("issuing_country"),
        expires_on=date.fromisoformat(expires_on) if expires_on else None,
        original_held_by_agency=bool(row.get("original_held_by_agency", False)),
    )


def _transfer_values(transfer: DublinTransfer | None) -> dict[str, Any]:
    if transfer is None:
        return {
            "transfer_accepted_on": None,
            "dublin_status": None,
            "transfer_ever_imprisoned": None,
            "transfer_ever_absconded": None,
        }
    return {
        "transfer_accepted_on": transfer.accepted_on,
        "dublin_status": transfer.status.value,
        "transfer_ever_imprisoned": DublinStatus.IMPRISONED in transfer.statuses_since_acceptance,
        "transfer_ever_absconded": DublinStatus.ABSCONDED in transfer.statuses_since_acceptance,
    }


def _transfer(row: Any) -> DublinTransfer | None:
    if row["transfer_accepted_on"] is None:
        return None
    statuses = {DublinStatus.NORMAL}
    if row["transfer_ever_imprisoned"]:
        statuses.add(DublinStatus.IMPRISONED)
    if row["transfer_ever_absconded"]:
        statuses.add(DublinStatus.ABSCONDED)
    return DublinTransfer(
        accepted_on=row["transfer_accepted_on"],
        status=DublinStatus(row["dublin_status"]),
        statuses_since_acceptance=frozenset(statuses),
    )


def _decision_values(application: Application, decision: Decision) -> dict[str, Any]:
    refusal = decision.refusal
    return {
        "decision_id": decision.decision_id,
        "application_id": application.application_id,
        "request_id": decision.request_id,
        "decided_on": decision.decided_on,
        "outcome": decision.outcome.value,
        "removal_order": refusal.removal_order.value if refusal else None,
        "immediate_enforcement": refusal.immediate_enforcement if refusal else None,
        "destination_country": refusal.destination_country if refusal else None,
        "recorded_at": decision.recorded_at,
        "enforceable_on": decision.enforceable_on,
        "appeal_waived": decision.appeal_waived,
        "enforceability_recorded_at": decision.enforceability_recorded_at,
    }


def _permit_values(decision_id: str, permit: ResidencePermit) -> dict[str, Any]:
    return {
        "permit_id": permit.permit_id,
        "decision_id": decision_id,
        "permit_type": permit.permit_type.value,
        "valid_from": permit.valid_from,
        "valid_until": permit.valid_until,
        "household_size": permit.household.size,
        "household_age_bands": [band.value for band in permit.household.age_bands],
        "needs_municipal_place": permit.household.needs_municipal_place,
        "special_needs": [need.value for need in permit.household.special_needs],
    }


def _decision(row: Any) -> Decision | None:
    if row["d_decision_id"] is None:
        return None
    permit = None
    refusal = None
    if row["p_permit_id"] is not None:
        permit = ResidencePermit(
            permit_id=row["p_permit_id"],
            permit_type=PermitType(row["p_permit_type"]),
            valid_from=row["p_valid_from"],
            valid_until=row["p_valid_until"],
            household=Household(
                size=row["p_household_size"],
                age_bands=tuple(AgeBand(band) for band in row["p_household_age_bands"]),
                needs_municipal_place=row["p_needs_municipal_place"],
                special_needs=tuple(SettlementNeed(need) for need in row["p_special_needs"]),
            ),
        )
    else:
        refusal = Refusal(
            removal_order=RemovalOrderKind(row["d_removal_order"]),
            destination_country=row["d_destination_country"],
            immediate_enforcement=bool(row["d_immediate_enforcement"]),
        )
    return Decision(
        decision_id=row["d_decision_id"],
        decided_on=row["d_decided_on"],
        recorded_at=row["d_recorded_at"],
        permit=permit,
        refusal=refusal,
        request_id=row["d_request_id"],
        enforceable_on=row["d_enforceable_on"],
        appeal_waived=row["d_appeal_waived"],
        enforceability_recorded_at=row["d_enforceability_recorded_at"],
    )


def _inhibition_values(application_id: str, inhibition: Inhibition) -> dict[str, Any]:
    return {
        "inhibition_id": inhibition.inhibition_id,
        "application_id": application_id,
        "request_id": inhibition.request_id,
        "decision_id": inhibition.decision_id,
        "court": inhibition.court,
        "ordered_on": inhibition.ordered_on,
        "recorded_at": inhibition.recorded_at,
        "lifted_on": inhibition.lifted_on,
        "lifted_by": inhibition.lifted_by,
        "lifted_at": inhibition.lifted_at,
    }


def _inhibition(row: Any) -> Inhibition:
    return Inhibition(
        inhibition_id=row["inhibition_id"],
        court=row["court"],
        ordered_on=row["ordered_on"],
        recorded_at=row["recorded_at"],
        decision_id=row["decision_id"],
        request_id=row["request_id"],
        lifted_on=row["lifted_on"],
        lifted_by=row["lifted_by"],
        lifted_at=row["lifted_at"],
    )


def _application(row: Any, inhibitions_of_it: list[Inhibition]) -> Application:
    return Application(
        application_id=row["application_id"],
        person_ref=row["person_ref"],
        applicant=Applicant(
            full_name=row["full_name"],
            date_of_birth=row["date_of_birth"],
            nationality=row["nationality"],
            sex=Sex(row["sex"]),
        ),
        lodged_on=row["lodged_on"],
        registered_at=row["registered_at"],
        eurodac_hit=row["eurodac_hit"],
        documents=[_document(d) for d in row["documents"]],
        vulnerabilities=[Vulnerability(v) for v in row["vulnerabilities"]],
        request_id=row["request_id"],
        decision=_decision(row),
        inhibitions=inhibitions_of_it,
        dublin_transfer=_transfer(row),
    )
