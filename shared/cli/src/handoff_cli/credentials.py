"""Who the command speaks as: development tokens, and the Kafka client's security.

* Tokens come from the development identity issuer (:data:`handoff_devtools.issuer.DEVELOPMENT_ISSUER`,
  ES256, the key pair ``make token`` uses): the role in ``roles``, the unit a caller acts
  for in a claim of its own (``department``, ``county``, ``municipality``), the subject
  ``dev-<role>`` unless given. A service accepts them only in development mode
  (``DEVELOPMENT_MODE=true``, which ``make run`` sets); against a production suite the
  tokens come from its identity provider, never from here.
* Kafka clients authenticate as :class:`handoff_schemas.kafka_client.KafkaSecurity` says,
  read from the same ``KAFKA_*`` variables the services read (``KAFKA_SECURITY_PROTOCOL``,
  ``KAFKA_SASL_MECHANISM``, ``KAFKA_SASL_USERNAME``, ``KAFKA_SASL_PASSWORD``,
  ``KAFKA_SSL_CAFILE``, ``KAFKA_SSL_CERTFILE``, ``KAFKA_SSL_KEYFILE``), each also an option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from handoff_schemas.kafka_client import PROTOCOLS, SASL_MECHANISMS, KafkaSecurity
from handoff_schemas.topics import ROLES

__all__ = ["Caller", "InvalidCredentials", "KafkaSecurity", "issue_token", "kafka_security"]

CODE = re.compile(r"^[0-9A-Za-z-]{1,16}$")
"""A county or municipality code, as resettlement reads it (``12``, ``1280``)."""
DEPARTMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
"""A police department's code (``POL-SYD``), within the services' unit claim rule."""


class InvalidCredentials(ValueError):
    """The options do not make a valid token or client; the message names the option."""


@dataclass(frozen=True)
class Caller:
    """A role and the unit it acts for: a police department, a county board, a municipality."""

    role: str
    subject: str | None = None
    department: str | None = None
    county: str | None = None
    municipality: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise InvalidCredentials(f"--role: unknown role {self.role!r}; one of {', '.join(sorted(ROLES))}")
        for option, value, role, pattern in (
            ("--department", self.department, "police", DEPARTMENT),
            ("--county", self.county, "county_board", CODE),
            ("--municipality", self.municipality, "municipality", CODE),
        ):
            if value is None:
                continue
            if self.role != role:
                raise InvalidCredentials(f"{option} is for the role {role}, not {self.role}")
            if not pattern.match(value):
                raise InvalidCredentials(f"{option}: {value!r} is not a code ({pattern.pattern})")
        if self.subject is not None and not self.subject.strip():
            raise InvalidCredentials("--subject: empty")

    def token_subject(self) -> str:
        """The ``sub`` claim: the subject given, else ``dev-<role>``."""
        return self.subject or f"dev-{self.role}"


def issue_token(caller: Caller, *, hours: float = 12.0) -> str:
    """A development bearer token for ``caller``, valid for ``hours``, from the development issuer."""
    if not 0 < hours <= 24 * 30:
        raise InvalidCredentials("--hours: between 0 and 720")
    from handoff_devtools.issuer import DEVELOPMENT_ISSUER

    return DEVELOPMENT_ISSUER.token(
        caller.role,
        subject=caller.token_subject(),
        department=caller.department,
        county=caller.county,
        municipality=caller.municipality,
        lifetime=timedelta(hours=hours),
    )


def kafka_security(
    protocol: str,
    mechanism: str,
    username: str | None,
    password: str | None,
    cafile: Path | None,
    certfile: Path | None,
    keyfile: Path | None,
) -> KafkaSecurity:
    """The client's security from the options (each defaulting from its ``KAFKA_*`` variable),
    or :class:`InvalidCredentials` naming the option that is wrong."""
    protocol, mechanism = protocol.upper(), mechanism.upper()
    if protocol not in PROTOCOLS:
        raise InvalidCredentials(
            f"--security-protocol: {protocol!r} is not one of {', '.join(sorted(PROTOCOLS))}"
        )
    sasl = protocol.startswith("SASL_")
    if sasl:
        if mechanism not in SASL_MECHANISMS:
            raise InvalidCredentials(
                f"--sasl-mechanism: {mechanism!r} is not one of {', '.join(sorted(SASL_MECHANISMS))}"
            )
        if not (username and password):
            raise InvalidCredentials(
                f"--security-protocol {protocol} needs --sasl-username and --sasl-password"
            )
    elif username or password:
        raise InvalidCredentials(
            "--sasl-username/--sasl-password need --security-protocol SASL_PLAINTEXT or SASL_SSL, "
            f"not {protocol}"
        )
    if (certfile is None) != (keyfile is None):
        raise InvalidCredentials("--ssl-certfile and --ssl-keyfile go together")
    tls = protocol in ("SSL", "SASL_SSL")
    for option, path in (("--ssl-cafile", cafile), ("--ssl-certfile", certfile), ("--ssl-keyfile", keyfile)):
        if path is None:
            continue
        if not tls:
            raise InvalidCredentials(f"{option} needs --security-protocol SSL or SASL_SSL, not {protocol}")
        if not path.is_file():
            raise InvalidCredentials(f"{option}: no such file {str(path)!r}")
    try:
        return KafkaSecurity(
            protocol=protocol,
            sasl_mechanism=mechanism,
            username=username if sasl else None,
            password=password if sasl else None,
            cafile=str(cafile) if cafile else None,
            certfile=str(certfile) if certfile else None,
            keyfile=str(keyfile) if keyfile else None,
        )
    except ValueError as exc:  # what the checks above missed, in the client's own words
        raise InvalidCredentials(str(exc)) from exc
