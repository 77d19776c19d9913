"""Where the person is: the last known address (personal data) and an absconding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handoff_plumbing.errors import InvalidInput
from returns.domain.case_state import not_in_the_future


@dataclass(frozen=True)
class Address:
    """Where the person was last known to live or stay (personal data)."""

    street_address: str
    municipality_code: str
    known_on: date
    postal_code: str | None = None


@dataclass(frozen=True)
class Absconding:
    noticed_on: date
    whereabouts_code: str | None = None  # coarse: a municipality or reception centre code


def check_address(address: Address, today: date) -> None:
    not_in_the_future("last_known_address.known_on", address.known_on, today)
    if not address.street_address.strip():
        raise InvalidInput("last_known_address.street_address", "must not be blank")
