"""One module per stage of the year, in the order the runner takes them (:data:`STAGES`).

A stage lists its items (cases, plans, households, rounds) and takes one: the calls that
authority makes for it. New journeys (issue 14: Dublin transfers, travel bookings, detention
reviews, ...) are a new module here or a few more calls in the stage they belong to.
"""

from __future__ import annotations

from handoff_cli.simulation.stages.applications import Applications, Decisions
from handoff_cli.simulation.stages.counselling import Counselling
from handoff_cli.simulation.stages.handovers import Handovers
from handoff_cli.simulation.stages.monitor import Notices, Reports
from handoff_cli.simulation.stages.places import Places
from handoff_cli.simulation.stages.removals import Plans, Removals
from handoff_cli.simulation.stages.resettlement import MatchingRounds, PermitHolders, QuotaCases

STAGES = (
    Places(),
    Applications(),
    Decisions(),
    Counselling(),
    Handovers(),
    Plans(),
    Notices(),
    Removals(),
    Reports(),
    QuotaCases(),
    PermitHolders(),
    MatchingRounds(),
)
