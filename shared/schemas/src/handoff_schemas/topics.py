"""Topics: one per aggregate stream, keyed by the aggregate id, major version in the name."""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = frozenset({"agency", "police", "monitor", "county_board", "municipality", "operator"})


@dataclass(frozen=True)
class Topic:
    """A Kafka topic carrying one aggregate's stream.

    ``name`` ends in the major version (``.v1``); a breaking change makes a new topic.
    """

    name: str
    aggregate: str
    key: str
    producers: tuple[str, ...]
    consumers: tuple[str, ...]
    personal_data: bool
    readers: frozenset[str] = field(default_factory=frozenset)
    partitions: int = 3
    description: str = ""

    def __post_init__(self) -> None:
        if not self.name.rsplit(".", 1)[-1].startswith("v"):
            raise ValueError(f"topic {self.name!r} must end in its major version, e.g. '.v1'")
        unknown = self.readers - ROLES
        if unknown:
            raise ValueError(f"topic {self.name!r} names unknown roles {sorted(unknown)}")


INTAKE_APPLICATION_V1 = Topic(
    name="handoff.intake.application.v1",
    aggregate="application",
    key="application_id",
    producers=("intake",),
    consumers=("returns",),
    personal_data=False,
    readers=frozenset({"agency", "operator"}),
    description="The life of one asylum application at the Migration Agency, keyed by application id.",
)

RETURNS_RETURN_CASE_V1 = Topic(
    name="handoff.returns.return-case.v1",
    aggregate="return-case",
    key="return_case_id",
    producers=("returns",),
    consumers=("police-handover",),
    personal_data=True,
    readers=frozenset({"agency", "police"}),
    description="One return case at the Migration Agency, up to its handover to the Police.",
)

POLICE_REMOVAL_PLAN_V1 = Topic(
    name="handoff.police.removal-plan.v1",
    aggregate="removal-plan",
    key="plan_id",
    producers=("police-handover",),
    consumers=("monitoring",),
    personal_data=False,
    readers=frozenset({"police", "monitor", "operator"}),
    description="One removal (enforcement) plan of the Police; the monitor's notice source.",
)

ALL_TOPICS: tuple[Topic, ...] = (INTAKE_APPLICATION_V1, RETURNS_RETURN_CASE_V1, POLICE_REMOVAL_PLAN_V1)


def dead_letter_topic(service: str) -> str:
    """The dead-letter topic of one consuming service."""
    return f"handoff.{service}.dead-letter.v1"
