"""What the Agency told the Police about return cases (travel bookings, impediment applications)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from police_handover.adapters.orm import agency_notes
from police_handover.domain.agency_notes import AgencyNote, NoteKind


class AgencyNoteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, return_case_id: str, reference: str, kind: NoteKind) -> AgencyNote:
        """The note, or a new empty one."""
        row = (
            await self._session.execute(
                select(agency_notes).where(
                    agency_notes.c.return_case_id == return_case_id, agency_notes.c.reference == reference
                )
            )
        ).first()
        if row is None:
            return AgencyNote(return_case_id, reference, kind)
        return AgencyNote(return_case_id, reference, NoteKind(row.kind), dict(row.facts))

    async def put(self, note: AgencyNote, now: datetime) -> None:
        await self._session.execute(
            delete(agency_notes).where(
                agency_notes.c.return_case_id == note.return_case_id,
                agency_notes.c.reference == note.reference,
            )
        )
        await self._session.execute(
            insert(agency_notes).values(
                return_case_id=note.return_case_id,
                reference=note.reference,
                kind=note.kind.value,
                facts=note.facts,
                updated_at=now,
            )
        )

    async def for_case(self, return_case_id: str) -> Sequence[AgencyNote]:
        rows = await self._session.execute(
            select(agency_notes)
            .where(agency_notes.c.return_case_id == return_case_id)
            .order_by(agency_notes.c.updated_at, agency_notes.c.reference)
        )
        return [AgencyNote(r.return_case_id, r.reference, NoteKind(r.kind), dict(r.facts)) for r in rows]
