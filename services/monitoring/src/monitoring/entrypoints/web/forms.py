"""Forms posted by the pages: read (URL-encoded, bounded), and their faults named per field.

The pages send what the API takes, so each form is validated by the API's own request
model and the command's own rules; what they refuse is shown beside the field at fault.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from fastapi import Request, status
from pydantic import ValidationError

from handoff_plumbing.errors import InvalidInput
from monitoring.entrypoints.web.refusals import PageRefused

MAX_FORM_BYTES = 64 * 1024
URLENCODED = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Form:
    pairs: Sequence[tuple[str, str]]

    def one(self, name: str) -> str | None:
        """The field's first value, stripped; None when it is missing or blank."""
        for key, value in self.pairs:
            if key == name:
                return value.strip() or None
        return None

    def all(self, name: str) -> list[str]:
        return [value.strip() for key, value in self.pairs if key == name and value.strip()]

    def values(self) -> dict[str, str]:
        """Every field's value as sent (the first of each), to fill the form again after a fault."""
        found: dict[str, str] = {}
        for key, value in self.pairs:
            found.setdefault(key, value)
        return found


async def read_form(request: Request) -> Form:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != URLENCODED:
        raise PageRefused(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "Not a form", f"A form is sent as {URLENCODED}."
        )
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_FORM_BYTES:
            raise PageRefused(
                status.HTTP_413_CONTENT_TOO_LARGE, "Too much text", "The form is larger than 64 KiB."
            )
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=500)
    except (UnicodeDecodeError, ValueError) as exc:
        raise PageRefused(
            status.HTTP_400_BAD_REQUEST, "Unreadable form", "The form could not be read."
        ) from exc
    return Form(pairs)


@dataclass
class FieldErrors:
    """Faults of a form: by field name as the form names it, and for the form as a whole."""

    by_field: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.by_field or self.general)

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, message)

    @classmethod
    def of_validation(cls, error: ValidationError, names: Mapping[str, str] | None = None) -> FieldErrors:
        """The model's faults, each under its form field (``names`` renames a model path)."""
        errors = cls()
        for fault in error.errors():
            path = ".".join(str(part) for part in fault["loc"])
            errors.add(_form_name(path, names or {}), _message(fault["type"], fault["msg"]))
        return errors

    @classmethod
    def of_rule(cls, refusal: InvalidInput, names: Mapping[str, str] | None = None) -> FieldErrors:
        errors = cls()
        errors.add(_form_name(refusal.field, names or {}), refusal.message)
        return errors


def _form_name(path: str, names: Mapping[str, str]) -> str:
    """The form field of a model path: ``names`` maps a path and everything under it to one field
    (``monitors.1`` is the form's one ``monitors`` field); any other path is its own name."""
    for prefix, name in names.items():
        if path == prefix or path.startswith(prefix + "."):
            return name
    return path


def _message(kind: str, message: str) -> str:
    if kind == "missing":
        return "Required"
    if kind == "enum":
        return "Choose one of the options"
    return message


def lines(text: str | None) -> list[str]:
    """A text area's non-blank lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def codes(text: str | None) -> list[str]:
    """Codes separated by commas or spaces, upper-cased: "mon-07, MON-12" → ["MON-07", "MON-12"]."""
    return [part.upper() for part in (text or "").replace(",", " ").split()]


def present(values: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """Only the fields that were filled in (so that a blank one is "Required", not "invalid")."""
    return {name: value for name, value in values if value is not None}
