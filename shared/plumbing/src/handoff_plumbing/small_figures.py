"""Small figures in published statistics: the one rule every service applies before publishing.

A count from 1 to 4 could single out people, so it is shown as ``"<5"``; 0 is shown (it
identifies nobody). So that a suppressed count cannot be recovered by subtraction, when the parts
of a shown total leave exactly one part suppressed, the smallest other non-zero part is suppressed
too (:func:`suppress_parts`). First written for the monitor's statistics; the Agency's Eurostat
figures use it as well. Plain Python, for the domains.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

THRESHOLD = 5
SUPPRESSED: Literal["<5"] = "<5"

Count = int | Literal["<5"]


def is_small(n: int) -> bool:
    """A figure that could single out people: 1 to 4."""
    return 0 < n < THRESHOLD


def shown(n: int) -> Count:
    """``n`` as it may be published on its own."""
    return SUPPRESSED if is_small(n) else n


def suppress_parts(parts: Sequence[int]) -> list[Count]:
    """The parts of a total as they may be published beside it: each small part suppressed, and
    if that leaves exactly one suppressed, the smallest other non-zero part with it."""
    hidden = {i for i, n in enumerate(parts) if is_small(n)}
    if len(hidden) == 1:
        others = [(n, i) for i, n in enumerate(parts) if i not in hidden and n > 0]
        if others:
            hidden.add(min(others)[1])
    return [SUPPRESSED if i in hidden else n for i, n in enumerate(parts)]
