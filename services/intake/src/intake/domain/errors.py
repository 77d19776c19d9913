"""What goes wrong when a command breaks a rule: bad input, a state conflict, an unknown id."""

from __future__ import annotations


class InvalidInput(ValueError):
    """An input breaks a rule; ``field`` names it as a dotted path in the request body."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class StateConflict(Exception):
    """The command does not fit the aggregate's state (deciding twice, enforcing a grant, ...)."""


class NotFound(LookupError):
    """No such application (or inhibition of it)."""

    def __init__(self, what: str, identifier: str) -> None:
        super().__init__(f"no {what} {identifier!r}")
        self.what = what
        self.identifier = identifier
