"""Small conversions shared by the monitor's row mappers."""

from __future__ import annotations

from typing import Any


def optional(kind: Any, value: Any) -> Any:
    """``kind(value)``, or None for None."""
    return kind(value) if value is not None else None


def value_of(member: Any) -> str | None:
    return member.value if member is not None else None
