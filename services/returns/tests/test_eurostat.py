"""A quarter's figures on Eurostat's return definitions, as CSV, against a caseload counted by hand;
and the age groups and small-figures rule they rest on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff_devtools.testing.helpers import auth, committed
from handoff_schemas.events.common import Transport
from handoff_schemas.events.intake_dublin import DublinTransferCarriedOutV1, DublinTransferDeadlinePassedV1
from handoff_schemas.events.police import EscortLevel, RemovalExecutedV1, RemovalFacts
from returns import commands, queries
from returns.domain.eurostat import AgeGroup, Quarter, age_group, csv_text

# The caseload of 2026-Q4 (1 October to 31 December), person by person:
#
# | who      | born       | order (decided, to) | counted as order | return                 |
# | A        | 1991-04-02 | 2026-10-01, IRQ     | IRQ Y_GE35       | VOL 2026-11-10 IRQ, 35 |
# | B        | 2000-01-01 | 2026-10-01, IRQ     | IRQ Y18-34       | VOL 2026-11-10 TUR, 26 |
# | B2..B6   | 2000-01-01 | 2026-10-01, IRQ     | IRQ Y18-34 (5)   | VOL 2026-11-12 IRQ (5) |
# | C        | 2010-06-01 | 2026-10-15, IRQ     | IRQ Y14-17       | ENF 2026-11-20 IRQ, 16 |
# | D        | unknown    | 2026-10-01, AFG     | AFG UNK          |                        |
# | E        | 1991-04-02 | 2026-09-30, IRQ     | Q3: not counted  |                        |
# | F Dublin | 1991-04-02 | 2026-10-05, IRQ     | transfer: no     |                        |
# | G Dublin | 1991-04-02 | 2026-10-20, SOM     | SOM Y_GE35 (responsible here since 2026-10-01) |
# | H Dublin | 1991-04-02 | 2026-10-05, DEU     | transfer: no     | removed 2026-11-21: transfer |
#
# Orders: IRQ 0/1/6/1/0 (total 8), AFG 0/0/0/0/1 (1), SOM 0/0/0/1/0 (1). Returns: ENF IRQ 0/1/0/0/0,
# VOL IRQ 0/0/5/1/0 (6), VOL TUR 0/0/1/0/0. Published: 1 to 4 as <5, and beside each suppressed age
# group the smallest of 5 or more too (IRQ's 6 orders, the 5 voluntary returns to IRQ).
EXPECTED = """\
quarter,indicator,return_type,destination,age_group,persons
2026-Q4,ordered_to_leave,TOTAL,AFG,Y_LT14,0
2026-Q4,ordered_to_leave,TOTAL,AFG,Y14-17,0
2026-Q4,ordered_to_leave,TOTAL,AFG,Y18-34,0
2026-Q4,ordered_to_leave,TOTAL,AFG,Y_GE35,0
2026-Q4,ordered_to_leave,TOTAL,AFG,UNK,<5
2026-Q4,ordered_to_leave,TOTAL,AFG,TOTAL,<5
2026-Q4,ordered_to_leave,TOTAL,IRQ,Y_LT14,0
2026-Q4,ordered_to_leave,TOTAL,IRQ,Y14-17,<5
2026-Q4,ordered_to_leave,TOTAL,IRQ,Y18-34,<5
2026-Q4,ordered_to_leave,TOTAL,IRQ,Y_GE35,<5
2026-Q4,ordered_to_leave,TOTAL,IRQ,UNK,0
2026-Q4,ordered_to_leave,TOTAL,IRQ,TOTAL,8
2026-Q4,ordered_to_leave,TOTAL,SOM,Y_LT14,0
2026-Q4,ordered_to_leave,TOTAL,SOM,Y14-17,0
2026-Q4,ordered_to_leave,TOTAL,SOM,Y18-34,0
2026-Q4,ordered_to_leave,TOTAL,SOM,Y_GE35,<5
2026-Q4,ordered_to_leave,TOTAL,SOM,UNK,0
2026-Q4,ordered_to_leave,TOTAL,SOM,TOTAL,<5
2026-Q4,returned,ENF,IRQ,Y_LT14,0
2026-Q4,returned,ENF,IRQ,Y14-17,<5
2026-Q4,returned,ENF,IRQ,Y18-34,0
2026-Q4,returned,ENF,IRQ,Y_GE35,0
2026-Q4,returned,ENF,IRQ,UNK,0
2026-Q4,returned,ENF,IRQ,TOTAL,<5
2026-Q4,returned,VOL,IRQ,Y_LT14,0
2026-Q4,returned,VOL,IRQ,Y14-17,0
2026-Q4,returned,VOL,IRQ,Y18-34,<5
2026-Q4,returned,VOL,IRQ,Y_GE35,<5
2026-Q4,returned,VOL,IRQ,UNK,0
2026-Q4,returned,VOL,IRQ,TOTAL,6
2026-Q4,returned,VOL,TUR,Y_LT14,0
2026-Q4,returned,VOL,TUR,Y14-17,0
2026-Q4,returned,VOL,TUR,Y18-34,<5
2026-Q4,returned,VOL,TUR,Y_GE35,0
2026-Q4,returned,VOL,TUR,UNK,0
2026-Q4,returned,VOL,TUR,TOTAL,<5
"""


def born(person, day: date):  # type: ignore[no-untyped-def]
    identity = person.identity()
    return identity.model_copy(
        update={"identity": identity.identity.model_copy(update={"date_of_birth": day})}
    )


async def open_case(returns_db, person, *, on: date, destination: str = "IRQ", birth: date | None) -> str:  # type: ignore[no-untyped-def]
    events = [person.registered(), person.refused(on).model_copy(update={"destination_country": destination})]
    if birth is not None:
        events.insert(1, born(person, birth))
    await returns_db.deliver_all([*events, person.enforceable(date(2026, 11, 2))])
    return str(await returns_db.case_id_for(person.application_id))


async def depart(returns_db, case_id: str, on: date, to: str | None = None) -> None:  # type: ignore[no-untyped-def]
    await committed(
        returns_db.runtime.uow(),
        lambda uow: commands.record_departure(
            uow, returns_db.rules, case_id, commands.RecordDeparture(on, destination_country=to)
        ),
    )


@pytest.mark.db
async def test_a_quarter_in_csv_matches_the_caseload_counted_by_hand(returns_db, story) -> None:
    a, b, c, d, e, f, g = (story() for _ in range(7))
    await depart(
        returns_db,
        await open_case(returns_db, a, on=date(2026, 10, 1), birth=date(1991, 4, 2)),
        date(2026, 11, 10),
    )
    await depart(
        returns_db,
        await open_case(returns_db, b, on=date(2026, 10, 1), birth=date(2000, 1, 1)),
        date(2026, 11, 10),
        to="TUR",
    )
    for _ in range(5):
        other = story()
        case_id = await open_case(returns_db, other, on=date(2026, 10, 1), birth=date(2000, 1, 1))
        await depart(returns_db, case_id, date(2026, 11, 12))
    removed = await open_case(returns_db, c, on=date(2026, 10, 15), birth=date(2010, 6, 1))
    await returns_db.deliver(
        RemovalExecutedV1(
            plan_id="PL-c",
            return_case_id=removed,
            executed_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
            use_of_force=False,
            carried_out_as=RemovalFacts(
                revision=1,
                transport=Transport.SCHEDULED_FLIGHT,
                escort_level=EscortLevel.ESCORTED_TO_DESTINATION,
                destination_country="IRQ",
            ),
        )
    )
    await open_case(returns_db, d, on=date(2026, 10, 1), destination="AFG", birth=None)
    await returns_db.deliver_all([e.registered(), e.identity(), e.refused(date(2026, 9, 30))])
    dublin = f.registered().model_copy(update={"dublin_case": True})
    await returns_db.deliver_all([dublin, f.identity(), f.refused(date(2026, 10, 5))])
    lapsed = DublinTransferDeadlinePassedV1(
        application_id=g.application_id,
        person_ref=g.person_ref,
        accepted_on=date(2026, 3, 31),
        transfer_deadline=date(2026, 9, 30),
        responsible_from=date(2026, 10, 1),
    )
    await returns_db.deliver_all(
        [
            g.registered().model_copy(update={"dublin_case": True}),
            g.identity(),
            lapsed,
            g.refused(date(2026, 10, 20)).model_copy(update={"destination_country": "SOM"}),
        ]
    )

    h = story()
    await returns_db.deliver_all(
        [
            h.registered().model_copy(update={"dublin_case": True}),
            h.identity(),
            h.refused(date(2026, 10, 5)).model_copy(update={"destination_country": "DEU"}),
            h.enforceable(date(2026, 11, 2)),
        ]
    )
    transferred = await returns_db.case_id_for(h.application_id)
    await returns_db.deliver_all(
        [
            RemovalExecutedV1(
                plan_id="PL-h",
                return_case_id=transferred,
                executed_at=datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
                use_of_force=False,
            ),
            DublinTransferCarriedOutV1(
                application_id=h.application_id,
                person_ref=h.person_ref,
                receiving_state="DEU",
                accepted_on=date(2026, 9, 1),
                transfer_deadline=date(2027, 3, 1),
                transferred_on=date(2026, 11, 21),
            ),
        ]
    )

    rows = await queries.eurostat_figures(returns_db.runtime.uow(), Quarter.parse("2026-Q4"))

    assert csv_text(rows) == EXPECTED
    assert csv_text(await queries.eurostat_figures(returns_db.runtime.uow(), Quarter.parse("2027-Q1"))) == (
        EXPECTED.splitlines()[0] + "\n"
    )


@pytest.mark.db
@pytest.mark.kafka
async def test_the_csv_is_served_to_the_agency_and_a_bad_quarter_names_the_parameter(start_returns) -> None:
    _, client = await start_returns()
    served = await client.get("/statistics/eurostat", params={"quarter": "2026-Q4"}, headers=auth("agency"))
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/csv")
    assert served.text == EXPECTED.splitlines()[0] + "\n"
    bad = await client.get("/statistics/eurostat", params={"quarter": "2026-Q5"}, headers=auth("agency"))
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["query", "quarter"]
    assert (
        await client.get("/statistics/eurostat", params={"quarter": "2026-Q4"}, headers=auth("police"))
    ).status_code == 403


def birthday(born: date, years: int) -> date:
    """The day a person born on ``born`` turns ``years`` (1 March for 29 February in a common year)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


@pytest.mark.unit
@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2026, 12, 31)))
def test_a_person_enters_each_age_group_on_the_birthday_that_opens_it(born: date) -> None:
    for years, before, after in (
        (14, AgeGroup.UNDER_14, AgeGroup.AGE_14_17),
        (18, AgeGroup.AGE_14_17, AgeGroup.AGE_18_34),
        (35, AgeGroup.AGE_18_34, AgeGroup.AGE_35_PLUS),
    ):
        day = birthday(born, years)
        assert age_group(born, day - timedelta(days=1)) is before
        assert age_group(born, day) is after
    assert age_group(born, born) is AgeGroup.UNDER_14
    assert age_group(None, born) is AgeGroup.UNKNOWN


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_a_quarter_runs_from_its_first_to_its_last_day(text: str, first: date, last: date) -> None:
    quarter = Quarter.parse(text)
    assert (quarter.first_day, quarter.last_day, str(quarter)) == (first, last, text)
