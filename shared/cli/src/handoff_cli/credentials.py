"""Who the command speaks as: development tokens, and the Kafka client's security options.

The one module to change when the suite's identity provider or the broker's security
changes (issue 13 brings a local development issuer with RS256 keys, claims of their own
for department, county and municipality, and SASL/SCRAM with ACLs on the broker). Today:

* tokens are HS256 development tokens from :func:`handoff_plumbing.auth.issue_token`, and
  the body a caller speaks for travels in the subject (``county:12``,
  ``municipality:1280``, ``department:POL-SYD``), as the services read it today;
* Kafka clients are plain unless the SASL or TLS options are given.
"""

from __future__ import annotations

import re
import ssl
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from handoff_schemas.topics import ROLES

CODE = re.compile(r"^[0-9A-Za-z-]{1,16}$")
DEPARTMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")


class InvalidCredentials(ValueError):
    """The options do not make a valid token or client; the message names the option."""


@dataclass(frozen=True)
class Caller:
    """A role and the body it speaks for: a police department, a county board, a municipality."""

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
        """The ``sub`` claim: the subject given, or the body spoken for, or ``dev-<role>``."""
        if self.subject:
            return self.subject
        if self.county:
            return f"county:{self.county}"
        if self.municipality:
            return f"municipality:{self.municipality}"
        if self.department:
            return f"department:{self.department}"
        return f"dev-{self.role}"


def issue_token(caller: Caller, *, hours: float = 12.0) -> str:
    """A development bearer token for ``caller``, valid for ``hours``."""
    from handoff_plumbing.auth import issue_token as issue
    from handoff_plumbing.settings import Settings

    if not 0 < hours <= 24 * 30:
        raise InvalidCredentials("--hours: between 0 and 720")
    settings = Settings(service_name="handoff-cli")
    return issue(settings, role=caller.role, subject=caller.token_subject(), lifetime=timedelta(hours=hours))


@dataclass(frozen=True)
class KafkaSecurity:
    """SASL and TLS options for the Kafka clients, as an agency's system needs them."""

    sasl_mechanism: str | None = None
    username: str | None = None
    password: str | None = None
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None

    def __post_init__(self) -> None:
        if self.sasl_mechanism is not None and self.sasl_mechanism not in SASL_MECHANISMS:
            raise InvalidCredentials(
                f"--sasl-mechanism: {self.sasl_mechanism!r} is not one of {', '.join(SASL_MECHANISMS)}"
            )
        if self.sasl_mechanism and not (self.username and self.password):
            raise InvalidCredentials("--sasl-mechanism needs --sasl-username and --sasl-password")
        if (self.username or self.password) and not self.sasl_mechanism:
            raise InvalidCredentials("--sasl-username/--sasl-password need --sasl-mechanism")
        if (self.cert_file is None) != (self.key_file is None):
            raise InvalidCredentials("--tls-cert and --tls-key go together")
        for option, path in (
            ("--tls-ca", self.ca_file),
            ("--tls-cert", self.cert_file),
            ("--tls-key", self.key_file),
        ):
            if path is not None and not path.is_file():
                raise InvalidCredentials(f"{option}: no such file {str(path)!r}")

    @property
    def tls(self) -> bool:
        return self.ca_file is not None or self.cert_file is not None

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for aiokafka's producer and consumer."""
        protocol = ("SASL_" if self.sasl_mechanism else "") + ("SSL" if self.tls else "PLAINTEXT")
        options: dict[str, Any] = {"security_protocol": protocol}
        if self.tls:
            context = ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)
            if self.cert_file is not None and self.key_file is not None:
                context.load_cert_chain(str(self.cert_file), str(self.key_file))
            options["ssl_context"] = context
        if self.sasl_mechanism:
            options |= {
                "sasl_mechanism": self.sasl_mechanism,
                "sasl_plain_username": self.username,
                "sasl_plain_password": self.password,
            }
        return options
