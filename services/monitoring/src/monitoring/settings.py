"""The monitor's settings: the plumbing's, plus lead-time policy, calendar, risk countries, webhooks,
and the session of the ombudsman's pages."""

from __future__ import annotations

import json
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from handoff_plumbing.settings import Settings
from handoff_schemas.events.common import Transport
from handoff_workdays import working_calendar
from monitoring.domain.lead_time import DEFAULT_REQUIRED_WORKING_DAYS, LeadTimePolicy
from monitoring.domain.rules import MonitoringRules


class MonitoringSettings(Settings):
    service_name: str = "monitoring"
    http_port: int = 8004
    lead_time_working_days: dict[Transport, int] = Field(
        default_factory=lambda: dict(DEFAULT_REQUIRED_WORKING_DAYS),
        description="Working days of notice the monitor requires per transport, as JSON; transports "
        'left out keep their default (charter 10, scheduled_flight 5, land 3, sea 3), e.g. {"charter": 15}.',
    )
    calendar_country: str = Field(
        default="FI",
        description="Country (ISO 3166-1 alpha-2) whose public holidays are not working days.",
    )
    calendar_timezone: str = Field(
        default="Europe/Helsinki", description="The monitor's time zone: dates and months are counted in it."
    )
    risk_countries: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="ISO 3166-1 alpha-3 codes of destinations (or transit countries) that raise a "
        'removal\'s priority: comma-separated ("AFG,IRQ") or a JSON list.',
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_backoff_initial_seconds: float = Field(default=1.0, gt=0)
    webhook_backoff_max_seconds: float = Field(default=300.0, gt=0)
    webhook_poll_seconds: float = Field(default=1.0, gt=0)
    webhook_batch_size: int = Field(default=100, ge=1)
    webhook_allow_plain_http: bool = Field(
        default=False,
        description="Allow http:// webhook URLs to other hosts than this one (never in production).",
    )

    web_session_secret: SecretStr | None = Field(
        default=None,
        min_length=32,
        description="Key that signs the session cookies of the ombudsman's pages (/ui), 32 characters "
        "or more, the same on every replica. Unset (development): a random key per process, so a "
        "restart signs everyone out.",
    )
    web_cookie_secure: bool = Field(
        default=True,
        description="Mark the session cookie Secure (HTTPS only; browsers also keep it on "
        "http://localhost and 127.0.0.1). False only for plain HTTP to another host in development.",
    )

    @field_validator("lead_time_working_days", mode="after")
    @classmethod
    def _complete_policy(cls, value: dict[Transport, int]) -> dict[Transport, int]:
        negative = sorted(t.value for t, days in value.items() if days < 0)
        if negative:
            raise ValueError(f"a required lead time is never negative: {negative}")
        return {**DEFAULT_REQUIRED_WORKING_DAYS, **value}

    @field_validator("calendar_country", mode="after")
    @classmethod
    def _known_country(cls, value: str) -> str:
        country = value.upper()
        if country not in holidays.list_supported_countries():
            raise ValueError(f"no holiday calendar for {value!r}")
        return country

    @field_validator("calendar_timezone", mode="after")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (is tzdata installed?)") from exc
        return value

    @field_validator("risk_countries", mode="before")
    @classmethod
    def _country_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("risk_countries", mode="after")
    @classmethod
    def _country_codes(cls, value: list[str]) -> list[str]:
        codes = [code.upper() for code in value]
        bad = [code for code in codes if len(code) != 3 or not code.isalpha()]
        if bad:
            raise ValueError(f"not ISO 3166-1 alpha-3 codes: {bad}")
        return sorted(set(codes))

    def rules(self) -> MonitoringRules:
        return MonitoringRules(
            lead_time=LeadTimePolicy(
                required=dict(self.lead_time_working_days),
                calendar=working_calendar(self.calendar_country),
                zone=ZoneInfo(self.calendar_timezone),
            ),
            risk_countries=frozenset(self.risk_countries),
            allow_plain_http_webhooks=self.webhook_allow_plain_http,
        )
