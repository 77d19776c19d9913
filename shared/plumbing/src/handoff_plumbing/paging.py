"""One page of a listing: bounded ``limit`` and ``offset``, and the query that reads it.

The bounds are the same in every service and at every layer: the HTTP edge answers 422
outside them (see :mod:`handoff_plumbing.http.paging`), and :class:`Paging` refuses them
too, so no caller can send the database an offset that overflows its integers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import RowMapping, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000


@dataclass(frozen=True)
class Paging:
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ValueError(f"limit must be from 1 to {MAX_LIMIT}, not {self.limit}")
        if not 0 <= self.offset <= MAX_OFFSET:
            raise ValueError(f"offset must be from 0 to {MAX_OFFSET}, not {self.offset}")

    def of(self, items: list[Any]) -> list[Any]:
        """This page of ``items`` already in memory, in their order."""
        return items[self.offset : self.offset + self.limit]


async def fetch_page(
    session: AsyncSession, query: Select[Any], paging: Paging, *order: Any
) -> tuple[list[RowMapping], int]:
    """The rows of ``query`` on this page in ``order``, and how many rows match in all."""
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = await session.execute(query.order_by(*order).limit(paging.limit).offset(paging.offset))
    return [row._mapping for row in rows], int(total or 0)
