"""A notice with what the monitor knows around it: the detention, the latest decision, the priority.

This is what the monitor's systems see of a planned removal, over HTTP and in webhooks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from handoff_schemas.events.police_measures import LighterMeasureKind
from monitoring.domain.decision import Decision
from monitoring.domain.detention import Detention, DetentionState, detention_state
from monitoring.domain.lighter_measure import LighterMeasure
from monitoring.domain.notice import Notice
from monitoring.domain.priority import Priority, PriorityFactors, assess


@dataclass(frozen=True)
class NoticeFile:
    notice: Notice
    detention: DetentionState
    decision: Decision | None
    priority: Priority | None  # None on a missing notice: there was no plan to judge
    lighter_measures: tuple[LighterMeasureKind, ...] = ()
    """Lighter measures in force on the person's case."""


def notice_file(
    notice: Notice,
    *,
    detentions: Sequence[Detention],
    decision: Decision | None,
    risk_countries: frozenset[str],
    lighter_measures: Sequence[LighterMeasure] = (),
) -> NoticeFile:
    plan = notice.plan
    detention = detention_state(detentions, plan.measure if plan else None)
    priority = assess(PriorityFactors.of(plan, detention, risk_countries)) if plan is not None else None
    in_force = tuple(sorted({m.kind for m in lighter_measures if m.in_force}))
    return NoticeFile(
        notice=notice, detention=detention, decision=decision, priority=priority, lighter_measures=in_force
    )
