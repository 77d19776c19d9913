"""Structured JSON logs with the service name, the trace and span ids, no personal data, no secrets.

The redaction processor replaces the value of every key that the event contracts mark as
personal data (``x-personal-data``) and of every key that names a credential (tokens,
passwords, secrets, authorization headers), at any depth, so a handler that logs a payload
by mistake still leaks nothing. Credentials found inside any text, exception tracebacks
included (bearer tokens and JWTs, Standard Webhooks secrets, ``password=`` pairs), are
masked as the line is written.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, MutableMapping
from typing import Any

import structlog

from handoff_plumbing.telemetry import current_trace_ids
from handoff_schemas import personal_data_fields

REDACTED = "[redacted]"
SECRET_KEYS = frozenset(
    {
        "authorization", "proxy-authorization", "cookie", "set-cookie", "token", "access_token",
        "id_token", "refresh_token", "bearer", "password", "passwd", "secret", "secrets",
        "client_secret", "webhook_secret", "sasl_plain_password", "kafka_sasl_password", "ssl_password",
    }
)  # fmt: skip
_SECRETS_IN_TEXT = re.compile(
    r"(?P<bearer>(?i:bearer)\s+[\w.~+/=-]+)"
    r"|(?P<jwt>eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*)"
    r"|(?P<whsec>whsec_[A-Za-z0-9+/=]+)"
    r"|(?P<pair>(?i:password|secret|token)[\"']?\s*[=:]\s*[\"']?)[^\s\"',;}]+"
)


def scrub(text: str) -> str:
    """``text`` with every credential it holds masked."""

    def mask(found: re.Match[str]) -> str:
        return f"{found.group('pair')}{REDACTED}" if found.group("pair") else REDACTED

    return _SECRETS_IN_TEXT.sub(mask, text)


def scrub_secrets(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """The last step before rendering: credentials inside any text value (tracebacks too)."""
    for key, value in event_dict.items():
        if isinstance(value, str):
            event_dict[key] = scrub(value)
    return event_dict


class RedactPersonalData:
    """A structlog processor that masks personal-data fields wherever they appear."""

    def __init__(self, fields: Iterable[str] | None = None) -> None:
        self.fields = (frozenset(fields) if fields is not None else personal_data_fields()) | SECRET_KEYS

    def __call__(
        self, _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        for key in list(event_dict):
            event_dict[key] = self._clean(key, event_dict[key])
        return event_dict

    def _clean(self, key: str, value: Any) -> Any:
        if key in self.fields or key.lower() in SECRET_KEYS:
            return REDACTED
        if isinstance(value, str):
            return scrub(value)
        if isinstance(value, dict):
            return {k: self._clean(str(k), v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._clean("", item) for item in value]
        return value


def add_trace_ids(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    ids = current_trace_ids()
    if ids is not None:
        event_dict.setdefault("trace_id", ids[0])
        event_dict.setdefault("span_id", ids[1])
    return event_dict


def configure_logging(service_name: str, *, level: str = "INFO", json: bool = True) -> None:
    """Route structlog and the standard library's logging through one JSON pipeline."""

    def add_service(
        _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        event_dict.setdefault("service", service_name)
        return event_dict

    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_service,
        add_trace_ids,
        RedactPersonalData(),
    ]
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                scrub_secrets,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "kafka"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
