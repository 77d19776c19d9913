"""Events published by the independent forced-return monitor (the ombudsman).

Topic handoff.monitoring.notice.v1 follows the monitor's notice of each planned removal
(acknowledged, late, missing, and whether it will be monitored); topic
handoff.monitoring.report.v1 carries the reports filed on monitored removals. Neither
carries personal data: monitors are staff codes, observations are about what happened,
not about who it happened to.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Self

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from handoff_schemas.base import Event
from handoff_schemas.events.common import EventPart, Reference, Transport
from handoff_schemas.topics import MONITORING_NOTICE_V1, MONITORING_REPORT_V1, Topic

# --------------------------------------------------------------------------- vocabularies


class MonitoringDecision(StrEnum):
    """Whether the monitor will monitor a planned removal."""

    MONITOR = "monitor"
    NOT_MONITOR = "not_monitor"


class MonitoringDecisionReason(StrEnum):
    """The main reason for a monitoring decision."""

    VULNERABLE_RETURNEE = "vulnerable_returnee"
    MINOR_INVOLVED = "minor_involved"
    CHARTER_OPERATION = "charter_operation"
    USE_OF_FORCE_EXPECTED = "use_of_force_expected"
    RISK_DESTINATION = "risk_destination"
    SAMPLE = "sample"
    NO_CAPACITY = "no_capacity"
    NOTICE_TOO_LATE = "notice_too_late"
    LOW_RISK = "low_risk"
    OTHER = "other"


class RemovalPhase(StrEnum):
    """A phase of a forced removal that a monitor can observe."""

    PRE_DEPARTURE = "pre_departure"
    TRANSFER = "transfer"
    IN_FLIGHT = "in_flight"
    HANDOVER_AT_DESTINATION = "handover_at_destination"


class RightsChecklistItem(StrEnum):
    """An item of the monitor's checklist of the rights of returnees to watch."""

    INFORMATION_ABOUT_REMOVAL = "information_about_removal"
    ACCESS_TO_LEGAL_COUNSEL = "access_to_legal_counsel"
    INTERPRETATION = "interpretation"
    CONTACT_WITH_FAMILY = "contact_with_family"
    FITNESS_TO_TRAVEL = "fitness_to_travel"
    RECOVERY_TIME_AFTER_MEDICAL_PROCEDURE = "recovery_time_after_medical_procedure"
    MEDICINES_AND_PATIENT_RECORDS = "medicines_and_patient_records"
    VICTIM_OF_TRAFFICKING_CONSIDERED = "victim_of_trafficking_considered"
    BEST_INTERESTS_OF_CHILD = "best_interests_of_child"
    CHILD_PROTECTION_OR_HEALTH_CARE_MEASURES = "child_protection_or_health_care_measures"
    FAMILY_UNITY = "family_unity"
    PROPORTIONATE_USE_OF_FORCE = "proportionate_use_of_force"
    RESTRAINTS = "restraints"
    DIGNITY_AND_PRIVACY = "dignity_and_privacy"
    FOOD_WATER_AND_REST = "food_water_and_rest"
    PERSONAL_BELONGINGS = "personal_belongings"
    COMPLAINT_POSSIBILITY = "complaint_possibility"
    OTHER = "other"


class FindingSeverity(StrEnum):
    """How serious a finding is."""

    GOOD_PRACTICE = "good_practice"
    OBSERVATION = "observation"
    CONCERN = "concern"
    SERIOUS_CONCERN = "serious_concern"


class NoticeTimeliness(StrEnum):
    """How the monitor judges a notice's lead time against its policy."""

    ON_TIME = "on_time"
    LATE = "late"


class NoticeFact(StrEnum):
    """A fact of a removal that the monitor's notice names and that a change must be notified for."""

    DAY = "day"
    TRANSPORT = "transport"
    ESCORT_LEVEL = "escort_level"
    DESTINATION_COUNTRY = "destination_country"


class RemovalHappening(StrEnum):
    """What the Police reported happened to a removal."""

    EXECUTED = "executed"
    ABORTED = "aborted"


class FactChange(EventPart):
    """One fact that differed from the monitor's last notice: codes and dates, never personal data."""

    fact: NoticeFact = Field(description="The fact that differed.")
    notified: str = Field(
        description="Its value in the last notice (a day as YYYY-MM-DD in the monitor's time zone, a "
        "transport, an escort level or a country code).",
        min_length=1,
        max_length=64,
        examples=["2026-11-30"],
    )
    actual: str = Field(
        description="Its value in what happened.", min_length=1, max_length=64, examples=["2026-11-27"]
    )


