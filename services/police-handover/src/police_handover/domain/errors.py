"""What can go wrong when a rule of enforcement is broken; the HTTP edge maps each to a status."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the Police's enforcement was broken."""


class InvalidInput(DomainError):
    """An input breaks a rule; ``field`` names it (HTTP 422)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class IllegalTransition(DomainError):
    """The aggregate's state does not allow this step (HTTP 409)."""


class Conflict(DomainError):
    """The step conflicts with the state of the case: suspended, closed, full (HTTP 409)."""
