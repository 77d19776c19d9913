"""Statistics per police department and month: the FRA's indicators of forced-return monitoring.

Each removal counts under the month of its date in the monitor's time zone: the day it was
carried out or aborted, else its planned departure.

* ``notices``: removals the monitor was notified of (any status), ``on_time`` and ``late``
  among them, ``share_on_time`` and the ``median_lead_time_working_days``;
* ``missing``: removals carried out or aborted without any notice;
* ``unannounced_changes``: removals carried out or aborted other than the last notice said (another
  day, transport, escort or destination): a revision was missing; judged anew, they count as late;
* ``removals``: removals carried out or aborted (with or without notice), ``monitored``
  among them (the monitor's latest decision was to monitor) and ``monitored_share``;
* ``phases_monitored``: per phase, how many filed reports observed it.

Published output suppresses small figures: a count from 1 to 4 is shown as ``"<5"`` (0 is
shown: it identifies nobody). So that a suppressed count cannot be recovered by
subtraction, a count whose complement within a shown total is suppressed is suppressed
too (on time vs late within notices; monitored vs not monitored within removals), and a
share or median is withheld (``null``, named in ``suppressed``) whenever it would reveal a
count from 1 to 4.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from handoff_plumbing.small_figures import SUPPRESSED, THRESHOLD, Count, is_small, suppress_parts
from handoff_schemas.events.monitoring import RemovalPhase

__all__ = ["SUPPRESSED", "THRESHOLD", "Count", "is_small"]


@dataclass(frozen=True)
class RemovalRecord:
    """One removal as statistics see it."""

    department: str
    month: str
    notified: bool
    on_time: bool = False
    lead_time_working_days: int | None = None
    carried_out: bool = False
    monitored: bool = False
    phases: frozenset[RemovalPhase] = frozenset()
    unannounced_change: bool = False


@dataclass(frozen=True)
class DepartmentMonth:
    department: str
    month: str
    notices: int
    on_time: int
    late: int
    share_on_time: float | None
    median_lead_time_working_days: float | None
    missing: int
    removals: int
    monitored: int
    monitored_share: float | None
    phases_monitored: Mapping[RemovalPhase, int]
    unannounced_changes: int = 0


@dataclass(frozen=True)
class PublishedDepartmentMonth:
    department: str
    month: str
    notices: Count
    on_time: Count
    late: Count
    share_on_time: float | None
    median_lead_time_working_days: float | None
    missing: Count
    removals: Count
    monitored: Count
    monitored_share: float | None
    phases_monitored: Mapping[RemovalPhase, Count]
    unannounced_changes: Count = 0
    suppressed: tuple[str, ...] = field(default=())


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def tabulate(records: Iterable[RemovalRecord]) -> list[DepartmentMonth]:
    groups: dict[tuple[str, str], list[RemovalRecord]] = defaultdict(list)
    for record in records:
        groups[(record.department, record.month)].append(record)
    rows = []
    for (department, month), group in sorted(groups.items(), key=lambda item: (item[0][1], item[0][0])):
        notified = [r for r in group if r.notified]
        on_time = sum(1 for r in notified if r.on_time)
        leads = [r.lead_time_working_days for r in notified if r.lead_time_working_days is not None]
        carried_out = [r for r in group if r.carried_out]
        monitored = sum(1 for r in carried_out if r.monitored)
        rows.append(
            DepartmentMonth(
                department=department,
                month=month,
                notices=len(notified),
                on_time=on_time,
                late=len(notified) - on_time,
                share_on_time=_share(on_time, len(notified)),
                median_lead_time_working_days=float(statistics.median(leads)) if leads else None,
                missing=sum(1 for r in group if not r.notified),
                removals=len(carried_out),
                monitored=monitored,
                monitored_share=_share(monitored, len(carried_out)),
                phases_monitored={
                    phase: sum(1 for r in group if phase in r.phases) for phase in RemovalPhase
                },
                unannounced_changes=sum(1 for r in group if r.unannounced_change),
            )
        )
    return rows


def publish(row: DepartmentMonth) -> PublishedDepartmentMonth:
    """The row as it may be published: small figures suppressed, and what would reveal them."""
    suppressed: list[str] = []

    def count(name: str, value: int, *, also: bool = False) -> Count:
        if is_small(value) or (also and value > 0):
            suppressed.append(name)
            return SUPPRESSED
        return value

    def derived(name: str, value: float | None, *, hide: bool) -> float | None:
        if hide and value is not None:
            suppressed.append(name)
            return None
        return value

    on_time, late = suppress_parts([row.on_time, row.late])
    partition_hidden = SUPPRESSED in (on_time, late)
    for name, shown_value in (("on_time", on_time), ("late", late)):
        if shown_value == SUPPRESSED:
            suppressed.append(name)
    not_monitored = row.removals - row.monitored
    return PublishedDepartmentMonth(
        department=row.department,
        month=row.month,
        notices=count("notices", row.notices),
        on_time=on_time,
        late=late,
        share_on_time=derived("share_on_time", row.share_on_time, hide=partition_hidden),
        median_lead_time_working_days=derived(
            "median_lead_time_working_days", row.median_lead_time_working_days, hide=is_small(row.notices)
        ),
        missing=count("missing", row.missing),
        removals=count("removals", row.removals),
        monitored=count("monitored", row.monitored, also=is_small(not_monitored)),
        monitored_share=derived(
            "monitored_share",
            row.monitored_share,
            hide=is_small(row.monitored) or is_small(not_monitored),
        ),
        phases_monitored={
            phase: count(f"phases_monitored.{phase.value}", n) for phase, n in row.phases_monitored.items()
        },
        unannounced_changes=count("unannounced_changes", row.unannounced_changes),
        suppressed=tuple(suppressed),
    )