# --------------------------------------------------------------------------- notice topic


class NoticeAcknowledgedV1(Event):
    """The monitor received the notice of a planned removal and acknowledged it."""

    event_type: ClassVar[str] = "handoff.monitoring.notice-acknowledged.v1"
    topic: ClassVar[Topic] = MONITORING_NOTICE_V1
    key_field: ClassVar[str] = "plan_id"

    notice_id: str = Field(
        description="The monitor's id of the notice.",
        min_length=1,
        max_length=64,
        examples=["N-2026-1c0e55"],
    )
    plan_id: str = Field(
        description="The Police's removal plan the notice is about; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["PL-2026-0a41c7"],
    )
    received_at: AwareDatetime = Field(
        description="When the notice (the removal-plan-created event) arrived."
    )
    acknowledged_at: AwareDatetime = Field(description="When the monitor acknowledged it.")
    revision: int | None = Field(
        default=None,
        description="The revision of the plan acknowledged: the monitor acknowledges every revision it "
        "receives. Null from publishers older than this field (they acknowledged the first only).",
        ge=1,
    )
    timeliness: NoticeTimeliness | None = Field(
        default=None,
        description="How the monitor judges the notice's lead time with this revision (a late revision "
        "also comes as notice-late); null from publishers older than this field.",
    )


class NoticeLateV1(Event):
    """The notice of a planned removal reached the monitor with less lead time than required."""

    event_type: ClassVar[str] = "handoff.monitoring.notice-late.v1"
    topic: ClassVar[Topic] = MONITORING_NOTICE_V1
    key_field: ClassVar[str] = "plan_id"

    notice_id: str = Field(
        description="The monitor's id of the notice.",
        min_length=1,
        max_length=64,
        examples=["N-2026-1c0e55"],
    )
    plan_id: str = Field(
        description="The Police's removal plan the notice is about; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["PL-2026-0a41c7"],
    )
    responsible_department: str = Field(
        description="Code of the police department that gave the late notice.",
        min_length=1,
        max_length=32,
        examples=["POL-SYD"],
    )
    transport: Transport = Field(
        description="How the removal travels (the required lead time depends on it)."
    )
    received_at: AwareDatetime = Field(description="When the notice arrived.")
    planned_departure: AwareDatetime = Field(description="When the departure is planned.")
    lead_time_working_days: int = Field(
        description="Working days from receipt to the planned departure (public holidays excluded); "
        "negative if the notice arrived after it."
    )
    required_working_days: int = Field(description="The lead time required, in working days.", ge=0)
    revision: int | None = Field(
        default=None,
        description="The revision of the plan that came late (1 for the plan itself); null from "
        "publishers older than this field.",
        ge=1,
    )
    changed_facts: list[NoticeFact] = Field(
        default_factory=list,
        description="For a revision: the facts it changed that count the lead time anew (an earlier day, "
        "a transport needing more notice, another escort or destination).",
    )

    @model_validator(mode="after")
    def _late_means_short(self) -> Self:
        if self.lead_time_working_days >= self.required_working_days:
            raise ValueError("a late notice has less lead time than required")
        return self


class NoticeMissingV1(Event):
    """The monitor learned of a removal only when it was carried out or aborted: no notice was ever
    given."""

    event_type: ClassVar[str] = "handoff.monitoring.notice-missing.v1"
    topic: ClassVar[Topic] = MONITORING_NOTICE_V1
    key_field: ClassVar[str] = "plan_id"

    plan_id: str = Field(
        description="The Police's removal plan that was never notified; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["PL-2026-0a41c7"],
    )
    responsible_department: str = Field(
        description="Code of the police department responsible for the removal.",
        min_length=1,
        max_length=32,
        examples=["POL-SYD"],
    )
    executed_or_aborted_at: AwareDatetime = Field(description="When the removal was carried out or aborted.")
    first_seen_event_type: str = Field(
        description="The type of the first event of the plan that reached the monitor.",
        pattern=r"^handoff\.police\.[a-z-]+\.v[0-9]+$",
        examples=["handoff.police.removal-executed.v1"],
    )


