"""What can go wrong on a return case beyond the plumbing's refusals (:mod:`handoff_plumbing.errors`).

A :class:`~handoff_plumbing.errors.Conflict` of returns always names its ``reason``, a stable
code for clients (``case_closed``, ``inhibition_in_force``, ``handover_package_incomplete``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

from handoff_plumbing.errors import Conflict, DomainError, InvalidInput, NotFound


@dataclass(frozen=True)
class Missing:
    """One item of a handover package that is missing (or, as the Police may say, invalid)."""

    item: str
    detail: str
    problem: str = "missing"


class IncompletePackage(Conflict):
    """A handover package would lack something the Police need: it is never sent incomplete."""

    def __init__(self, missing: tuple[Missing, ...]) -> None:
        items = ", ".join(m.item for m in missing)
        super().__init__(
            f"the handover package is incomplete; missing: {items}",
            reason="handover_package_incomplete",
            missing=list(missing),
        )
        self.missing = missing


class ConcurrentChange(Conflict):
    """Someone else changed the case between loading and saving it; the command may be retried."""

    def __init__(self, return_case_id: str) -> None:
        super().__init__(
            f"return case {return_case_id!r} was changed concurrently; try again", reason="concurrent_change"
        )


def unknown(what: str, identifier: str, *, field: str | None = None) -> DomainError:
    """No such item on the case: a 422 on ``field`` when the request named it there, else a 404."""
    if field is not None:
        return InvalidInput(field, f"no {what} {identifier!r}")
    return NotFound(what, identifier)
