"""Who may use the development broker, and applying the generated ACLs to a running broker.

The local broker knows every principal of :data:`handoff_schemas.acls.PRINCIPALS` (one per
service and per reader role), the super user ``admin`` (broker-internal traffic, creating
ACLs, the tests' own reads and writes) and the plumbing's test service ``ledger``, each with
its development password. :func:`apply_acls` adds the bindings that
:func:`handoff_schemas.acls.acl_bindings` generates from the topic specifications, over
Kafka's admin protocol (one CreateAcls request), and returns once the broker enforces them.

    python -m handoff_devtools.kafka_acls --bootstrap 127.0.0.1:19092 [--prefix P]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.protocol.admin import CreateAclsRequest_v1, DescribeAclsRequest_v1
from aiokafka.protocol.api import Request

from handoff_plumbing.development import development_kafka_password
from handoff_schemas.acls import GROUP, PREFIXED, PRINCIPALS, TOPIC, AclBinding, acl_bindings
from handoff_schemas.kafka_client import KafkaSecurity

__all__ = [
    "ADMIN",
    "TEST_SERVICES",
    "AclError",
    "admin_security",
    "apply_acls",
    "broker_principals",
    "development_passwords",
    "grant",
    "principal_security",
]

ADMIN = "admin"
TEST_SERVICES = ("ledger",)  # the plumbing's test service: everything under a test's own prefix
_RESOURCE = {TOPIC: 2, GROUP: 3}
_PATTERN = {"LITERAL": 3, PREFIXED: 4}
_OPERATION = {"ALL": 2, "READ": 3, "WRITE": 4, "CREATE": 5, "DESCRIBE": 8}
_ALLOW = 3
_ANY_HOST = "*"


class AclError(RuntimeError):
    """The broker refused to create an ACL."""


def broker_principals() -> tuple[str, ...]:
    """Every principal the development broker knows (SCRAM credentials made at format time)."""
    return (ADMIN, *PRINCIPALS, *TEST_SERVICES)


def development_passwords() -> dict[str, str]:
    return {principal: development_kafka_password(principal) for principal in broker_principals()}


def principal_security(principal: str, password: str | None = None) -> KafkaSecurity:
    """SASL/SCRAM-SHA-512 over plain TCP as ``principal`` (the development broker's listener)."""
    return KafkaSecurity(
        protocol="SASL_PLAINTEXT",
        sasl_mechanism="SCRAM-SHA-512",
        username=principal,
        password=password or development_kafka_password(principal),
    )


def admin_security() -> KafkaSecurity:
    return principal_security(ADMIN)


class _CreateAcls(Request[CreateAclsRequest_v1]):  # type: ignore[misc]
    API_KEY = 30

    def __init__(self, creations: list[tuple[Any, ...]]) -> None:
        self._creations = creations

    def build(self, request_struct_class: type[CreateAclsRequest_v1]) -> CreateAclsRequest_v1:
        return request_struct_class(self._creations)


class _DescribeAcls(Request[DescribeAclsRequest_v1]):  # type: ignore[misc]
    API_KEY = 29

    def __init__(self, binding: AclBinding) -> None:
        self._binding = binding

    def build(self, request_struct_class: type[DescribeAclsRequest_v1]) -> DescribeAclsRequest_v1:
        b = self._binding
        return request_struct_class(
            _RESOURCE[b.resource_type], b.resource_name, _PATTERN[b.pattern_type],
            b.kafka_principal, _ANY_HOST, _OPERATION[b.operation], _ALLOW,
        )  # fmt: skip


def _creation(binding: AclBinding) -> tuple[Any, ...]:
    return (
        _RESOURCE[binding.resource_type], binding.resource_name, _PATTERN[binding.pattern_type],
        binding.kafka_principal, _ANY_HOST, _OPERATION[binding.operation], _ALLOW,
    )  # fmt: skip


def test_service_bindings(prefix: str) -> list[AclBinding]:
    """The test services may do anything under a test's own (non-empty) prefix, nothing else."""
    if not prefix:
        return []
    return [
        AclBinding(service, kind, PREFIXED, prefix, "ALL")
        for service in TEST_SERVICES
        for kind in (TOPIC, GROUP)
    ]


async def apply_acls(
    bootstrap: str, security: KafkaSecurity, bindings: Sequence[AclBinding], *, timeout: float = 30.0
) -> None:
    """Create ``bindings`` (existing ones are kept) and wait until the broker enforces the last of them."""
    if not bindings:
        return
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, request_timeout_ms=15000, **security.client_options()
    )
    await admin.start()
    try:
        response = await admin._send_request(_CreateAcls([_creation(b) for b in bindings]))
        refused = [(code, text) for code, text in response.creation_responses if code != 0]
        if refused:
            raise AclError(
                f"the broker refused {len(refused)} ACLs, e.g. error {refused[0][0]}: {refused[0][1]}"
            )
        await _until_enforced(admin, bindings[-1], timeout)
    finally:
        await admin.close()


async def _until_enforced(admin: AIOKafkaAdminClient, binding: AclBinding, timeout: float) -> None:
    """The broker's authorizer has the binding (created bindings reach it in one metadata batch)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        response = await admin._send_request(_DescribeAcls(binding))
        if response.error_code == 0 and any(acls for *_names, acls in response.resources):
            return
        if loop.time() > deadline:
            raise AclError(
                f"ACL for {binding.principal} on {binding.resource_name} not enforced in {timeout}s"
            )
        await asyncio.sleep(0.02)


async def grant(bootstrap: str, security: KafkaSecurity, prefix: str = "") -> int:
    """Apply the specified ACLs (and the test services') for ``prefix``; returns how many."""
    bindings = [*acl_bindings(prefix), *test_service_bindings(prefix)]
    await apply_acls(bootstrap, security, bindings)
    return len(bindings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m handoff_devtools.kafka_acls",
        description="Apply the ACLs generated from the topic specifications to a broker (as its admin).",
    )
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"))
    parser.add_argument("--prefix", default=os.environ.get("KAFKA_TOPIC_PREFIX", ""))
    args = parser.parse_args(argv)
    environment = KafkaSecurity.from_env()
    security = environment if environment.sasl or environment.tls else admin_security()
    count = asyncio.run(grant(args.bootstrap, security, args.prefix))
    sys.stdout.write(f"{count} ACLs in force on {args.bootstrap} (prefix {args.prefix!r})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
