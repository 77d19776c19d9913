"""Loading and storing what returns learns of applications, and the clients' request ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import RowMapping, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas.events.identity import PersonIdentity
from handoff_schemas.events.intake import DecisionOutcome, Vulnerability
from returns.adapters.orm import (
    applicant_identities,
    command_requests,
    decisions,
    inhibitions,
    known_applications,
)
from returns.domain.applicant import DecisionRecord, Dossier, KnownApplication, RecordedIdentity
from returns.domain.inhibitions import Inhibition, InhibitionRegister


class KnownApplicationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, application: KnownApplication) -> None:
        await self._session.execute(
            insert(known_applications).values(
                application_id=application.application_id,
                person_ref=application.person_ref,
                lodged_on=application.lodged_on,
                dublin_case=application.dublin_case,
                vulnerabilities=[v.value for v in application.vulnerabilities],
                learned_at=application.learned_at,
            )
        )

    async def get(self, application_id: str) -> KnownApplication | None:
        row = (
            await self._session.execute(
                select(known_applications).where(known_applications.c.application_id == application_id)
            )
        ).first()
        if row is None:
            return None
        m = row._mapping
        return KnownApplication(
            application_id=m["application_id"],
            person_ref=m["person_ref"],
            lodged_on=m["lodged_on"],
            dublin_case=m["dublin_case"],
            vulnerabilities=tuple(Vulnerability(v) for v in m["vulnerabilities"]),
            learned_at=m["learned_at"],
        )


class IdentityRepository:
    """The applicants' identities: personal data, kept here and never logged."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, application_id: str) -> RecordedIdentity | None:
        row = (
            await self._session.execute(
                select(applicant_identities).where(applicant_identities.c.application_id == application_id)
            )
        ).first()
        if row is None:
            return None
        m = row._mapping
        return RecordedIdentity(
            application_id=m["application_id"],
            person_ref=m["person_ref"],
            identity=PersonIdentity.model_validate(m["identity"]),
            recorded_at=m["recorded_at"],
        )

    async def put(self, recorded: RecordedIdentity) -> None:
        await self._session.execute(
            delete(applicant_identities).where(
                applicant_identities.c.application_id == recorded.application_id
            )
        )
        await self._session.execute(
            insert(applicant_identities).values(
                application_id=recorded.application_id,
                person_ref=recorded.person_ref,
                identity=recorded.identity.model_dump(mode="json"),
                recorded_at=recorded.recorded_at,
            )
        )


class DecisionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, decision_id: str) -> DecisionRecord | None:
        row = (
            await self._session.execute(select(decisions).where(decisions.c.decision_id == decision_id))
        ).first()
        return _decision(row._mapping) if row else None

    async def add(self, record: DecisionRecord) -> None:
        await self._session.execute(
            insert(decisions).values(
                decision_id=record.decision_id,
                application_id=record.application_id,
                decided_on=record.decided_on,
                decided_by=record.decided_by,
                outcome=record.outcome.value,
            )
        )

    async def for_application(self, application_id: str) -> tuple[DecisionRecord, ...]:
        rows = await self._session.execute(
            select(decisions)
            .where(decisions.c.application_id == application_id)
            .order_by(decisions.c.decided_on, decisions.c.decision_id)
        )
        return tuple(_decision(row._mapping) for row in rows)


def _decision(m: RowMapping) -> DecisionRecord:
    return DecisionRecord(
        decision_id=m["decision_id"],
        application_id=m["application_id"],
        decided_on=m["decided_on"],
        decided_by=m["decided_by"],
        outcome=DecisionOutcome(m["outcome"]),
    )


class InhibitionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, application_id: str) -> InhibitionRegister:
        rows = await self._session.execute(
            select(inhibitions)
            .where(inhibitions.c.application_id == application_id)
            .order_by(inhibitions.c.ordered_on, inhibitions.c.inhibition_id)
        )
        return InhibitionRegister(
            application_id=application_id,
            inhibitions=[
                Inhibition(
                    inhibition_id=m["inhibition_id"],
                    court=m["court"],
                    ordered_on=m["ordered_on"],
                    decision_id=m["decision_id"],
                    lifted_on=m["lifted_on"],
                    lifted_by=m["lifted_by"],
                )
                for m in (row._mapping for row in rows)
            ],
        )

    async def for_applications(self, application_ids: list[str]) -> dict[str, InhibitionRegister]:
        registers = {a: InhibitionRegister(a) for a in application_ids}
        if not application_ids:
            return registers
        rows = await self._session.execute(
            select(inhibitions)
            .where(inhibitions.c.application_id.in_(application_ids))
            .order_by(inhibitions.c.ordered_on, inhibitions.c.inhibition_id)
        )
        for row in rows:
            m = row._mapping
            registers[m["application_id"]].inhibitions.append(
                Inhibition(
                    inhibition_id=m["inhibition_id"],
                    court=m["court"],
                    ordered_on=m["ordered_on"],
                    decision_id=m["decision_id"],
                    lifted_on=m["lifted_on"],
                    lifted_by=m["lifted_by"],
                )
            )
        return registers

    async def save(self, register: InhibitionRegister) -> None:
        await self._session.execute(
            delete(inhibitions).where(inhibitions.c.application_id == register.application_id)
        )
        if register.inhibitions:
            await self._session.execute(
                insert(inhibitions),
                [
                    {
                        "application_id": register.application_id,
                        "inhibition_id": i.inhibition_id,
                        "court": i.court,
                        "ordered_on": i.ordered_on,
                        "decision_id": i.decision_id,
                        "lifted_on": i.lifted_on,
                        "lifted_by": i.lifted_by,
                    }
                    for i in register.inhibitions
                ],
            )


async def load_dossier(session: AsyncSession, application_id: str) -> Dossier:
    """What a handover package draws on: the registration, the identity and the decisions."""
    return Dossier(
        application=await KnownApplicationRepository(session).get(application_id),
        identity=await IdentityRepository(session).get(application_id),
        decisions=await DecisionRepository(session).for_application(application_id),
    )


@dataclass(frozen=True)
class CommandRequest:
    """A client's request id, remembered with what its first use created."""

    request_id: str
    return_case_id: str
    command: str
    item_ref: str
    created_at: datetime


class CommandRequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, request_id: str) -> CommandRequest | None:
        row = (
            await self._session.execute(
                select(command_requests).where(command_requests.c.request_id == request_id)
            )
        ).first()
        if row is None:
            return None
        m = row._mapping
        return CommandRequest(
            request_id=m["request_id"],
            return_case_id=m["return_case_id"],
            command=m["command"],
            item_ref=m["item_ref"],
            created_at=m["created_at"],
        )

    async def add(self, request: CommandRequest) -> None:
        await self._session.execute(
            insert(command_requests).values(
                request_id=request.request_id,
                return_case_id=request.return_case_id,
                command=request.command,
                item_ref=request.item_ref,
                created_at=request.created_at,
            )
        )
