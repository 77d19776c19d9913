"""Follow-up of the time targets: per target, unit and month, as the action plan asks.

An item counts in the month its deadline falls in. For each (target, unit, month) the
report says how many items fell due, how many were met on time or late, how many are
overdue or not yet due, and the cost of the delay: every person-day in reception past
the target, at the reception cost per person and day (380 SEK in the 2015 budget basis).
The costs of different targets overlap (a person late for departure is usually late for
closure too): they are reported per target and must not be summed across targets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from handoff_schemas.events.returns import DignifiedReturnEvaluation, EvaluationAnswer
from returns.domain.targets import Target, TargetItem

QUESTIONS = tuple(DignifiedReturnEvaluation.model_fields)
UNANSWERED = "unanswered"


@dataclass(frozen=True)
class MeasuredItem:
    """A target item with what the report needs of its case."""

    item: TargetItem
    unit: str
    reception_ended_on: date | None = None


@dataclass
class FollowUpLine:
    target: Target
    unit: str
    month: str
    due: int = 0
    met_on_time: int = 0
    met_late: int = 0
    overdue: int = 0
    not_yet_due: int = 0
    no_longer_applicable: int = 0
    person_days_past_target: int = 0
    cost_of_delay: int = 0


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def follow_up(items: Iterable[MeasuredItem], *, as_of: date, cost_per_day: int) -> list[FollowUpLine]:
    """Aggregate ``items`` as they stand at the end of ``as_of``, sorted by target, unit, month."""
    lines: dict[tuple[Target, str, str], FollowUpLine] = {}
    for measured in items:
        item = measured.item
        key = (item.target, measured.unit, month_of(item.due_on))
        line = lines.get(key)
        if line is None:
            line = lines[key] = FollowUpLine(target=key[0], unit=key[1], month=key[2])
        line.due += 1
        state = item.state(as_of)
        setattr(line, state.value, getattr(line, state.value) + 1)
        days = item.days_late(as_of, reception_ended_on=measured.reception_ended_on)
        line.person_days_past_target += days
        line.cost_of_delay += days * cost_per_day
    order = list(Target)
    return sorted(lines.values(), key=lambda line: (order.index(line.target), line.unit, line.month))


@dataclass(frozen=True)
class EvaluationSummary:
    """The dignified-return evaluation aggregated: per question, how many gave each answer."""

    last_meetings: int
    answers: dict[str, dict[str, int]]


def aggregate_evaluations(evaluations: Iterable[DignifiedReturnEvaluation | None]) -> EvaluationSummary:
    """Count the answers given at last meetings; a meeting where nothing was asked counts as unanswered."""
    answers = {q: {a.value: 0 for a in EvaluationAnswer} | {UNANSWERED: 0} for q in QUESTIONS}
    meetings = 0
    for evaluation in evaluations:
        meetings += 1
        for question in QUESTIONS:
            answer = getattr(evaluation, question) if evaluation is not None else None
            answers[question][answer.value if answer is not None else UNANSWERED] += 1
    return EvaluationSummary(last_meetings=meetings, answers=answers)
