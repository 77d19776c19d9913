"""What the domain says when a command cannot be carried out."""

from __future__ import annotations


class DomainError(Exception):
    """Base of the domain's refusals."""


class InvalidInput(DomainError):
    """A rule was broken by the input; ``field`` names the input at fault (dotted path)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class StateConflict(DomainError):
    """The command does not fit the aggregate's current state (HTTP 409)."""


class NotFound(DomainError):
    """No such thing, or none the caller may see (HTTP 404)."""

    def __init__(self, what: str, identifier: str) -> None:
        super().__init__(f"no {what} {identifier!r}")
        self.what = what
        self.identifier = identifier


class NotPermitted(DomainError):
    """The caller may call this operation, but not on this thing (HTTP 403)."""
