"""The HTTP edge every service shares, written once.

* :mod:`.problems`: every error answer is an RFC 9457 problem (``application/problem+json``):
  the domain's refusals (:mod:`handoff_plumbing.errors`), FastAPI's validation errors, auth
  and routing errors alike; the OpenAPI documents say so for every operation.
* :mod:`.paging`: :data:`PagingQuery` (bounded ``limit``/``offset``) and :class:`Page`.
* :mod:`.rules`: :func:`rules_of`, the one way a route reaches its service's rules.
* :mod:`.commands`: :data:`Command`, one unit of work per command, at most once per
  ``request_id``.
* :data:`Uow`: a unit of work for a read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from handoff_plumbing.uow import UnitOfWork


def get_uow(request: Request) -> UnitOfWork:
    uow: UnitOfWork = request.app.state.runtime.uow()
    return uow


Uow = Annotated[UnitOfWork, Depends(get_uow)]