class NoticeRevisionMissingV1(Event):
    """A removal was carried out or aborted other than the monitor's last notice said: on another day,
    with another transport or escort, or to another destination. The revision that would have told the
    monitor never reached it, so the removal is judged anew against the policy (as the monitor learned
    of it only now, its lead time is short or negative) and flagged for the responsible department,
    like a late or missing notice; the Police's statistics count it the same way."""

    event_type: ClassVar[str] = "handoff.monitoring.notice-revision-missing.v1"
    topic: ClassVar[Topic] = MONITORING_NOTICE_V1
    key_field: ClassVar[str] = "plan_id"

    notice_id: str = Field(
        description="The monitor's id of the notice.",
        min_length=1,
        max_length=64,
        examples=["N-2026-1c0e55"],
    )
    plan_id: str = Field(
        description="The Police's removal plan; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["PL-2026-0a41c7"],
    )
    responsible_department: str = Field(
        description="Code of the police department responsible for the removal.",
        min_length=1,
        max_length=32,
        examples=["POL-SYD"],
    )
    happened: RemovalHappening = Field(description="Whether the removal was carried out or aborted.")
    happened_at: AwareDatetime = Field(description="When it was carried out or aborted.")
    notified_revision: int = Field(description="The last revision of the plan the monitor had.", ge=1)
    missing_revision: int = Field(
        description="The revision that never reached the monitor: the one carried out, when the Police "
        "report it, otherwise the one after the monitor's last.",
        ge=2,
    )
    changes: list[FactChange] = Field(
        description="Every fact that differed from the last notice; at least one.", min_length=1
    )
    lead_time_working_days: int = Field(
        description="The lead time judged anew: working days from when the monitor learned what happened "
        "to the day it happened (negative if after)."
    )
    required_working_days: int = Field(
        description="The lead time the policy requires for the transport used.", ge=0
    )

    @model_validator(mode="after")
    def _missing_after_notified(self) -> Self:
        if self.missing_revision <= self.notified_revision:
            raise ValueError("missing_revision is after notified_revision")
        return self


class MonitoringDecisionMadeV1(Event):
    """The monitor decided whether to monitor a planned removal, and with whom."""

    event_type: ClassVar[str] = "handoff.monitoring.monitoring-decision-made.v1"
    topic: ClassVar[Topic] = MONITORING_NOTICE_V1
    key_field: ClassVar[str] = "plan_id"

    notice_id: str = Field(
        description="The monitor's id of the notice decided on.",
        min_length=1,
        max_length=64,
        examples=["N-2026-1c0e55"],
    )
    plan_id: str = Field(
        description="The Police's removal plan decided on; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["PL-2026-0a41c7"],
    )
    decision: MonitoringDecision = Field(description="Whether the removal will be monitored.")
    monitors: list[Reference] = Field(
        default_factory=list,
        description="Pseudonymous codes of the monitor's staff assigned; at least one if monitored, none "
        "otherwise.",
        examples=[["MON-07", "MON-12"]],
    )
    decided_at: AwareDatetime = Field(description="When the decision was made.")
    reason: MonitoringDecisionReason = Field(description="The main reason for the decision.")

    @model_validator(mode="after")
    def _monitors_go_with_monitoring(self) -> Self:
        if self.decision is MonitoringDecision.MONITOR and not self.monitors:
            raise ValueError("a removal to be monitored has at least one monitor")
        if self.decision is MonitoringDecision.NOT_MONITOR and self.monitors:
            raise ValueError("a removal not monitored has no monitors")
        return self


# --------------------------------------------------------------------------- report topic


class Finding(EventPart):
    """One finding of a monitoring report, against an item of the rights checklist."""

    right: RightsChecklistItem = Field(description="The checklist item the finding is about.")
    observation: str = Field(
        description="What the monitor observed; about the removal, never identifying the returnee.",
        min_length=1,
        max_length=4000,
    )
    severity: FindingSeverity = Field(description="How serious the finding is.")


class MonitoringReportFiledV1(Event):
    """The monitor filed a report on a monitored removal."""

    event_type: ClassVar[str] = "handoff.monitoring.monitoring-report-filed.v1"
    topic: ClassVar[Topic] = MONITORING_REPORT_V1
    key_field: ClassVar[str] = "plan_id"

    report_id: str = Field(
        description="The report's id.",
        min_length=1,
        max_length=64,
        examples=["REP-2026-0042"],
    )
    plan_id: str = Field(
        description="The Police's removal plan the report is about; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["PL-2026-0a41c7"],
    )
    filed_at: AwareDatetime = Field(description="When the report was filed.")
    phases_observed: list[RemovalPhase] = Field(
        default_factory=list, description="The phases of the removal the monitors observed."
    )
    findings: list[Finding] = Field(default_factory=list, description="The findings, against the checklist.")
    recommendations: list[Annotated[str, StringConstraints(min_length=1, max_length=2000)]] = Field(
        default_factory=list, description="Recommendations to the Police and other authorities."
    )
    published: bool = Field(description="The report has been made public.")
