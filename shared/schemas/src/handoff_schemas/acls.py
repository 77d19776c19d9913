"""The broker's access rules, generated from the topic specifications: no access unless granted.

Each service is a principal of its own (``User:intake``, ``User:police-handover``, ...);
each role that reads a topic from outside the services has one too (``User:reader.police``).
From ``topics_spec/`` and the dead-letter topics:

* a topic's **producers** may write it (WRITE, DESCRIBE) and create it (CREATE);
* its **consumers** may read it (READ, DESCRIBE) and create it (a service creates every
  topic it uses, as specified);
* its **reader roles** may read it (READ, DESCRIBE), as ``reader.<role>``;
* each consuming service reads with its consumer groups, whose ids start with its name;
  a reader role's groups start with ``reader.<role>``;
* every service writes its own dead-letter topic; operators (``reader.operator``) read them.

Nothing else is granted: with ``allow.everyone.if.no.acl.found=false`` the broker refuses
everything that is not listed here. A ``prefix`` (the tests' per-test topic prefix, or a
deployment's ``KAFKA_TOPIC_PREFIX``) is put before every topic and group name.

    python -m handoff_schemas.acls                 # the bindings, one per line
    python -m handoff_schemas.acls --kafka-acls    # as kafka-acls.sh commands for a cluster
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from handoff_schemas.topics import ALL_TOPICS, ROLES, SERVICES, Topic, dead_letter_topic_spec

READ, WRITE, CREATE, DESCRIBE = "READ", "WRITE", "CREATE", "DESCRIBE"
TOPIC, GROUP = "TOPIC", "GROUP"
LITERAL, PREFIXED = "LITERAL", "PREFIXED"


def reader_principal(role: str) -> str:
    """The principal of a role's own systems reading from Kafka (``reader.police``)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    return f"reader.{role}"


PRINCIPALS: tuple[str, ...] = (*sorted(SERVICES), *(reader_principal(r) for r in sorted(ROLES)))


@dataclass(frozen=True, order=True)
class AclBinding:
    """``principal`` may do ``operation`` on the resource (allowed from any host)."""

    principal: str
    resource_type: str
    pattern_type: str
    resource_name: str
    operation: str

    @property
    def kafka_principal(self) -> str:
        return f"User:{self.principal}"

    def kafka_acls_command(self) -> str:
        kind = "--topic" if self.resource_type == TOPIC else "--group"
        return (
            f"kafka-acls.sh --add --allow-principal {self.kafka_principal} "
            f"--operation {self.operation.title()} {kind} '{self.resource_name}' "
            f"--resource-pattern-type {self.pattern_type.lower()}"
        )


def _topic(principal: str, name: str, *operations: str) -> list[AclBinding]:
    return [AclBinding(principal, TOPIC, LITERAL, name, op) for op in operations]


def _group(principal: str, prefix: str) -> AclBinding:
    return AclBinding(principal, GROUP, PREFIXED, prefix, READ)


def topics_with_dead_letters(topics: Iterable[Topic] = ALL_TOPICS) -> list[Topic]:
    """The specified topics and every consuming service's dead-letter topic."""
    listed = list(topics)
    consuming = sorted({service for topic in listed for service in topic.consumers})
    return [*listed, *(dead_letter_topic_spec(service) for service in consuming)]


def acl_bindings(prefix: str = "", topics: Iterable[Topic] = ALL_TOPICS) -> list[AclBinding]:
    """Every grant the topic specifications make, for topic and group names starting with ``prefix``."""
    bindings: set[AclBinding] = set()
    consumers: set[str] = set()
    readers: set[str] = set()
    for topic in topics_with_dead_letters(topics):
        name = prefix + topic.name
        for service in topic.producers:
            bindings.update(_topic(service, name, WRITE, DESCRIBE, CREATE))
        for service in topic.consumers:
            bindings.update(_topic(service, name, READ, DESCRIBE, CREATE))
            consumers.add(service)
        for role in topic.readers:
            bindings.update(_topic(reader_principal(role), name, READ, DESCRIBE))
            readers.add(reader_principal(role))
    bindings.update(_group(principal, prefix + principal) for principal in consumers | readers)
    return sorted(bindings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m handoff_schemas.acls",
        description="Print the Kafka ACLs that the topic specifications grant.",
    )
    parser.add_argument("--prefix", default="", help="topic and consumer-group prefix (KAFKA_TOPIC_PREFIX)")
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument("--kafka-acls", action="store_true", help="as kafka-acls.sh commands")
    shape.add_argument("--json", action="store_true", help="as a JSON list")
    args = parser.parse_args(argv)
    bindings = acl_bindings(args.prefix)
    if args.json:
        sys.stdout.write(json.dumps([asdict(b) for b in bindings], indent=2) + "\n")
    else:
        for binding in bindings:
            line = binding.kafka_acls_command() if args.kafka_acls else " ".join(asdict(binding).values())
            sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
