"""The HTTP edge's shared pieces: who may call, the rules in force, domain errors as responses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status

from handoff_plumbing.auth import Caller, require_roles
from handoff_plumbing.http import field_error, not_found
from returns.domain.errors import Conflict, InvalidInput, UnknownItem
from returns.domain.rules import ReturnRules
from returns.settings import ReturnsSettings

Agency = Annotated[Caller, Depends(require_roles("agency"))]


def get_rules(request: Request) -> ReturnRules:
    settings = request.app.state.settings
    return settings.rules() if isinstance(settings, ReturnsSettings) else ReturnRules()


Rules = Annotated[ReturnRules, Depends(get_rules)]

CONFLICT_RESPONSE: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such return case"},
    409: {
        "description": "The case's state does not allow this: detail.reason names why (e.g. "
        "inhibition_in_force, order_lapsed, not_enforceable, handover_package_incomplete with "
        "detail.missing), detail.message says it in words"
    },
}


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn the domain's refusals into 422 (naming the field), 404 or 409 (naming the reason)."""
    try:
        yield
    except InvalidInput as exc:
        raise field_error(exc.field, exc.message) from exc
    except UnknownItem as exc:
        if exc.field is not None:
            raise field_error(exc.field, str(exc)) from exc
        raise not_found(exc.what, exc.identifier) from exc
    except Conflict as exc:
        detail: dict[str, Any] = {"reason": exc.reason, "message": exc.message}
        if exc.missing:
            detail["missing"] = [
                {"item": m.item, "problem": m.problem, "detail": m.detail} for m in exc.missing
            ]
        raise HTTPException(status.HTTP_409_CONFLICT, detail=detail) from exc
