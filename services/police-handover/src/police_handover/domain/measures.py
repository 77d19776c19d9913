"""Precautionary measures securing a removal: detention, the last resort, and the lighter ones.

Detention is ordered on a ground at a facility with limited places (no order over
capacity), reviewed on configured intervals and ended; an unaccompanied minor is detained
only with a recorded reason why no lighter measure suffices. Lighter measures (reporting
duty, surrender of passport, residence requirement, guarantee) are recorded and counted
too (docs/domain.md, seed 004). Nothing is ordered while the case is suspended or closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.police import (
    DetentionEndedV1,
    DetentionEndReason,
    DetentionGround,
    DetentionOrderedV1,
    PrecautionaryMeasure,
)
from handoff_schemas.events.police_measures import (
    DetentionReviewedV1,
    LighterMeasureEndedV1,
    LighterMeasureEndReason,
    LighterMeasureKind,
    LighterMeasureOrderedV1,
)
from police_handover.domain.enforcement_case import EnforcementCase
from police_handover.domain.errors import IllegalTransition
from police_handover.domain.references import new_reference
from police_handover.domain.rules import PoliceHandoverRules

CLOCK_SKEW = timedelta(minutes=5)


__all__ = ["Detention", "LighterMeasure", "LighterMeasureEndReason", "LighterMeasureKind", "current_measure"]


def _check_past(field_name: str, at: datetime, now: datetime, not_before: datetime | None = None) -> None:
    if at.tzinfo is None:
        raise InvalidInput(field_name, "needs a time zone")
    if at > now + CLOCK_SKEW:
        raise InvalidInput(field_name, "is in the future")
    if not_before is not None and at < not_before - CLOCK_SKEW:
        raise InvalidInput(field_name, "is before the measure was ordered")


def _check_order_date(case: EnforcementCase, ordered_at: datetime, now: datetime) -> None:
    _check_past("ordered_at", ordered_at, now)
    if ordered_at.date() < case.enforceable_on:
        raise InvalidInput("ordered_at", "is before the removal order became enforceable")


def check_capacity(rules: PoliceHandoverRules, facility: str, occupied: int) -> int:
    """The facility's capacity; :class:`Conflict` if it has no free place."""
    capacity = rules.capacity_of(facility)
    if occupied >= capacity:
        raise Conflict(f"detention facility {facility} is full ({occupied} of {capacity} places taken)")
    return capacity


@dataclass
class Detention:
    detention_id: str
    enforcement_case_id: str
    return_case_id: str
    facility: str
    ground: DetentionGround
    ordered_at: datetime
    review_due_on: date
    minor: bool
    unaccompanied_minor_reason: str | None = None
    reviews: list[date] = field(default_factory=list)
    ended_at: datetime | None = None
    end_reason: DetentionEndReason | None = None

    @property
    def active(self) -> bool:
        return self.ended_at is None

    @classmethod
    def order(
        cls,
        *,
        case: EnforcementCase,
        facility: str,
        ground: DetentionGround,
        now: datetime,
        rules: PoliceHandoverRules,
        occupied: int,
        case_detained: bool,
        ordered_at: datetime | None = None,
        unaccompanied_minor_reason: str | None = None,
    ) -> tuple[Detention, DetentionOrderedV1]:
        ordered_at = ordered_at or now
        _check_order_date(case, ordered_at, now)
        case.ensure_can_proceed(now.date())
        rules.capacity_of(facility)
        reason = (unaccompanied_minor_reason or "").strip() or None
        day = ordered_at.date()
        minor = case.person.minor_on(day)
        if case.person.unaccompanied_minor_on(day) and reason is None:
            raise InvalidInput(
                "unaccompanied_minor_reason",
                "an unaccompanied minor is detained only as a last resort: record why no lighter measure "
                "suffices",
            )
        if reason is not None and not minor:
            raise InvalidInput("unaccompanied_minor_reason", "is recorded only for a minor")
        if case_detained:
            raise Conflict(f"enforcement case {case.enforcement_case_id} already has a detention in force")
        check_capacity(rules, facility, occupied)
        detention = cls(
            detention_id=new_reference("DET"),
            enforcement_case_id=case.enforcement_case_id,
            return_case_id=case.return_case_id,
            facility=facility,
            ground=ground,
            ordered_at=ordered_at,
            review_due_on=rules.review_due(day, []),
            minor=minor,
            unaccompanied_minor_reason=reason,
        )
        return detention, DetentionOrderedV1(
            return_case_id=detention.return_case_id,
            enforcement_case_id=detention.enforcement_case_id,
            detention_id=detention.detention_id,
            ground=ground,
            facility=facility,
            ordered_at=ordered_at,
            review_due_on=detention.review_due_on,
            minor=minor,
            unaccompanied_minor_reason=reason,
        )

    def review(self, *, reviewed_on: date, now: datetime, rules: PoliceHandoverRules) -> date:
        """Record a review (detention continues); returns when the next one is due."""
        if not self.active:
            raise IllegalTransition(f"detention {self.detention_id} has ended")
        last = self.reviews[-1] if self.reviews else self.ordered_at.date()
        if reviewed_on < last:
            raise InvalidInput("reviewed_on", f"is before the last review or the order ({last})")
        if reviewed_on > now.date():
            raise InvalidInput("reviewed_on", "is in the future")
        self.reviews.append(reviewed_on)
        self.review_due_on = rules.review_due(self.ordered_at.date(), self.reviews)
        return self.review_due_on

    def reviewed_event(self) -> DetentionReviewedV1:
        """The last review, as the monitor learns it: the detention goes on until the next one."""
        return DetentionReviewedV1(
            return_case_id=self.return_case_id,
            detention_id=self.detention_id,
            reviewed_on=self.reviews[-1],
            review_number=len(self.reviews),
            next_review_due_on=self.review_due_on,
        )

    def end(
        self, *, reason: DetentionEndReason, now: datetime, ended_at: datetime | None = None
    ) -> DetentionEndedV1:
        if not self.active:
            raise IllegalTransition(f"detention {self.detention_id} has ended already")
        ended_at = ended_at or now
        _check_past("ended_at", ended_at, now, not_before=self.ordered_at)
        self.ended_at = ended_at
        self.end_reason = reason
        return DetentionEndedV1(
            return_case_id=self.return_case_id,
            detention_id=self.detention_id,
            ended_at=ended_at,
            reason=reason,
        )

    def overdue_review(self, today: date) -> bool:
        return self.active and self.review_due_on < today


