"""What a rule of the monitor's domain says when a command breaks it."""

from __future__ import annotations


class InvalidInput(ValueError):
    """A rule was broken by one input; ``field`` names it (dotted path into the request body)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Conflict(Exception):
    """The command is valid in itself but not in the state the resource is in (HTTP 409)."""
