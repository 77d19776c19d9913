"""What can go wrong when the Agency acts on a return case, in the domain's own words.

The HTTP edge turns these into responses: :class:`InvalidInput` into a 422 naming the
field, :class:`Conflict` into a 409 naming the reason, :class:`UnknownItem` into a 404.
"""

from __future__ import annotations

from dataclasses import dataclass


class InvalidInput(ValueError):
    """A rule about one input was broken; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Missing:
    """One item of a handover package that is missing (or, as the Police may say, invalid)."""

    item: str
    detail: str
    problem: str = "missing"


class Conflict(Exception):
    """The case's state does not allow the command; ``reason`` is a stable code for clients."""

    def __init__(self, reason: str, message: str, *, missing: tuple[Missing, ...] = ()) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.missing = missing


class IncompletePackage(Conflict):
    """A handover package would lack something the Police need: it is never sent incomplete."""

    def __init__(self, missing: tuple[Missing, ...]) -> None:
        items = ", ".join(m.item for m in missing)
        super().__init__(
            "handover_package_incomplete",
            f"the handover package is incomplete; missing: {items}",
            missing=missing,
        )


class UnknownItem(LookupError):
    """No such thing: a return case, or an item (support application, booking, ...) on one.

    ``field`` names the input that referred to it, when that was an input rather than the
    case itself (the HTTP edge answers 422 naming the field then, 404 otherwise).
    """

    def __init__(self, what: str, identifier: str, *, field: str | None = None) -> None:
        super().__init__(f"no {what} {identifier!r}")
        self.what = what
        self.identifier = identifier
        self.field = field


class ConcurrentChange(Conflict):
    """Someone else changed the case between loading and saving it; the command may be retried."""

    def __init__(self, return_case_id: str) -> None:
        super().__init__(
            "concurrent_change", f"return case {return_case_id!r} was changed concurrently; try again"
        )
