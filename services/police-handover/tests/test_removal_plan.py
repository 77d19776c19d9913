"""The removal plan's lifecycle: only legal transitions succeed, each with exactly one event."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.common import AgeBand, Sex, Transport, Vulnerability
from handoff_schemas.events.police import (
    AbortReason,
    CancellationReason,
    EscortLevel,
    Precaution,
    PrecautionaryMeasure,
    PrecautionStatus,
    ReadmissionBasis,
    RemovalAbortedV1,
    RemovalExecutedV1,
    RemovalPlanCancelledV1,
    RemovalPlanCreatedV1,
    RemovalPlanUpdatedV1,
    Restraint,
)
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1
from police_handover.domain.enforcement_case import EnforcementCase, answer_handover
from police_handover.domain.errors import IllegalTransition
from police_handover.domain.inhibition import Inhibition, InhibitionSource
from police_handover.domain.removal_plan import TRANSITIONS, PlanDetails, PlanStatus, RemovalPlan
from police_handover.domain.rules import PoliceHandoverRules

pytestmark = pytest.mark.unit
EXAMPLE = Path(__file__).resolve().parents[3] / "shared/schemas/examples"
# The committed example package is complete on NOW.
EXAMPLE_PACKAGE: dict[str, Any] = json.loads(
    (EXAMPLE / "handoff.returns.case-handed-over-to-police.v1.json").read_text(encoding="utf-8")
)["data"]
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
POLICY = PoliceHandoverRules(
    departments=("POL-SYD", "POL-STOCKHOLM"),
    default_department="POL-STOCKHOLM",
    department_by_area={"12": "POL-SYD"},
    facilities={"FV-A": 2},
)


def case_for(package: CaseHandedOverToPoliceV1) -> EnforcementCase:
    case = answer_handover(package, now=NOW, rules=POLICY).case
    assert case is not None
    return case


def details(**changes: Any) -> PlanDetails:
    options: dict[str, Any] = {
        "destination_country": "IRQ",
        "readmission_basis": ReadmissionBasis.BILATERAL_READMISSION_AGREEMENT,
        "transport": Transport.SCHEDULED_FLIGHT,
        "escort_level": EscortLevel.ESCORTED_TO_DESTINATION,
        "planned_departure": NOW + timedelta(days=10),
        "responsible_department": "POL-SYD",
        "measure": PrecautionaryMeasure.NONE,
        "vulnerabilities": (Vulnerability.SERIOUS_ILLNESS,),
        "transit_countries": ("TUR",),
    }
    options.update(changes)
    return PlanDetails(**options)


@pytest.fixture
def case(package_at: Callable[..., CaseHandedOverToPoliceV1]) -> EnforcementCase:
    return case_for(package_at(NOW))


# --------------------------------------------------------------------------- the state machine

COMMANDS = st.lists(
    st.sampled_from(["update", "mark_done", "execute", "abort", "cancel", "noop_update"]),
    min_size=1,
    max_size=12,
)
EXPECTED_EVENT = {
    "update": RemovalPlanUpdatedV1,
    "mark_done": RemovalPlanUpdatedV1,
    "execute": RemovalExecutedV1,
    "abort": RemovalAbortedV1,
    "cancel": RemovalPlanCancelledV1,
}
TARGET = {
    "update": PlanStatus.UPDATED,
    "mark_done": PlanStatus.UPDATED,
    "noop_update": PlanStatus.UPDATED,
    "execute": PlanStatus.EXECUTED,
    "abort": PlanStatus.ABORTED,
    "cancel": PlanStatus.CANCELLED,
}


def run(plan: RemovalPlan, case: EnforcementCase, command: str, step: int) -> Any:
    if command == "update":
        return plan.update(
            case=case,
            changes={"planned_departure": plan.details.planned_departure + timedelta(hours=step + 1)},
            now=NOW,
            rules=POLICY,
        )
    if command == "noop_update":
        return plan.update(case=case, changes={"transport": plan.details.transport}, now=NOW, rules=POLICY)
    if command == "mark_done":
        return plan.update(
            case=case,
            changes={"precautions": dict.fromkeys(Precaution, PrecautionStatus.DONE)},
            now=NOW,
            rules=POLICY,
        )
    if command == "execute":
        return plan.execute(case=case, now=NOW, use_of_force=True, restraints_used=[Restraint.HANDCUFFS])
    if command == "abort":
        return plan.abort(reason=AbortReason.MEDICAL, at_departure=True, now=NOW)
    return plan.cancel(reason=CancellationReason.OTHER, now=NOW)


def snapshot(plan: RemovalPlan) -> tuple[Any, ...]:
    return (plan.status, plan.revision, plan.details, plan.execution, plan.ending, plan.updated_at)


@settings(max_examples=100, deadline=None)
@given(commands=COMMANDS, vulnerabilities=st.sets(st.sampled_from(Vulnerability)))
def test_no_illegal_transition_succeeds_and_each_legal_one_emits_exactly_one_event(
    commands: list[str], vulnerabilities: set[Vulnerability]
) -> None:
    package = CaseHandedOverToPoliceV1.model_validate(EXAMPLE_PACKAGE)
    case = case_for(package)
    plan, created = RemovalPlan.create(
        case=case, details=details(vulnerabilities=tuple(vulnerabilities)), now=NOW, rules=POLICY
    )
    assert isinstance(created, RemovalPlanCreatedV1)
    assert plan.status is PlanStatus.PLANNED

    for step, command in enumerate(commands):
        before = snapshot(plan)
        legal = TARGET[command] in TRANSITIONS[plan.status]
        pending = any(s is PrecautionStatus.PENDING for s in plan.details.precautions.values())
        all_done = all(s is PrecautionStatus.DONE for s in plan.details.precautions.values())
        try:
            event = run(plan, case, command, step)
        except IllegalTransition:
            assert not legal
            assert snapshot(plan) == before
            continue
        except Conflict:
            assert legal
            assert command == "execute"
            assert pending
            assert snapshot(plan) == before
            continue
        assert legal, f"{command} succeeded from {before[0]}"
        if command == "noop_update":
            assert event is None
            assert snapshot(plan) == before
            continue
        if command == "mark_done" and all_done:
            assert event is None  # nothing left to mark: no change, no event
            assert snapshot(plan) == before
            continue
        assert isinstance(event, EXPECTED_EVENT[command])
        assert plan.status is TARGET[command]
        assert type(event).model_validate_json(event.model_dump_json()) == event
        if isinstance(event, RemovalPlanUpdatedV1):
            assert event.revision == plan.revision == before[1] + 1
            assert event.changed_fields


def test_the_plan_knows_its_legal_transitions() -> None:
    finals = {PlanStatus.EXECUTED, PlanStatus.ABORTED, PlanStatus.CANCELLED}
    for status in finals:
        assert TRANSITIONS[status] == frozenset()
    for status in (PlanStatus.PLANNED, PlanStatus.UPDATED):
        assert TRANSITIONS[status] == {PlanStatus.UPDATED, *finals}


# --------------------------------------------------------------------------- what the monitor sees


def test_the_created_event_carries_bands_not_personal_data(case: EnforcementCase) -> None:
    _plan, event = RemovalPlan.create(case=case, details=details(), now=NOW, rules=POLICY)

    assert event.age_band is AgeBand.AGE_26_64
    assert event.minor is False
    assert event.sex is Sex.MALE
    assert event.nationality == "IRQ"
    statuses = {check.precaution: check.status for check in event.precautions}
    assert statuses == {
        Precaution.RECOVERY_TIME_AFTER_MEDICAL_PROCEDURE: PrecautionStatus.PENDING,
        Precaution.MEDICINES_AND_PATIENT_RECORDS_PACKED: PrecautionStatus.PENDING,
        Precaution.VICTIM_OF_TRAFFICKING_CONSIDERED: PrecautionStatus.NOT_APPLICABLE,
        Precaution.BEST_INTERESTS_OF_CHILD_ASSESSED: PrecautionStatus.NOT_APPLICABLE,
        Precaution.CHILD_PROTECTION_OR_HEALTH_CARE_MEASURES_KNOWN: PrecautionStatus.PENDING,
    }
    dumped = event.model_dump_json()
    for personal in ("Testi", "1989-04-01", "TEST00001", "Testgatan", "211 00"):
        assert personal not in dumped


def test_a_minor_gets_the_child_precautions_and_the_band_follows_the_departure_date(
    package_doc: Callable[..., dict[str, Any]],
) -> None:
    document = package_doc(NOW, vulnerabilities=["unaccompanied_minor"])
    document["identity"]["date_of_birth"] = "2008-12-01"  # 18 on 1 December 2026
    case = case_for(CaseHandedOverToPoliceV1.model_validate(document))

    plan, event = RemovalPlan.create(
        case=case,
        details=details(vulnerabilities=(), planned_departure=NOW + timedelta(days=7)),
        now=NOW,
        rules=POLICY,
    )
    assert (event.age_band, event.minor) == (AgeBand.AGE_12_17, True)
    statuses = {check.precaution: check.status for check in event.precautions}
    assert statuses[Precaution.BEST_INTERESTS_OF_CHILD_ASSESSED] is PrecautionStatus.PENDING

    later = plan.update(
        case=case, changes={"planned_departure": datetime(2026, 12, 1, 8, tzinfo=UTC)}, now=NOW, rules=POLICY
    )
    assert later is not None
    assert (later.age_band, later.minor) == (AgeBand.AGE_18_25, False)
    assert {"planned_departure", "age_band", "minor"} <= set(later.changed_fields)


def test_an_applicable_precaution_cannot_be_waved_away(case: EnforcementCase) -> None:
    with pytest.raises(InvalidInput) as error:
        RemovalPlan.create(
            case=case,
            details=details(
                precautions={
                    Precaution.RECOVERY_TIME_AFTER_MEDICAL_PROCEDURE: PrecautionStatus.NOT_APPLICABLE
                }
            ),
            now=NOW,
            rules=POLICY,
        )
    assert error.value.field == "precautions.recovery_time_after_medical_procedure"


def test_execution_waits_for_every_precaution_and_records_force(case: EnforcementCase) -> None:
    plan, _ = RemovalPlan.create(case=case, details=details(), now=NOW, rules=POLICY)
    with pytest.raises(Conflict, match="precautions still pending"):
        plan.execute(case=case, now=NOW, use_of_force=False)
    plan.update(
        case=case,
        changes={"precautions": dict.fromkeys(Precaution, PrecautionStatus.DONE)},
        now=NOW,
        rules=POLICY,
    )
    with pytest.raises(InvalidInput) as error:
        plan.execute(case=case, now=NOW, use_of_force=False, restraints_used=[Restraint.HANDCUFFS])
    assert error.value.field == "use_of_force"

    event = plan.execute(
        case=case,
        now=NOW,
        use_of_force=True,
        restraints_used=[Restraint.HANDCUFFS],
        incidents=["delay_at_transit"],
    )
    assert event.restraints_used == [Restraint.HANDCUFFS]
    assert event.incidents == ["delay_at_transit"]
    with pytest.raises(IllegalTransition):
        plan.cancel(reason=CancellationReason.OTHER, now=NOW)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"planned_departure": NOW - timedelta(minutes=1)}, "planned_departure"),
        ({"planned_departure": datetime(2031, 1, 1, tzinfo=UTC)}, "planned_departure"),
        ({"responsible_department": "POL-MARS"}, "responsible_department"),
        ({"destination_country": "XXX"}, "destination_country"),
        ({"transit_countries": ("IRQ",)}, "transit_countries"),
        ({"transit_countries": ("TUR", "TUR")}, "transit_countries"),
    ],
    ids=["past", "after-lapse", "department", "destination", "transit-is-destination", "transit-twice"],
)
def test_invalid_details_name_their_field(case: EnforcementCase, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        RemovalPlan.create(case=case, details=details(**changes), now=NOW, rules=POLICY)
    assert error.value.field == field


def test_nothing_proceeds_while_an_inhibition_is_in_force(case: EnforcementCase) -> None:
    plan, _ = RemovalPlan.create(case=case, details=details(), now=NOW, rules=POLICY)
    stay = Inhibition(
        "INH-X", case.application_id, "MIGD-MALMO", date(2026, 11, 23), None, InhibitionSource.INTAKE
    )
    assert case.record_inhibition(stay) is True
    assert case.status.value == "suspended"

    with pytest.raises(Conflict, match="suspended"):
        RemovalPlan.create(case=case, details=details(), now=NOW, rules=POLICY)
    with pytest.raises(Conflict, match="suspended"):
        plan.update(case=case, changes={"transport": Transport.CHARTER}, now=NOW, rules=POLICY)
    cancelled = plan.cancel(reason=CancellationReason.INHIBITION_ORDERED, now=NOW)
    assert cancelled.reason is CancellationReason.INHIBITION_ORDERED

    case.record_inhibition(
        Inhibition(
            "INH-X",
            case.application_id,
            "MIGD-MALMO",
            date(2026, 11, 23),
            date(2026, 11, 24),
            InhibitionSource.INTAKE,
        )
    )
    assert not case.suspended
    RemovalPlan.create(case=case, details=details(), now=NOW, rules=POLICY)


def test_the_monitors_feedback_keeps_the_latest_decision_and_every_report() -> None:
    from handoff_schemas.events.monitoring import (
        MonitoringDecision,
        MonitoringDecisionMadeV1,
        MonitoringDecisionReason,
        MonitoringReportFiledV1,
        NoticeMissingV1,
    )
    from police_handover.domain.monitoring import MonitorFeedback

    feedback = MonitorFeedback(plan_id="PL-1")

    def decision(at: datetime, decided: MonitoringDecision) -> MonitoringDecisionMadeV1:
        return MonitoringDecisionMadeV1(
            notice_id="N-1",
            plan_id="PL-1",
            decision=decided,
            monitors=["MON-1"] if decided is MonitoringDecision.MONITOR else [],
            decided_at=at,
            reason=MonitoringDecisionReason.SAMPLE,
        )

    feedback.decided(decision(NOW, MonitoringDecision.MONITOR))
    feedback.decided(
        decision(NOW - timedelta(hours=1), MonitoringDecision.NOT_MONITOR)
    )  # older, arrives late
    assert feedback.decision is not None
    assert feedback.decision.decision == "monitor"
    for _ in range(2):
        feedback.reported(
            MonitoringReportFiledV1(report_id="R-1", plan_id="PL-1", filed_at=NOW, published=False)
        )
    assert len(feedback.reports) == 1
    feedback.flagged_missing(
        NoticeMissingV1(
            plan_id="PL-1",
            responsible_department="POL-SYD",
            executed_or_aborted_at=NOW,
            first_seen_event_type="handoff.police.removal-executed.v1",
        )
    )
    assert feedback.missing_notice_at == NOW
