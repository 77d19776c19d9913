"""Intake's event handlers: none. Intake is where applications start; it consumes no topic.

The function is here so that every service is wired alike (``bootstrap`` asks each
service's ``event_handlers`` for its subscriptions).
"""

from __future__ import annotations

from handoff_plumbing.consumer import Subscription
from intake.domain.rules import IntakeRules


def subscriptions(rules: IntakeRules) -> list[Subscription]:
    """What intake subscribes to under ``rules``: nothing."""
    del rules
    return []
