"""``handoff report`` (placeholder)."""

from __future__ import annotations


def report() -> None:
    """Write a report."""
