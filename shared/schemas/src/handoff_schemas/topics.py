"""Topics: one per aggregate stream, keyed by the aggregate id, major version in the name.

Each topic is described by one YAML file in ``topics_spec/`` (its producers, consumers,
event types, key, compatibility mode, whether it carries personal data, and which roles
may read it); this module loads them. A test checks the files against the event models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

ROLES = frozenset(
    {"agency", "police", "monitor", "county_board", "municipality", "operator", "data_protection_officer"}
)
SERVICES = frozenset({"intake", "returns", "police-handover", "monitoring", "resettlement"})
COMPATIBILITY_MODES = frozenset({"BACKWARD", "BACKWARD_TRANSITIVE", "FULL", "NONE"})


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
    partitions: int = 6
    replication_factor: int = 3
    min_insync_replicas: int = 2
    retention_days: int = 365
    description: str = ""
    compatibility: str = "BACKWARD"
    events: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.name.rsplit(".", 1)[-1].startswith("v"):
            raise ValueError(f"topic {self.name!r} must end in its major version, e.g. '.v1'")
        unknown = self.readers - ROLES
        if unknown:
            raise ValueError(f"topic {self.name!r} names unknown roles {sorted(unknown)}")
        if self.partitions < 1 or not 1 <= self.min_insync_replicas <= self.replication_factor:
            raise ValueError(f"topic {self.name!r}: needs partitions >= 1 and 1 <= min ISR <= replication")
        if self.compatibility not in COMPATIBILITY_MODES:
            raise ValueError(
                f"topic {self.name!r}: compatibility must be one of {sorted(COMPATIBILITY_MODES)}"
            )

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Topic:
        return cls(
            name=spec["name"],
            aggregate=spec["aggregate"],
            key=spec["key"],
            producers=tuple(spec["producers"]),
            consumers=tuple(spec["consumers"] or ()),
            personal_data=bool(spec["personal_data"]),
            readers=frozenset(spec["readers"]),
            partitions=int(spec.get("partitions", 6)),
            replication_factor=int(spec.get("replication_factor", 3)),
            min_insync_replicas=int(spec.get("min_insync_replicas", 2)),
            retention_days=int(spec.get("retention_days", 365)),
            description=" ".join(str(spec.get("description", "")).split()),
            compatibility=spec.get("compatibility", "BACKWARD"),
            events=tuple(spec.get("events", ())),
        )

    def readable_by(self, role: str) -> bool:
        return role in self.readers


def _load() -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for entry in sorted(resources.files("handoff_schemas").joinpath("topics_spec").iterdir(), key=str):
        if entry.name.endswith(".yaml"):
            topic = Topic.from_spec(yaml.safe_load(entry.read_text(encoding="utf-8")))
            if f"{topic.name}.yaml" != entry.name:
                raise ValueError(f"{entry.name}: the file must be named after its topic {topic.name!r}")
            topics[topic.name] = topic
    return topics


TOPICS: dict[str, Topic] = _load()
ALL_TOPICS: tuple[Topic, ...] = tuple(TOPICS.values())


def topic(name: str) -> Topic:
    try:
        return TOPICS[name]
    except KeyError:
        raise KeyError(f"no topic {name!r}; known: {sorted(TOPICS)}") from None


INTAKE_APPLICATION_V1 = topic("handoff.intake.application.v1")
INTAKE_APPLICANT_V1 = topic("handoff.intake.applicant.v1")
RETURNS_RETURN_CASE_V1 = topic("handoff.returns.return-case.v1")
RETURNS_HANDOVER_V1 = topic("handoff.returns.handover.v1")
POLICE_ENFORCEMENT_CASE_V1 = topic("handoff.police.enforcement-case.v1")
POLICE_REMOVAL_PLAN_V1 = topic("handoff.police.removal-plan.v1")
MONITORING_NOTICE_V1 = topic("handoff.monitoring.notice.v1")
MONITORING_REPORT_V1 = topic("handoff.monitoring.report.v1")
RESETTLEMENT_CASE_V1 = topic("handoff.resettlement.case.v1")
RESETTLEMENT_MUNICIPAL_PLACES_V1 = topic("handoff.resettlement.municipal-places.v1")


def dead_letter_topic(service: str) -> str:
    """The dead-letter topic of one consuming service."""
    return f"handoff.{service}.dead-letter.v1"


DEAD_LETTER_RETENTION_DAYS = 30  # a dead letter may hold personal data; the service's database keeps it too


def dead_letter_topic_spec(service: str) -> Topic:
    """The dead-letter topic as a topic of its own: the service writes it, operators read it."""
    return Topic(
        name=dead_letter_topic(service),
        aggregate="dead-letter",
        key="original key",
        producers=(service,),
        consumers=(),
        personal_data=True,
        readers=frozenset({"operator"}),
        retention_days=DEAD_LETTER_RETENTION_DAYS,
        description=f"Records {service} could not take, with the reason; kept in its database for re-drive.",
    )
