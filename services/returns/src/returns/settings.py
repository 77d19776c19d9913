"""Returns' settings: the plumbing's, plus the numbers of its rules (environment variables ``RETURNS_*``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from handoff_plumbing.settings import Settings
from handoff_workdays import working_calendar
from returns.domain.rules import ReturnsRules

_DEFAULTS = ReturnsRules()


def _has_zone_database() -> bool:
    try:
        ZoneInfo("Europe/Stockholm")
    except ZoneInfoNotFoundError:
        return False  # a host without tzdata: the rules fall back to UTC
    return True


class ReturnsSettings(Settings):
    service_name: str = "returns"
    http_port: int = 8002

    returns_calendar_country: str = Field(
        default=_DEFAULTS.calendar_country,
        description="ISO 3166-1 alpha-2 country whose public holidays make the working-day calendar "
        "(SE: Sweden with the days SFS 1930:173 treats as holidays; FI: Finland).",
    )
    returns_timezone: str = Field(
        default=_DEFAULTS.timezone, description="Time zone of the authority's calendar days."
    )
    returns_roll_to_working_day: bool = Field(
        default=_DEFAULTS.roll_to_working_day,
        description="A period ending on a Saturday, Sunday or holiday ends on the next working day.",
    )
    returns_first_counselling_weeks: int = Field(default=_DEFAULTS.first_counselling_weeks, ge=0)
    returns_case_closure_months: int = Field(default=_DEFAULTS.case_closure_months, ge=0)
    returns_case_closure_months_unaccompanied_minor: int = Field(
        default=_DEFAULTS.case_closure_months_unaccompanied_minor, ge=0
    )
    returns_departure_weeks_refusal_of_entry: int = Field(
        default=_DEFAULTS.departure_weeks_refusal_of_entry, ge=0
    )
    returns_departure_weeks_expulsion: int = Field(default=_DEFAULTS.departure_weeks_expulsion, ge=0)
    returns_travel_document_working_days: int = Field(default=_DEFAULTS.travel_document_working_days, ge=0)
    returns_travel_booking_working_days: int = Field(default=_DEFAULTS.travel_booking_working_days, ge=0)
    returns_support_decision_weeks: int = Field(default=_DEFAULTS.support_decision_weeks, ge=0)
    returns_order_lapse_years: int = Field(
        default=_DEFAULTS.order_lapse_years,
        ge=1,
        description="Years after legal force after which a removal order lapses (Sweden: 4).",
    )
    returns_reception_cost_per_day: int = Field(
        default=_DEFAULTS.reception_cost_per_day,
        ge=0,
        description="Cost of one person-day in reception, for the cost of delay (380 SEK in 2015).",
    )
    returns_currency: str = Field(default=_DEFAULTS.currency, pattern=r"^[A-Z]{3}$")
    returns_default_unit: str = Field(default=_DEFAULTS.default_unit, min_length=1, max_length=64)
    returns_deciding_authority: str = Field(
        default=_DEFAULTS.deciding_authority,
        min_length=1,
        max_length=64,
        description="Code of the authority whose decisions intake reports, for decision references.",
    )

    @field_validator("returns_calendar_country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        try:
            working_calendar(value.upper())
        except NotImplementedError as exc:
            raise ValueError(f"no public-holiday calendar for country {value!r}") from exc
        return value.upper()

    @field_validator("returns_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            if _has_zone_database():
                raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    def rules(self) -> ReturnsRules:
        return ReturnsRules(
            first_counselling_weeks=self.returns_first_counselling_weeks,
            case_closure_months=self.returns_case_closure_months,
            case_closure_months_unaccompanied_minor=self.returns_case_closure_months_unaccompanied_minor,
            departure_weeks_refusal_of_entry=self.returns_departure_weeks_refusal_of_entry,
            departure_weeks_expulsion=self.returns_departure_weeks_expulsion,
            travel_document_working_days=self.returns_travel_document_working_days,
            travel_booking_working_days=self.returns_travel_booking_working_days,
            support_decision_weeks=self.returns_support_decision_weeks,
            order_lapse_years=self.returns_order_lapse_years,
            calendar_country=self.returns_calendar_country,
            roll_to_working_day=self.returns_roll_to_working_day,
            reception_cost_per_day=self.returns_reception_cost_per_day,
            currency=self.returns_currency,
            timezone=self.returns_timezone,
            default_unit=self.returns_default_unit,
            deciding_authority=self.returns_deciding_authority,
        )
