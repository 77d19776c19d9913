"""Paging at the HTTP edge: the query parameters, bounded, and the page every listing answers."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field

from handoff_plumbing.paging import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, Paging

T = TypeVar("T")


def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
) -> Paging:
    return Paging(limit=limit, offset=offset)


PagingQuery = Annotated[Paging, Depends(paging)]


class Page(BaseModel, Generic[T]):
    """One page of a listing."""

    items: list[T]
    total: int = Field(description="How many items match the filters, on all pages.")
    limit: int
    offset: int

    @classmethod
    def of(cls, items: list[T], total: int, paging: Paging) -> Page[T]:
        return cls(items=items, total=total, limit=paging.limit, offset=paging.offset)
