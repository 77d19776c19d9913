"""Small figures in published statistics: the one rule every service applies before publishing.

A count from 1 to 4 could single out people, so it is shown as ``"<5"``; 0 is shown (it
identifies nobody). So that a suppressed count cannot be recovered by subtraction from a shown
total, whenever a part of it is suppressed the smallest part of 5 or more is suppressed with it
(:func:`suppress_parts`), so the hidden parts always include one that is not small; ``"<5"`` then
marks a suppressed figure, not necessarily a small one. First written for the monitor's
statistics; the Agency's Eurostat figures use it as well. Plain Python, for the domains.
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
    if any is, the smallest part of 5 or more with them (of two parts: both, as soon as one is small)."""
    hidden = {i for i, n in enumerate(parts) if is_small(n)}
    if hidden:
        large = [(n, i) for i, n in enumerate(parts) if n >= THRESHOLD]
        if large:
            hidden.add(min(large)[1])
    return [SUPPRESSED if i in hidden else n for i, n in enumerate(parts)]
