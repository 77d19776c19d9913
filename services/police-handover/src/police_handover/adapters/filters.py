"""Filters of the Police's listings: conditions that are None are left out."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, select

from police_handover.adapters.orm import enforcement_cases


def where_all(*conditions: ColumnElement[bool] | None) -> ColumnElement[bool]:
    """All the given conditions (true when none is given)."""
    present = [c for c in conditions if c is not None]
    return and_(True, *present)


def case_of_department(
    enforcement_case_id: ColumnElement[str], department: str | None
) -> ColumnElement[bool] | None:
    """That the row's enforcement case is ``department``'s (None: any department's), in the same query."""
    if department is None:
        return None
    c = enforcement_cases.c
    return enforcement_case_id.in_(
        select(c.enforcement_case_id).where(c.responsible_department == department)
    )
