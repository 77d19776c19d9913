"""The monitor's notice figures as the Police count them: the same figures, per department and month.

The monitor tells the Police how it judges each plan (acknowledged on time or late, missing, a
revision missing); the Police count those judgements the way the monitor counts its notices, so the
two sets of statistics agree: a removal counts under the month of the day it was carried out or
aborted, else of its planned departure, in the monitor's time zone (``monitor_timezone``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from police_handover.domain.monitoring import LATE, MISSING, ON_TIME
from police_handover.domain.removal_plan import PlanStatus


def removal_moment(
    status: PlanStatus, planned_departure: datetime, executed_at: datetime | None, ended_at: datetime | None
) -> datetime:
    """When the removal happened, for counting: carried out or aborted, else its planned departure."""
    if status is PlanStatus.EXECUTED and executed_at is not None:
        return executed_at
    if status is PlanStatus.ABORTED and ended_at is not None:
        return ended_at
    return planned_departure


@dataclass(frozen=True)
class NoticeRecord:
    department: str
    removal_at: datetime
    timeliness: str
    revision_missing: bool


@dataclass(frozen=True)
class NoticeFigures:
    department: str
    month: str
    notices: int
    on_time: int
    late: int
    missing: int
    unannounced_changes: int


def tabulate(records: Iterable[NoticeRecord], zone: tzinfo) -> list[NoticeFigures]:
    groups: dict[tuple[str, str], list[NoticeRecord]] = defaultdict(list)
    for record in records:
        month = record.removal_at.astimezone(zone).strftime("%Y-%m")
        groups[(record.department, month)].append(record)
    return [
        NoticeFigures(
            department=department,
            month=month,
            notices=sum(1 for r in group if r.timeliness in (ON_TIME, LATE)),
            on_time=sum(1 for r in group if r.timeliness == ON_TIME),
            late=sum(1 for r in group if r.timeliness == LATE),
            missing=sum(1 for r in group if r.timeliness == MISSING),
            unannounced_changes=sum(1 for r in group if r.revision_missing),
        )
        for (department, month), group in sorted(groups.items(), key=lambda item: (item[0][1], item[0][0]))
    ]
