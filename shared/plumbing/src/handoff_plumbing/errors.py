"""The refusals every domain speaks: plain Python, no framework, no HTTP.

A service's rules raise these (or subclasses naming a finer case); the HTTP edge answers
each one as a problem (RFC 9457) in :mod:`handoff_plumbing.http.problems`:

| class | meaning | HTTP |
| --- | --- | --- |
| :class:`InvalidInput` | an input breaks a rule; ``field`` names it | 422 |
| :class:`NotFound` | no such thing, or none the caller may see | 404 |
| :class:`Conflict` | the command does not fit the current state; ``reason`` is a stable code | 409 |
| :class:`NotPermitted` | the caller may call this operation, but not on this thing | 403 |
"""

from __future__ import annotations


class DomainError(Exception):
    """A command broke a rule. ``extensions`` are further facts for the caller (no personal data)."""

    def __init__(self, message: str, **extensions: object) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class InvalidInput(DomainError):
    """An input breaks a rule; ``field`` names it as a dotted path, in the request ``location``."""

    def __init__(self, field: str, message: str, *, location: str = "body") -> None:
        super().__init__(message)
        self.field = field
        self.location = location

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class NotFound(DomainError):
    """No such thing (or none the caller may see)."""

    def __init__(self, what: str, identifier: str) -> None:
        super().__init__(f"no {what} {identifier!r}")
        self.what = what
        self.identifier = identifier


class Conflict(DomainError):
    """The command does not fit the current state; ``reason``, when given, is a stable code."""

    def __init__(self, message: str, *, reason: str | None = None, **extensions: object) -> None:
        super().__init__(message, **extensions)
        self.reason = reason


class NotPermitted(DomainError):
    """The caller may call this operation, but not on this thing (another county's agreement, ...)."""
