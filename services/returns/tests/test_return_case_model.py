"""The return case aggregate and its targets, driven without any framework."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.common import IdentityCategory, RemovalOrderKind, Sex
from handoff_schemas.events.identity import PersonIdentity
from handoff_schemas.events.intake import DecisionOutcome, Vulnerability
from handoff_schemas.events.returns import (
    DignifiedReturnEvaluation,
    EvaluationAnswer,
    HandoverGround,
    ReturnStance,
)
from returns.domain.applicant import DecisionRecord, Dossier, KnownApplication, RecordedIdentity
from returns.domain.case_state import CaseStatus
from returns.domain.counselling import CounsellingMeeting
from returns.domain.errors import IncompletePackage, Missing
from returns.domain.follow_up import MeasuredItem, aggregate_evaluations, follow_up
from returns.domain.handover_package import package as handover_package
from returns.domain.inhibitions import InhibitionRegister
from returns.domain.return_case import ReturnCase
from returns.domain.rules import ReturnsRules
from returns.domain.targets import ItemState, Target, TargetItem
from returns.domain.whereabouts import Address

pytestmark = pytest.mark.unit
RULES = ReturnsRules()
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))


def new_case(
    *,
    enforceable_on: date = date(2026, 11, 2),
    minor: bool = False,
    register: InhibitionRegister | None = None,
) -> ReturnCase:
    application = KnownApplication(
        application_id="APP-1",
        person_ref="P-1",
        lodged_on=date(2026, 1, 5),
        dublin_case=False,
        vulnerabilities=(Vulnerability.UNACCOMPANIED_MINOR,) if minor else (),
        learned_at=NOW,
    )
    case, _ = ReturnCase.open(
        application_id="APP-1",
        decision_id="DEC-1",
        person_ref="P-1",
        removal_order=RemovalOrderKind.EXPULSION,
        immediate_enforcement=False,
        enforceable_on=enforceable_on,
        destination_country="IRQ",
        application=application,
        inhibitions=register or InhibitionRegister("APP-1"),
        rules=RULES,
        now=NOW,
    )
    return case


def dossier(*, identity: bool = True, decisions: bool = True) -> Dossier:
    return Dossier(
        application=KnownApplication("APP-1", "P-1", date(2026, 1, 5), False, (), NOW),
        identity=RecordedIdentity(
            application_id="APP-1",
            person_ref="P-1",
            identity=PersonIdentity(
                full_name="A Person",
                date_of_birth=date(1990, 1, 1),
                sex=Sex.MALE,
                nationality="IRQ",
                identity_category=IdentityCategory.UNDOCUMENTED,
            ),
            recorded_at=NOW,
        )
        if identity
        else None,
        decisions=(
            DecisionRecord("DEC-1", "APP-1", date(2026, 10, 1), "MIGRATIONSVERKET", DecisionOutcome.REFUSED),
        )
        if decisions
        else (),
    )


def meeting(number: int = 1, held_on: date = date(2026, 11, 10), **kw: object) -> CounsellingMeeting:
    return CounsellingMeeting(
        meeting_number=number,
        held_on=held_on,
        language="ar",
        interpreter_used=True,
        stance=ReturnStance.REFUSES,
        **kw,  # type: ignore[arg-type]
    )


ADDRESS = Address(street_address="Storgatan 1", municipality_code="1280", known_on=date(2026, 11, 1))


# ---------------------------------------------------------------------- opening and deadlines


def test_an_opened_case_computes_its_deadlines_from_enforceability() -> None:
    case, opened = ReturnCase.open(
        application_id="APP-1",
        decision_id="DEC-1",
        person_ref="P-1",
        removal_order=RemovalOrderKind.REFUSAL_OF_ENTRY,
        immediate_enforcement=True,
        enforceable_on=date(2026, 12, 10),
        destination_country="IRQ",
        application=None,
        inhibitions=InhibitionRegister("APP-1"),
        rules=RULES,
        now=NOW,
    )
    assert opened.first_counselling_due == date(2026, 12, 28)
    assert opened.case_due == date(2027, 2, 10)
    assert opened.departure_due == date(2026, 12, 28)
    assert case.order_lapses_on == date(2030, 12, 10)
    assert case.unit == "unassigned"
    assert not opened.unaccompanied_minor  # unknown application: the stricter two months


def test_an_unaccompanied_minor_gets_five_months() -> None:
    assert new_case(minor=True).case_closure_due == date(2027, 4, 2)
    assert new_case().case_closure_due == date(2027, 1, 4)


# ---------------------------------------------------------------------- target items


@st.composite
def items(draw: st.DrawFn) -> TargetItem:
    due = draw(days)
    met = draw(st.none() | days)
    stopped = None if met else draw(st.none() | days)
    return TargetItem(Target.DEPARTURE, "x", due, met_on=met, stopped_on=stopped)


@given(items(), days, st.none() | days)
def test_an_item_is_late_only_past_its_due_day_and_only_while_in_reception(
    item: TargetItem, as_of: date, left_on: date | None
) -> None:
    state = item.state(as_of)
    late = item.days_late(as_of, reception_ended_on=left_on)
    assert late >= 0
    assert late <= max(0, (as_of - item.due_on).days)
    if state in (ItemState.MET_ON_TIME, ItemState.NOT_YET_DUE):
        assert late == 0
    if state is ItemState.OVERDUE:
        assert as_of > item.due_on
        assert late == max(0, (min(as_of, left_on or as_of) - item.due_on).days)
    if left_on is not None:
        assert late <= max(0, (left_on - item.due_on).days)


def test_target_items_follow_what_was_recorded() -> None:
    case = new_case()
    case.record_counselling(meeting(held_on=date(2026, 11, 20)), today=TODAY)  # due 16 Nov: 4 days late
    case.order_travel(ordered_on=date(2026, 11, 20), today=TODAY, rules=RULES)  # Friday: due Monday 23
    by_target = {item.target: item for item in case.target_items()}
    assert by_target[Target.FIRST_COUNSELLING].state(TODAY) is ItemState.MET_LATE
    assert by_target[Target.FIRST_COUNSELLING].days_late(TODAY) == 4
    assert by_target[Target.TRAVEL_BOOKING].due_on == date(2026, 11, 23)
    assert by_target[Target.TRAVEL_BOOKING].state(TODAY) is ItemState.NOT_YET_DUE
    assert by_target[Target.TRAVEL_BOOKING].state(TODAY + timedelta(1)) is ItemState.OVERDUE
    case.record_departure(departed_on=TODAY, destination_country=None, today=TODAY)
    by_target = {item.target: item for item in case.target_items()}
    assert by_target[Target.DEPARTURE].state(TODAY) is ItemState.MET_ON_TIME
    assert by_target[Target.CASE_CLOSURE].met_on == TODAY
    assert by_target[Target.TRAVEL_BOOKING].state(TODAY) is ItemState.NO_LONGER_APPLICABLE


def test_the_follow_up_counts_items_per_target_unit_and_month_and_prices_the_delay() -> None:
    as_of = date(2026, 12, 10)
    report = follow_up(
        [
            MeasuredItem(
                TargetItem(Target.FIRST_COUNSELLING, "a", date(2026, 11, 16), met_on=date(2026, 11, 16)), "U1"
            ),
            MeasuredItem(
                TargetItem(Target.FIRST_COUNSELLING, "b", date(2026, 11, 20), met_on=date(2026, 11, 25)), "U1"
            ),
            MeasuredItem(TargetItem(Target.FIRST_COUNSELLING, "c", date(2026, 11, 30)), "U1"),
            # absconded on 5 December: no longer in reception, so no cost after that
            MeasuredItem(
                TargetItem(Target.FIRST_COUNSELLING, "d", date(2026, 11, 30)), "U1", date(2026, 12, 5)
            ),
            MeasuredItem(TargetItem(Target.FIRST_COUNSELLING, "e", date(2026, 12, 20)), "U1"),
            MeasuredItem(TargetItem(Target.FIRST_COUNSELLING, "f", date(2026, 11, 2)), "U2"),
        ],
        as_of=as_of,
        cost_per_day=380,
    )
    lines = {(line.unit, line.month): line for line in report}
    november = lines[("U1", "2026-11")]
    assert (november.due, november.met_on_time, november.met_late, november.overdue) == (4, 1, 1, 2)
    assert november.person_days_past_target == 5 + 10 + 5
    assert november.cost_of_delay == 20 * 380
    december = lines[("U1", "2026-12")]
    assert (december.due, december.not_yet_due, december.cost_of_delay) == (1, 1, 0)
    assert lines[("U2", "2026-11")].person_days_past_target == 38


def test_evaluation_answers_are_aggregated_per_question() -> None:
    summary = aggregate_evaluations(
        [
            DignifiedReturnEvaluation(understood_decision=EvaluationAnswer.YES),
            DignifiedReturnEvaluation(
                understood_decision=EvaluationAnswer.NO, treated_with_respect=EvaluationAnswer.YES
            ),
            None,  # a last meeting where the evaluation was not asked
        ]
    )
    assert summary.last_meetings == 3
    assert summary.answers["understood_decision"] == {
        "yes": 1,
        "partly": 0,
        "no": 1,
        "declined_to_answer": 0,
        "unanswered": 1,
    }
    assert summary.answers["treated_with_respect"]["unanswered"] == 2


# ---------------------------------------------------------------------- state guards


def test_counselling_meetings_come_in_order_and_the_evaluation_only_at_the_last() -> None:
    case = new_case()
    case.record_counselling(meeting(1), today=TODAY)
    with pytest.raises(Conflict) as again:
        case.record_counselling(meeting(1), today=TODAY)
    assert again.value.reason == "meeting_already_recorded"
    with pytest.raises(InvalidInput) as skipped:
        case.record_counselling(meeting(3), today=TODAY)
    assert skipped.value.field == "meeting_number"
    with pytest.raises(InvalidInput) as earlier:
        case.record_counselling(meeting(2, held_on=date(2026, 11, 9)), today=TODAY)
    assert earlier.value.field == "held_on"
    case.record_counselling(meeting(2, held_on=date(2026, 11, 20), is_last_meeting=True), today=TODAY)
    with pytest.raises(Conflict) as after_last:
        case.record_counselling(meeting(3, held_on=date(2026, 11, 21)), today=TODAY)
    assert after_last.value.reason == "last_meeting_held"


def test_a_departure_closes_the_case_and_a_second_one_is_a_conflict() -> None:
    case = new_case()
    case.record_departure(departed_on=TODAY, destination_country=None, today=TODAY)
    assert case.status is CaseStatus.DEPARTED
    with pytest.raises(Conflict) as again:
        case.record_departure(departed_on=TODAY, destination_country=None, today=TODAY)
    assert again.value.reason == "already_departed"
    with pytest.raises(Conflict) as closed:
        case.record_counselling(meeting(1), today=TODAY)
    assert closed.value.reason == "case_closed"


def test_support_may_still_be_decided_after_the_departure() -> None:
    case = new_case()
    first = case.apply_for_support(arrived_on=date(2026, 11, 2), today=TODAY, rules=RULES)
    with pytest.raises(Conflict) as pending:
        case.apply_for_support(arrived_on=TODAY, today=TODAY, rules=RULES)
    assert pending.value.reason == "support_application_pending"
    with pytest.raises(InvalidInput) as refused_with_amount:
        case.decide_support(
            first.support_application_id,
            decided_on=TODAY,
            granted=False,
            amount=1,
            currency="SEK",
            today=TODAY,
        )
    assert refused_with_amount.value.field == "amount"
    case.decide_support(
        first.support_application_id, decided_on=TODAY, granted=False, amount=None, currency=None, today=TODAY
    )
    second = case.apply_for_support(arrived_on=date(2026, 11, 20), today=TODAY, rules=RULES)
    assert second.due_on == date(2026, 12, 4)
    case.record_departure(departed_on=TODAY, destination_country=None, today=TODAY)
    decided = case.decide_support(
        second.support_application_id,
        decided_on=TODAY,
        granted=True,
        amount=30000,
        currency="SEK",
        today=TODAY,
    )
    assert (decided.applied_on, decided.amount) == (date(2026, 11, 20), 30000)


# ---------------------------------------------------------------------- handover


def test_only_an_inhibition_stops_the_handover_and_an_impediment_application_stops_nothing() -> None:
    register = InhibitionRegister("APP-1")
    register.order(inhibition_id="INH-1", court="MIGD-MALMO", ordered_on=date(2026, 11, 10))
    case = new_case(register=register)
    case.record_counselling(meeting(), today=TODAY)
    case.record_impediment_application(lodged_on=TODAY, today=TODAY)
    with pytest.raises(Conflict) as stayed:
        case.hand_over(
            grounds=HandoverGround.COERCION_NEEDED, dossier=dossier(), now=NOW, today=TODAY, address=ADDRESS
        )
    assert stayed.value.reason == "inhibition_in_force"
    assert "INH-1" in stayed.value.message
    register.lift(inhibition_id="INH-1", court="MIGD-MALMO", lifted_on=date(2026, 11, 20))
    handover = case.hand_over(
        grounds=HandoverGround.COERCION_NEEDED, dossier=dossier(), now=NOW, today=TODAY, address=ADDRESS
    )
    package = handover_package(case, handover, dossier())
    assert package.inhibitions[0].lifted_on == date(2026, 11, 20)
    assert case.status is CaseStatus.AWAITING_POLICE


def test_a_lapsed_order_is_not_handed_over_from_the_anniversary_on() -> None:
    case = new_case(enforceable_on=date(2022, 11, 24))
    case.record_absconding(noticed_on=date(2026, 11, 1), whereabouts_code="1280", address=None, today=TODAY)
    the_day_before = case.hand_over(grounds=HandoverGround.ABSCONDED, dossier=dossier(), now=NOW, today=TODAY)
    assert the_day_before.handover_id.startswith("HO-")
    case = new_case(enforceable_on=date(2022, 11, 23))
    case.record_absconding(noticed_on=date(2026, 11, 1), whereabouts_code="1280", address=None, today=TODAY)
    with pytest.raises(Conflict) as lapsed:
        case.hand_over(grounds=HandoverGround.ABSCONDED, dossier=dossier(), now=NOW, today=TODAY)
    assert lapsed.value.reason == "order_lapsed"


def test_an_order_not_yet_enforceable_or_superseded_is_not_handed_over() -> None:
    case = new_case(enforceable_on=TODAY + timedelta(1))
    with pytest.raises(Conflict) as early:
        case.hand_over(grounds=HandoverGround.COERCION_NEEDED, dossier=dossier(), now=NOW, today=TODAY)
    assert early.value.reason == "not_enforceable"
    case = new_case()
    assert case.supersede(decision_id="DEC-2", decided_on=TODAY)
    with pytest.raises(Conflict) as granted:
        case.hand_over(grounds=HandoverGround.COERCION_NEEDED, dossier=dossier(), now=NOW, today=TODAY)
    assert granted.value.reason == "not_enforceable"
    assert "DEC-2" in granted.value.message


def test_an_incomplete_package_is_refused_listing_everything_missing() -> None:
    case = new_case()
    with pytest.raises(IncompletePackage) as incomplete:
        case.hand_over(
            grounds=HandoverGround.COERCION_NEEDED,
            dossier=dossier(identity=False, decisions=False),
            now=NOW,
            today=TODAY,
        )
    assert [m.item for m in incomplete.value.missing] == [
        "identity",
        "decisions",
        "counselling_history",
        "last_known_address",
    ]
    assert case.status is CaseStatus.OPEN
    assert case.handovers == []
    with pytest.raises(Conflict) as not_absconded:
        case.hand_over(grounds=HandoverGround.ABSCONDED, dossier=dossier(), now=NOW, today=TODAY)
    assert not_absconded.value.reason == "not_absconded"


def test_the_polices_rejection_reopens_the_case_and_a_new_handover_gets_a_new_id() -> None:
    case = new_case()
    case.record_absconding(noticed_on=TODAY, whereabouts_code=None, address=ADDRESS, today=TODAY)
    first = case.hand_over(grounds=HandoverGround.ABSCONDED, dossier=dossier(), now=NOW, today=TODAY)
    first_package = handover_package(case, first, dossier())
    assert first_package.last_known_address is not None
    assert first_package.last_known_address.street_address == "Storgatan 1"
    with pytest.raises(Conflict) as pending:
        case.hand_over(grounds=HandoverGround.ABSCONDED, dossier=dossier(), now=NOW, today=TODAY)
    assert pending.value.reason == "handover_pending"
    assert not case.handover_accepted(
        handover_id="HO-other", enforcement_case_id="EC", responsible_department="P", accepted_at=NOW
    )
    assert case.handover_rejected(
        handover_id=first.handover_id, missing=[Missing("identity", "x")], rejected_at=NOW
    )
    assert case.status is CaseStatus.OPEN
    assert [m.item for m in case.police_missing] == ["identity"]
    second = case.hand_over(grounds=HandoverGround.ABSCONDED, dossier=dossier(), now=NOW, today=TODAY)
    assert second.handover_id != first.handover_id
    assert case.police_missing == ()
    assert case.handover_accepted(
        handover_id=second.handover_id,
        enforcement_case_id="EC-1",
        responsible_department="POL",
        accepted_at=NOW,
    )
    assert case.status is CaseStatus.HANDED_OVER
    assert case.closed_on == TODAY
