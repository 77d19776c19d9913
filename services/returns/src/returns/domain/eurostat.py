"""Return statistics on Eurostat's definitions, per quarter (docs/domain.md, seed 004: statistics with
the same definitions across sources, fit for Frontex and Eurostat).

Two indicators of Eurostat's enforcement-of-immigration-legislation statistics, counted in persons:

* ``ORDERED_TO_LEAVE`` (as in ``migr_eiord``): third-country nationals ordered to leave, by the
  quarter of the decision: refusals with a removal order. A refusal on a Dublin case is a transfer
  decision, not an order to leave, unless this state had become responsible before it (the transfer's
  deadline passed); Dublin transfers are no returns either.
* ``RETURNED`` (as in ``migr_eirtn``): third-country nationals returned following an order to leave,
  by the quarter of the departure, split by type of return: ``VOL`` (a voluntary departure the Agency
  recorded) and ``ENF`` (a removal the Police carried out).

Each is broken down by the country of destination and Eurostat's age groups (``Y_LT14``, ``Y14-17``,
``Y18-34``, ``Y_GE35``, ``UNK`` when the date of birth is unknown), age counted on the day of the order
or the return, with a ``TOTAL`` row per destination. A person counts once per row. Published figures
follow the suite's small-figures rule (:mod:`handoff_plumbing.small_figures`): 1 to 4 is ``"<5"``, and
the age groups of a destination are protected against subtraction from their total.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from handoff_plumbing.errors import InvalidInput
from handoff_plumbing.small_figures import Count, shown, suppress_parts

UNKNOWN_COUNTRY = "UNK"
QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])$")


class Indicator(StrEnum):
    ORDERED_TO_LEAVE = "ordered_to_leave"
    RETURNED = "returned"


class ReturnType(StrEnum):
    """Eurostat's type of return; an order to leave has none (``TOTAL``)."""

    TOTAL = "TOTAL"
    VOLUNTARY = "VOL"
    ENFORCED = "ENF"


class AgeGroup(StrEnum):
    UNDER_14 = "Y_LT14"
    AGE_14_17 = "Y14-17"
    AGE_18_34 = "Y18-34"
    AGE_35_PLUS = "Y_GE35"
    UNKNOWN = "UNK"


TOTAL_AGE = "TOTAL"


def age_group(born: date | None, on: date) -> AgeGroup:
    if born is None:
        return AgeGroup.UNKNOWN
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if age < 14:
        return AgeGroup.UNDER_14
    if age < 18:
        return AgeGroup.AGE_14_17
    if age < 35:
        return AgeGroup.AGE_18_34
    return AgeGroup.AGE_35_PLUS


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str, field: str = "quarter") -> Quarter:
        found = QUARTER.fullmatch(text)
        if found is None:
            raise InvalidInput(field, f"{text!r} is not a quarter like 2026-Q4")
        return cls(int(found.group(1)), int(found.group(2)))

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        if self.number == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.number + 1, 1) - timedelta(days=1)

    def __contains__(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


@dataclass(frozen=True)
class Order:
    """A refusal with a removal order, as the statistics see it."""

    person: str
    decided_on: date
    destination: str | None
    born: date | None
    dublin_case: bool = False
    responsible_here_from: date | None = None

    @property
    def is_order_to_leave(self) -> bool:
        if not self.dublin_case:
            return True
        return self.responsible_here_from is not None and self.responsible_here_from <= self.decided_on


@dataclass(frozen=True)
class Return:
    """A person who left following an order: voluntarily, or removed by the Police."""

    person: str
    returned_on: date
    kind: ReturnType
    destination: str | None
    born: date | None


@dataclass(frozen=True)
class Figure:
    quarter: str
    indicator: Indicator
    return_type: ReturnType
    destination: str
    age_group: str
    persons: Count


Key = tuple[Indicator, ReturnType, str]


def figures(quarter: Quarter, orders: Iterable[Order], returns: Iterable[Return]) -> list[Figure]:
    """The quarter's published figures, in a stable order (indicator, type, destination, age)."""
    people: dict[Key, dict[AgeGroup, set[str]]] = defaultdict(lambda: defaultdict(set))
    for order in orders:
        if order.decided_on in quarter and order.is_order_to_leave:
            key = (Indicator.ORDERED_TO_LEAVE, ReturnType.TOTAL, order.destination or UNKNOWN_COUNTRY)
            people[key][age_group(order.born, order.decided_on)].add(order.person)
    for left in returns:
        if left.returned_on in quarter:
            key = (Indicator.RETURNED, left.kind, left.destination or UNKNOWN_COUNTRY)
            people[key][age_group(left.born, left.returned_on)].add(left.person)
    rows: list[Figure] = []
    for (indicator, kind, destination), by_age in sorted(people.items()):
        parts = [len(by_age.get(group, ())) for group in AgeGroup]
        total = len(set().union(*by_age.values()))
        for group, count in zip(AgeGroup, suppress_parts(parts), strict=True):
            rows.append(Figure(str(quarter), indicator, kind, destination, group.value, count))
        rows.append(Figure(str(quarter), indicator, kind, destination, TOTAL_AGE, shown(total)))
    return rows


CSV_COLUMNS = ("quarter", "indicator", "return_type", "destination", "age_group", "persons")


def csv_text(rows: Iterable[Figure]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.quarter,
                row.indicator.value,
                row.return_type.value,
                row.destination,
                row.age_group,
                row.persons,
            ]
        )
    return out.getvalue()
