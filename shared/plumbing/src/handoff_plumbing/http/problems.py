"""Every error answer as an RFC 9457 problem: ``application/problem+json``, one shape.

    {"type": "urn:handoff:problem:invalid-input", "title": "Invalid input", "status": 422,
     "detail": "lifted_on: 2026-11-01 is before ...", "instance": "/applications/A-1/...",
     "errors": [{"loc": ["body", "lifted_on"], "field": "lifted_on", "message": "..."}]}

``type`` names the kind of problem (``about:blank`` for a plain HTTP status, as the RFC
says), ``title`` says it in words, ``detail`` says what happened this time and
``instance`` is the path asked. A 422 names every field at fault in ``errors``; a 409 may
carry a stable ``reason`` code and further members (returns' ``missing``). Details never
carry personal data: they name fields, references and rules, not values a person gave.

:func:`install_problem_details` registers the handlers on an app and makes its OpenAPI
document declare the problem answers (401, 403 and 422 besides what a route declares).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException as StarletteHTTPException

from handoff_plumbing.errors import Conflict, DomainError, InvalidInput, NotFound, NotPermitted

MEDIA_TYPE = "application/problem+json"
log = structlog.get_logger("handoff.http")

# The domain's refusals: (status, type, title), looked up along the exception's class hierarchy.
KINDS: dict[type[DomainError], tuple[int, str, str]] = {
    InvalidInput: (422, "urn:handoff:problem:invalid-input", "Invalid input"),
    NotFound: (404, "urn:handoff:problem:not-found", "Not found"),
    Conflict: (409, "urn:handoff:problem:conflict", "Conflict with the current state"),
    NotPermitted: (403, "urn:handoff:problem:not-permitted", "Not permitted"),
}


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="Where the field is: body, query or path, then its path.")
    field: str = Field(description="The field's dotted path inside its location.")
    message: str


class Problem(BaseModel):
    """An error answer (RFC 9457). Members beyond these may appear (``reason``, ``missing``, ...)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": True})

    type: str = Field(description="A URI naming the kind of problem; about:blank for a plain HTTP status.")
    title: str = Field(description="The kind of problem in words.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong this time.")
    instance: str = Field(description="The path of the request.")
    errors: list[FieldError] | None = Field(default=None, description="422: every field at fault.")
    reason: str | None = Field(default=None, description="409: a stable code for why, when there is one.")


def problem(
    request: Request,
    *,
    status: int,
    detail: str,
    type_: str = "about:blank",
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    **members: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    body.update({name: value for name, value in members.items() if value is not None})
    return JSONResponse(
        encodable(jsonable_encoder(body)), status_code=status, media_type=MEDIA_TYPE, headers=headers
    )


def encodable(value: Any) -> Any:
    """``value`` with every string made encodable as UTF-8: a lone surrogate the caller sent
    (in an unknown field's name, say) is written as its escape, so the answer that names it
    can always be sent."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {encodable(key): encodable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [encodable(item) for item in value]
    return value


def _kind(exc: DomainError) -> tuple[int, str, str]:
    for cls in type(exc).__mro__:
        if cls in KINDS:
            return KINDS[cls]  # type: ignore[index]
    return 500, "about:blank", HTTPStatus(500).phrase


def field_error(loc: Sequence[str | int], message: str) -> dict[str, Any]:
    return {"loc": list(loc), "field": ".".join(str(part) for part in loc[1:]), "message": message}


async def domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    status, type_, title = _kind(exc)
    members: dict[str, Any] = dict(exc.extensions)
    if isinstance(exc, InvalidInput):
        members["errors"] = [field_error([exc.location, *exc.field.split(".")], exc.message)]
    if isinstance(exc, Conflict):
        members["reason"] = exc.reason
    return problem(request, status=status, detail=str(exc), type_=type_, title=title, **members)


def _message(error: Mapping[str, Any]) -> str:
    if error.get("type") == "string_unicode":  # the JSON parser met an unpaired \\uD800-\\uDFFF escape
        return "holds a lone surrogate: text must be valid Unicode"
    return str(error["msg"])


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [field_error(list(error["loc"]), _message(error)) for error in exc.errors()]
    fields = ", ".join(dict.fromkeys(error["field"] or error["loc"][0] for error in errors))
    return problem(
        request,
        status=422,
        detail=f"invalid {fields}",
        type_=KINDS[InvalidInput][1],
        title=KINDS[InvalidInput][2],
        errors=errors,
    )


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).description
    return problem(request, status=exc.status_code, detail=detail, headers=exc.headers)


async def server_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error", error_type=type(exc).__name__, path=request.url.path)
    return problem(request, status=500, detail="the service failed to answer; the error is logged")


def install_problem_details(app: FastAPI) -> None:
    """Answer every error of ``app`` as a problem, and document it so."""
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, server_error)
    app.openapi = _problem_openapi(app, app.openapi)  # type: ignore[method-assign]


def _problem_openapi(app: FastAPI, generate: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()
        document_problems(document)
        app.openapi_schema = document
        return document

    return openapi


HEALTH_PATHS = "/health/"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_STANDARD = {
    "400": "The body is not UTF-8 JSON",
    "401": "No valid bearer token",
    "403": "The token's role may not call this, or not on this thing",
    "404": "No such thing (or none the caller may see)",
    "413": "The body is larger than the service's limit (HTTP_MAX_BODY_BYTES, 1 MiB by default)",
    "422": "Invalid input: `errors` names every field at fault",
}


def document_problems(document: dict[str, Any]) -> None:
    """Make every 4xx/5xx answer of every operation a Problem in ``application/problem+json``."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for path, operations in document.get("paths", {}).items():
        if path.startswith(HEALTH_PATHS):
            continue  # open probes that answer their own shape (readiness: 503 with its checks)
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if operation.get("security"):
                for code in ("401", "403"):
                    responses.setdefault(code, {"description": _STANDARD[code]})
            parameters = operation.get("parameters") or []
            if parameters or operation.get("requestBody"):
                responses.setdefault("422", {"description": _STANDARD["422"]})
            if any(parameter.get("in") == "path" for parameter in parameters):
                responses.setdefault("404", {"description": _STANDARD["404"]})
            if operation.get("requestBody"):
                for code in ("400", "413"):
                    responses.setdefault(code, {"description": _STANDARD[code]})
            for code, response in responses.items():
                if code[0] in "45":
                    if code == "422" and "HTTPValidationError" in str(response.get("content", "")):
                        response["description"] = _STANDARD["422"]
                    response["content"] = {MEDIA_TYPE: {"schema": PROBLEM_REF}}
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    _, problem_schemas = models_json_schema(
        [(Problem, "serialization")], ref_template="#/components/schemas/{model}"
    )
    schemas.update(problem_schemas["$defs"])
