"""Filters of the Police's listings: conditions that are None are left out."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_


def where_all(*conditions: ColumnElement[bool] | None) -> ColumnElement[bool]:
    """All the given conditions (true when none is given)."""
    present = [c for c in conditions if c is not None]
    return and_(True, *present)
