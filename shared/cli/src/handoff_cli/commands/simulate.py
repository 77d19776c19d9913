"""``handoff simulate`` (placeholder while the simulator is built)."""

from __future__ import annotations


def simulate() -> None:
    """Simulate a caseload."""
