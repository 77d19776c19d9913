"""The decision on an asylum application: a grant with a residence permit, or a refusal with a
removal order, and when such a refusal becomes enforceable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.common import AgeBand, PermitType, RemovalOrderKind, SettlementNeed
from handoff_schemas.events.intake import DecisionOutcome
from intake.domain.rules import IntakeRules


class ApplicationStatus(StrEnum):
    UNDECIDED = "undecided"
    GRANTED = "granted"
    REFUSED = "refused"
    """Refused, not (yet) enforceable."""
    ENFORCEABLE = "enforceable"
    """Refused, and the removal order is enforceable."""


@dataclass(frozen=True)
class Household:
    """The household settling together, described without personal data."""

    size: int
    age_bands: tuple[AgeBand, ...] = ()
    needs_municipal_place: bool = False
    special_needs: tuple[SettlementNeed, ...] = ()


@dataclass(frozen=True)
class Grant:
    """What a granting decision says: the permit and the household it settles."""

    permit_type: PermitType
    household: Household
    valid_from: date | None = None
    """Default: the decision date."""
    valid_until: date | None = None
    """Required for a temporary permit; none for a permanent one."""


@dataclass(frozen=True)
class Refusal:
    """What a refusal says: the removal order, where to, and whether it is enforced at once."""

    removal_order: RemovalOrderKind
    destination_country: str
    immediate_enforcement: bool = False


@dataclass(frozen=True)
class ResidencePermit:
    permit_id: str
    permit_type: PermitType
    valid_from: date
    valid_until: date | None
    household: Household


@dataclass
class Decision:
    decision_id: str
    decided_on: date
    recorded_at: datetime
    permit: ResidencePermit | None = None
    refusal: Refusal | None = None
    enforceable_on: date | None = None
    appeal_waived: bool | None = None
    enforceability_recorded_at: datetime | None = None
    legal_force_on: date | None = None
    """The day the decision gained legal force: the day it became enforceable, unless it was
    enforced at once (immediate enforcement), when it may come later or be unknown yet."""
    decided_by: str | None = None
    """The authority or court whose decision is enforced (the last instance if appealed)."""

    def __post_init__(self) -> None:
        if (self.permit is None) == (self.refusal is None):
            raise ValueError("a decision either grants a permit or refuses with a removal order")

    @property
    def outcome(self) -> DecisionOutcome:
        return DecisionOutcome.GRANTED if self.permit is not None else DecisionOutcome.REFUSED

    @property
    def status(self) -> ApplicationStatus:
        if self.permit is not None:
            return ApplicationStatus.GRANTED
        return ApplicationStatus.ENFORCEABLE if self.enforceable_on is not None else ApplicationStatus.REFUSED

    def make_enforceable(
        self,
        *,
        enforceable_on: date,
        appeal_waived: bool,
        today: date,
        now: datetime,
        rules: IntakeRules,
        legal_force_on: date | None = None,
        decided_by: str | None = None,
    ) -> Refusal:
        """Record the date the removal order became enforceable; returns the refusal enforced.

        Raises Conflict for a grant or a second, different date; a repeat of the same
        date is the caller's to treat as done (see ``already_enforceable_on``).
        """
        if self.refusal is None:
            raise Conflict(
                f"decision {self.decision_id} granted a residence permit: a grant has no removal order "
                "to enforce; only refusals become enforceable"
            )
        if self.enforceable_on is not None:
            raise Conflict(
                f"decision {self.decision_id} is already enforceable since "
                f"{self.enforceable_on.isoformat()}; "
                "a decision becomes enforceable only once"
            )
        check_enforceable_on(
            enforceable_on,
            decided_on=self.decided_on,
            immediate_enforcement=self.refusal.immediate_enforcement,
            appeal_waived=appeal_waived,
            today=today,
            rules=rules,
        )
        self.legal_force_on = legal_force(
            legal_force_on,
            enforceable_on,
            immediate_enforcement=self.refusal.immediate_enforcement,
            today=today,
        )
        self.enforceable_on = enforceable_on
        self.appeal_waived = appeal_waived
        self.enforceability_recorded_at = now
        self.decided_by = decided_by or rules.deciding_authority
        return self.refusal


def legal_force(
    given: date | None, enforceable_on: date, *, immediate_enforcement: bool, today: date
) -> date | None:
    """The day of legal force: the day of enforceability, unless enforced at once (then as given)."""
    if not immediate_enforcement:
        if given is not None and given != enforceable_on:
            raise InvalidInput(
                "legal_force_on",
                "without immediate enforcement the refusal becomes enforceable the day it gains legal force "
                f"({enforceable_on.isoformat()})",
            )
        return enforceable_on
    if given is not None and not enforceable_on <= given <= today:
        raise InvalidInput(
            "legal_force_on",
            f"must lie from the day of enforceability ({enforceable_on.isoformat()}) to today "
            f"({today.isoformat()})",
        )
    return given


def earliest_enforceable_on(
    decided_on: date, *, immediate_enforcement: bool, appeal_waived: bool, rules: IntakeRules
) -> date:
    """The first day a refusal can be enforceable.

    Under immediate enforcement: the decision date. Otherwise the decision must gain legal
    force, which it cannot do before the appeal period has run from the decision date, unless
    the applicant waived appeal.
    """
    if immediate_enforcement or appeal_waived:
        return decided_on
    return decided_on + timedelta(days=rules.appeal_period_days)


def check_enforceable_on(
    enforceable_on: date,
    *,
    decided_on: date,
    immediate_enforcement: bool,
    appeal_waived: bool,
    today: date,
    rules: IntakeRules,
) -> None:
    """Refuse a date a removal order cannot have become enforceable on, naming the rule broken.

    A wrong date copied between agencies once kept a person in detention for 13 days without
    a legal ground: the date is checked here before anyone else acts on it.
    """
    when = enforceable_on.isoformat()
    if enforceable_on > today:
        raise InvalidInput(
            "enforceable_on",
            f"{when} is in the future (today is {today.isoformat()}): record the date the decision "
            "became enforceable once it has",
        )
    if enforceable_on < decided_on:
        raise InvalidInput(
            "enforceable_on",
            f"{when} is before the decision date {decided_on.isoformat()}: a decision cannot be "
            "enforceable before it was made",
        )
    earliest = earliest_enforceable_on(
        decided_on, immediate_enforcement=immediate_enforcement, appeal_waived=appeal_waived, rules=rules
    )
    if enforceable_on < earliest:
        raise InvalidInput(
            "enforceable_on",
            f"{when} is too early: a refusal without immediate enforcement gains legal force no earlier "
            f"than the end of the appeal period of {rules.appeal_period_days} days from the decision "
            f"date {decided_on.isoformat()}, that is on {earliest.isoformat()} or later, unless the "
            "applicant waived appeal (appeal_waived: true)",
        )


def permit_for(grant: Grant, *, permit_id: str, decided_on: date) -> ResidencePermit:
    """The residence permit a grant issues, checked for consistency (fields named in errors)."""
    valid_from = grant.valid_from or decided_on
    if valid_from < decided_on:
        raise InvalidInput(
            "valid_from",
            f"{valid_from.isoformat()} is before the decision date {decided_on.isoformat()}",
        )
    if grant.permit_type is PermitType.PERMANENT and grant.valid_until is not None:
        raise InvalidInput("valid_until", "a permanent permit has no end date")
    if grant.permit_type is PermitType.TEMPORARY and grant.valid_until is None:
        raise InvalidInput("valid_until", "a temporary permit needs the last day it is valid")
    if grant.valid_until is not None and grant.valid_until < valid_from:
        raise InvalidInput(
            "valid_until",
            f"{grant.valid_until.isoformat()} is before the permit is valid from ({valid_from.isoformat()})",
        )
    household = grant.household
    if household.size < 1:
        raise InvalidInput("household.size", "a household has at least the permit holder")
    if len(household.age_bands) > household.size:
        raise InvalidInput(
            "household.age_bands",
            f"{len(household.age_bands)} age bands for a household of {household.size}: "
            "at most one per member",
        )
    return ResidencePermit(
        permit_id=permit_id,
        permit_type=grant.permit_type,
        valid_from=valid_from,
        valid_until=grant.valid_until,
        household=Household(
            size=household.size,
            age_bands=tuple(household.age_bands),
            needs_municipal_place=household.needs_municipal_place,
            special_needs=tuple(sorted(set(household.special_needs))),
        ),
    )


def check_refusal(refusal: Refusal) -> None:
    if refusal.immediate_enforcement and refusal.removal_order is not RemovalOrderKind.REFUSAL_OF_ENTRY:
        raise InvalidInput(
            "immediate_enforcement",
            "immediate enforcement applies only to a refusal of entry (removal_order: refusal_of_entry); "
            "an expulsion is enforceable only once it has gained legal force",
        )
