"""What happened, against what the monitor was last told: the facts a notice names and their changes.

A notice names four facts the monitor's preparation rests on: the day of departure (in the monitor's
time zone), the transport, the escort and the destination. The Police report how a removal was
carried out (or attempted); when any of the four differs from the last revision the monitor had, the
revision that would have told it is missing, and the removal is judged anew against the lead-time
policy: the monitor learned of the removal as it happened only when the report arrived, so its lead
time counts from then to the day it happened (and is negative when it arrives after).

A revision of the plan is judged anew too when it changes a fact the monitor prepares by: an earlier
day, a transport that needs more notice, another escort or another destination (a later day alone
keeps the time already given).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handoff_schemas.events.common import Transport
from handoff_schemas.events.monitoring import FactChange, NoticeFact, RemovalHappening
from handoff_schemas.events.police import EscortLevel, RemovalFacts
from monitoring.domain.lead_time import LeadTime, LeadTimePolicy
from monitoring.domain.notice_facts import PlanFacts


@dataclass(frozen=True)
class Happened:
    """A removal carried out or aborted, with the facts the Police report it had (None: not said)."""

    happening: RemovalHappening
    at: datetime
    revision: int | None = None
    transport: Transport | None = None
    escort_level: EscortLevel | None = None
    destination_country: str | None = None

    @classmethod
    def of(cls, happening: RemovalHappening, at: datetime, facts: RemovalFacts | None) -> Happened:
        if facts is None:
            return cls(happening, at)
        return cls(
            happening, at, facts.revision, facts.transport, facts.escort_level, facts.destination_country
        )


@dataclass(frozen=True)
class Deviation:
    """The monitor's record of a removal that departed from its last notice."""

    happening: RemovalHappening
    happened_at: datetime
    notified_revision: int
    missing_revision: int
    changes: tuple[tuple[NoticeFact, str, str], ...]
    """(fact, as notified, as it happened)."""
    lead_time_working_days: int
    required_working_days: int

    @property
    def late(self) -> bool:
        return self.lead_time_working_days < self.required_working_days

    def fact_changes(self) -> list[FactChange]:
        return [FactChange(fact=f, notified=n, actual=a) for f, n, a in self.changes]


def _facts(plan: PlanFacts, policy: LeadTimePolicy) -> dict[NoticeFact, str]:
    return {
        NoticeFact.DAY: policy.local_date(plan.planned_departure).isoformat(),
        NoticeFact.TRANSPORT: plan.transport.value,
        NoticeFact.ESCORT_LEVEL: plan.escort_level.value,
        NoticeFact.DESTINATION_COUNTRY: plan.destination_country,
    }


def revised_facts(old: PlanFacts, new: PlanFacts, policy: LeadTimePolicy) -> list[NoticeFact]:
    """The notice's facts a revision changed."""
    before, after = _facts(old, policy), _facts(new, policy)
    return [fact for fact in NoticeFact if before[fact] != after[fact]]


def counts_anew(old: PlanFacts, new: PlanFacts, policy: LeadTimePolicy) -> bool:
    """A revision the monitor must prepare for again: the lead time counts from its arrival."""
    return (
        new.planned_departure < old.planned_departure
        or policy.required_for(new.transport) > policy.required_for(old.transport)
        or new.escort_level != old.escort_level
        or new.destination_country != old.destination_country
    )


def departure(
    notified: PlanFacts, revision: int, happened: Happened, *, now: datetime, policy: LeadTimePolicy
) -> Deviation | None:
    """How ``happened`` departs from the last notice (revision ``revision``); None if it does not."""
    told = _facts(notified, policy)
    actual = {
        NoticeFact.DAY: policy.local_date(happened.at).isoformat(),
        NoticeFact.TRANSPORT: happened.transport.value if happened.transport else None,
        NoticeFact.ESCORT_LEVEL: happened.escort_level.value if happened.escort_level else None,
        NoticeFact.DESTINATION_COUNTRY: happened.destination_country,
    }
    changes = tuple(
        (fact, told[fact], value)
        for fact, value in actual.items()
        if value is not None and value != told[fact]
    )
    if not changes:
        return None
    lead: LeadTime = policy.assess(now, happened.at, happened.transport or notified.transport)
    missing = (
        happened.revision if happened.revision is not None and happened.revision > revision else revision + 1
    )
    return Deviation(
        happening=happened.happening,
        happened_at=happened.at,
        notified_revision=revision,
        missing_revision=missing,
        changes=changes,
        lead_time_working_days=lead.working_days,
        required_working_days=lead.required,
    )