@dataclass
class LighterMeasure:
    measure_id: str
    enforcement_case_id: str
    kind: LighterMeasureKind
    ordered_at: datetime
    note: str | None = None
    ended_at: datetime | None = None
    end_reason: LighterMeasureEndReason | None = None

    @property
    def active(self) -> bool:
        return self.ended_at is None

    @classmethod
    def order(
        cls,
        *,
        case: EnforcementCase,
        kind: LighterMeasureKind,
        now: datetime,
        active_kinds: set[LighterMeasureKind],
        ordered_at: datetime | None = None,
        note: str | None = None,
    ) -> LighterMeasure:
        ordered_at = ordered_at or now
        _check_order_date(case, ordered_at, now)
        case.ensure_can_proceed(now.date())
        if kind in active_kinds:
            raise Conflict(f"enforcement case {case.enforcement_case_id} already has a {kind.value} in force")
        return cls(
            measure_id=new_reference("LM"),
            enforcement_case_id=case.enforcement_case_id,
            kind=kind,
            ordered_at=ordered_at,
            note=note,
        )

    def end(
        self, *, reason: LighterMeasureEndReason, now: datetime, ended_at: datetime | None = None
    ) -> None:
        if not self.active:
            raise IllegalTransition(f"measure {self.measure_id} has ended already")
        ended_at = ended_at or now
        _check_past("ended_at", ended_at, now, not_before=self.ordered_at)
        self.ended_at = ended_at
        self.end_reason = reason

    def ordered_event(self, case: EnforcementCase) -> LighterMeasureOrderedV1:
        return LighterMeasureOrderedV1(
            return_case_id=case.return_case_id,
            enforcement_case_id=self.enforcement_case_id,
            measure_id=self.measure_id,
            kind=self.kind,
            ordered_at=self.ordered_at,
        )

    def ended_event(self, case: EnforcementCase) -> LighterMeasureEndedV1:
        assert self.ended_at is not None, "the measure has not ended"
        assert self.end_reason is not None, "the measure has not ended"
        return LighterMeasureEndedV1(
            return_case_id=case.return_case_id,
            measure_id=self.measure_id,
            kind=self.kind,
            ended_at=self.ended_at,
            reason=self.end_reason,
        )


def current_measure(detained: bool, lighter: list[LighterMeasureKind]) -> PrecautionaryMeasure:
    """The measure a plan shows by default: detention first, else the first lighter measure in force."""
    if detained:
        return PrecautionaryMeasure.DETENTION
    if lighter:
        return PrecautionaryMeasure(sorted(lighter)[0].value)
    return PrecautionaryMeasure.NONE
