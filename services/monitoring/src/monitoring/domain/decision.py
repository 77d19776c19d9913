"""The monitor's decision whether to monitor a planned removal, and with whom.

A decision is taken on a planned removal (not on one already carried out, cancelled or
aborted); the monitor may change its mind while the removal is still planned, and the
latest decision counts. Monitors are named by staff codes only.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.monitoring import (
    MonitoringDecision,
    MonitoringDecisionMadeV1,
    MonitoringDecisionReason,
)
from monitoring.domain.notice import Notice, NoticeStatus

R = MonitoringDecisionReason
REASONS: Mapping[MonitoringDecision, frozenset[MonitoringDecisionReason]] = MappingProxyType(
    {
        MonitoringDecision.MONITOR: frozenset(
            {
                R.VULNERABLE_RETURNEE,
                R.MINOR_INVOLVED,
                R.CHARTER_OPERATION,
                R.USE_OF_FORCE_EXPECTED,
                R.RISK_DESTINATION,
                R.SAMPLE,
                R.OTHER,
            }
        ),
        MonitoringDecision.NOT_MONITOR: frozenset({R.NO_CAPACITY, R.NOTICE_TOO_LATE, R.LOW_RISK, R.OTHER}),
    }
)
STAFF_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")
"""A monitor's staff code, e.g. MON-07: never a name."""


@dataclass(frozen=True)
class Decision:
    decision_id: str
    notice_id: str
    plan_id: str
    decision: MonitoringDecision
    monitors: tuple[str, ...]
    reason: MonitoringDecisionReason
    decided_at: datetime
    decided_by: str
    sequence: int = 1

    @property
    def monitored(self) -> bool:
        return self.decision is MonitoringDecision.MONITOR

    @classmethod
    def make(
        cls,
        notice: Notice,
        *,
        decision: MonitoringDecision,
        monitors: Sequence[str],
        reason: MonitoringDecisionReason,
        decided_by: str,
        now: datetime,
        previous: int = 0,
    ) -> tuple[Decision, MonitoringDecisionMadeV1]:
        """Decide on ``notice``; ``previous`` decisions were made on it before (the latest counts)."""
        if notice.status is not NoticeStatus.PLANNED:
            raise Conflict(
                f"notice {notice.notice_id} is {notice.status.value}: "
                "monitoring is decided on planned removals only"
            )
        for index, code in enumerate(monitors):
            if not STAFF_CODE.fullmatch(code):
                raise InvalidInput(
                    f"monitors.{index}", "a staff code of capitals, digits and '-', e.g. MON-07"
                )
        assigned = tuple(dict.fromkeys(monitors))
        if decision is MonitoringDecision.MONITOR and not assigned:
            raise InvalidInput("monitors", "a removal to be monitored needs at least one monitor")
        if decision is MonitoringDecision.NOT_MONITOR and assigned:
            raise InvalidInput("monitors", "a removal that is not monitored has no monitors")
        if reason not in REASONS[decision]:
            allowed = sorted(r.value for r in REASONS[decision])
            raise InvalidInput("reason", f"not a reason to decide {decision.value!r}; one of {allowed}")
        made = cls(
            decision_id=f"DEC-{now.year}-{secrets.token_hex(6)}",
            notice_id=notice.notice_id,
            plan_id=notice.plan_id,
            decision=decision,
            monitors=assigned,
            reason=reason,
            decided_at=now,
            decided_by=decided_by,
            sequence=previous + 1,
        )
        return made, made.event()

    def event(self) -> MonitoringDecisionMadeV1:
        return MonitoringDecisionMadeV1(
            notice_id=self.notice_id,
            plan_id=self.plan_id,
            decision=self.decision,
            monitors=list(self.monitors),
            decided_at=self.decided_at,
            reason=self.reason,
        )
