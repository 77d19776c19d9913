"""The monitor's rules comes from settings (environment variables), with documented defaults."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from handoff_schemas.events.common import Transport
from monitoring.settings import MonitoringSettings

pytestmark = pytest.mark.unit


def test_defaults_finland_and_the_lead_time_policy() -> None:
    settings = MonitoringSettings()
    assert settings.calendar_country == "FI"
    assert settings.calendar_timezone == "Europe/Helsinki"
    assert settings.lead_time_working_days == {
        Transport.CHARTER: 10,
        Transport.SCHEDULED_FLIGHT: 5,
        Transport.LAND: 3,
        Transport.SEA: 3,
    }
    assert settings.risk_countries == []
    assert not settings.webhook_allow_plain_http


def test_the_environment_overrides_part_of_the_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEAD_TIME_WORKING_DAYS", '{"charter": 15}')
    monkeypatch.setenv("RISK_COUNTRIES", "afg, IRQ,AFG")
    monkeypatch.setenv("CALENDAR_COUNTRY", "se")
    monkeypatch.setenv("CALENDAR_TIMEZONE", "Europe/Stockholm")
    settings = MonitoringSettings()
    assert settings.lead_time_working_days[Transport.CHARTER] == 15
    assert settings.lead_time_working_days[Transport.SEA] == 3
    assert settings.risk_countries == ["AFG", "IRQ"]
    rules = settings.rules()
    assert rules.lead_time.calendar.country == "SE"
    assert rules.risk_countries == frozenset({"AFG", "IRQ"})
    monkeypatch.setenv("RISK_COUNTRIES", '["SOM"]')
    assert MonitoringSettings().risk_countries == ["SOM"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("lead_time_working_days", {"charter": -1}),
        ("lead_time_working_days", {"rocket": 3}),
        ("calendar_timezone", "Europe/Atlantis"),
        ("calendar_country", "XX"),
        ("risk_countries", ["Afghanistan"]),
    ],
)
def test_a_broken_policy_fails_at_start_naming_the_setting(name: str, value: object) -> None:
    with pytest.raises(ValidationError) as error:
        MonitoringSettings(**{name: value})
    assert name in str(error.value)
