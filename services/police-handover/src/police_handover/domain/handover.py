"""Is a handed-over return case complete and valid enough to enforce?

:func:`check_handover` lists *every* item that is missing, invalid or inconsistent, so the
Agency can mend the package in one go. The details name fields, codes and dates of
decisions, never the person's name, date of birth or document numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from handoff_schemas.events.common import IdentityCategory, IdentityDocumentKind, Vulnerability
from handoff_schemas.events.police import MissingItem, MissingItemProblem
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1, TravelDocumentStatus
from police_handover.domain.age import ADULT_AGE, age_on
from police_handover.domain.inhibition import Inhibition, InhibitionSource, merge

UNKNOWN_COUNTRY = "XXX"
CLOCK_SKEW = timedelta(minutes=5)
OLDEST_PLAUSIBLE_AGE = 120
IDENTITY_DOCUMENTS = frozenset({IdentityDocumentKind.PASSPORT, IdentityDocumentKind.NATIONAL_ID_CARD})
TRAVEL_DOCUMENTS = IDENTITY_DOCUMENTS


def _item(item: str, problem: MissingItemProblem, detail: str) -> MissingItem:
    return MissingItem(item=item, problem=problem, detail=detail)


def package_inhibitions(package: CaseHandedOverToPoliceV1) -> list[Inhibition]:
    return [
        Inhibition(
            inhibition_id=record.inhibition_id,
            application_id=package.application_id,
            court=record.court,
            ordered_on=record.ordered_on,
            lifted_on=record.lifted_on,
            source=InhibitionSource.HANDOVER,
        )
        for record in package.inhibitions
    ]


def check_handover(
    package: CaseHandedOverToPoliceV1,
    *,
    now: datetime,
    lapses_on: date,
    known_inhibitions: Sequence[Inhibition] = (),
) -> list[MissingItem]:
    """Every missing, invalid or inconsistent item of ``package``; empty if it can be enforced."""
    today = now.date()
    handed_over_on = package.handed_over_at.date()
    items: list[MissingItem] = []
    items += _enforceability(package, today=today, lapses_on=lapses_on)
    items += _inhibitions(package, today=today, known=known_inhibitions)
    items += _decisions(package)
    if package.handed_over_at > now + CLOCK_SKEW:
        items.append(_item("handed_over_at", MissingItemProblem.INVALID, "is in the future"))
    items += _identity(package, today=today)
    items += _travel_document(package, today=today)
    if package.destination_country == UNKNOWN_COUNTRY:
        items.append(
            _item(
                "destination_country",
                MissingItemProblem.MISSING,
                "the country of return is unknown (XXX); the Police need a destination to plan the removal",
            )
        )
    items += _address(package, handed_over_on=handed_over_on)
    items += _counselling(package, handed_over_on=handed_over_on)
    return items


def _enforceability(package: CaseHandedOverToPoliceV1, *, today: date, lapses_on: date) -> list[MissingItem]:
    items = []
    if package.enforceable_on > today:
        items.append(
            _item(
                "enforceable_on",
                MissingItemProblem.INVALID,
                f"the removal order is not enforceable yet (enforceable on {package.enforceable_on})",
            )
        )
    elif lapses_on <= today:
        items.append(
            _item(
                "enforceable_on",
                MissingItemProblem.INVALID,
                f"the removal order lapsed on {lapses_on} and can no longer be enforced",
            )
        )
    if package.handed_over_at.date() < package.enforceable_on:
        items.append(
            _item(
                "handed_over_at",
                MissingItemProblem.INCONSISTENT,
                "the case was handed over before the removal order became enforceable",
            )
        )
    return items


def _inhibitions(
    package: CaseHandedOverToPoliceV1, *, today: date, known: Sequence[Inhibition]
) -> list[MissingItem]:
    items = []
    in_package = {record.inhibition_id for record in package.inhibitions}
    for index, record in enumerate(package.inhibitions):
        where = f"inhibitions[{index}]"
        if record.ordered_on > today:
            items.append(_item(f"{where}.ordered_on", MissingItemProblem.INVALID, "is in the future"))
        if record.lifted_on is not None and record.lifted_on < record.ordered_on:
            items.append(
                _item(
                    f"{where}.lifted_on", MissingItemProblem.INCONSISTENT, "is before the date it was ordered"
                )
            )
    for inhibition in merge(package_inhibitions(package), known):
        if not inhibition.in_force:
            continue
        where = (
            f"inhibitions[{[r.inhibition_id for r in package.inhibitions].index(inhibition.inhibition_id)}]"
            if inhibition.inhibition_id in in_package
            else "inhibitions"
        )
        origin = (
            "" if inhibition.inhibition_id in in_package else " (registered at intake, not in the package)"
        )
        items.append(
            _item(
                where,
                MissingItemProblem.INVALID,
                f"inhibition {inhibition.inhibition_id} ordered on {inhibition.ordered_on} by "
                f"{inhibition.court} is in force{origin}: enforcement is stayed",
            )
        )
    return items


def _decisions(package: CaseHandedOverToPoliceV1) -> list[MissingItem]:
    if not package.decisions:
        return [_item("decisions", MissingItemProblem.MISSING, "the decisions the removal rests on")]
    return [
        _item(
            f"decisions[{index}].decided_on",
            MissingItemProblem.INCONSISTENT,
            f"decision {decision.decision_id} is dated after the order became enforceable",
        )
        for index, decision in enumerate(package.decisions)
        if decision.decided_on > package.enforceable_on
    ]


def _identity(package: CaseHandedOverToPoliceV1, *, today: date) -> list[MissingItem]:
    identity = package.identity
    items = []
    born = identity.date_of_birth
    if born > today:
        items.append(_item("identity.date_of_birth", MissingItemProblem.INVALID, "is in the future"))
    elif age_on(born, today) > OLDEST_PLAUSIBLE_AGE:
        items.append(_item("identity.date_of_birth", MissingItemProblem.INVALID, "is not plausible"))
    elif born > package.enforceable_on:
        items.append(
            _item(
                "identity.date_of_birth",
                MissingItemProblem.INCONSISTENT,
                "is after the date the removal order became enforceable",
            )
        )
    elif (
        Vulnerability.UNACCOMPANIED_MINOR in package.vulnerabilities
        and born <= package.handed_over_at.date()
        and age_on(born, package.handed_over_at.date()) >= ADULT_AGE
    ):
        items.append(
            _item(
                "vulnerabilities",
                MissingItemProblem.INCONSISTENT,
                "unaccompanied_minor, but the date of birth makes the person an adult",
            )
        )
    kinds = {document.kind for document in identity.documents}
    category = identity.identity_category
    if category is IdentityCategory.DOCUMENTED and not kinds & IDENTITY_DOCUMENTS:
        items.append(
            _item(
                "identity.documents",
                MissingItemProblem.MISSING,
                "identity_category is documented but no passport or national identity card is listed",
            )
        )
    elif category is IdentityCategory.PARTLY_DOCUMENTED and not kinds:
        items.append(
            _item(
                "identity.documents",
                MissingItemProblem.MISSING,
                "identity_category is partly_documented but no document is listed",
            )
        )
    elif category is IdentityCategory.UNDOCUMENTED and kinds & IDENTITY_DOCUMENTS:
        items.append(
            _item(
                "identity.identity_category",
                MissingItemProblem.INCONSISTENT,
                "undocumented, but a passport or national identity card is listed",
            )
        )
    return items


def _travel_document(package: CaseHandedOverToPoliceV1, *, today: date) -> list[MissingItem]:
    status = package.travel_document_status
    if status is TravelDocumentStatus.VALID_DOCUMENT_HELD:
        valid = [
            document
            for document in package.identity.documents
            if document.kind in TRAVEL_DOCUMENTS
            and (document.expires_on is None or document.expires_on > today)
        ]
        if not valid:
            return [
                _item(
                    "identity.documents",
                    MissingItemProblem.INCONSISTENT,
                    "travel_document_status is valid_document_held but no unexpired passport or national "
                    "identity card is listed",
                )
            ]
    if status is TravelDocumentStatus.NOT_REQUESTED:
        return [
            _item(
                "travel_document_status",
                MissingItemProblem.MISSING,
                "no valid travel document is held and none has been requested",
            )
        ]
    if status is TravelDocumentStatus.REFUSED:
        return [
            _item(
                "travel_document_status",
                MissingItemProblem.INVALID,
                "the travel document was refused; request a new one or another kind before handing over",
            )
        ]
    return []


def _address(package: CaseHandedOverToPoliceV1, *, handed_over_on: date) -> list[MissingItem]:
    address = package.last_known_address
    if address is None:
        return [
            _item(
                "last_known_address",
                MissingItemProblem.MISSING,
                "where the person was last known to live or stay",
            )
        ]
    if address.known_on > handed_over_on:
        return [
            _item("last_known_address.known_on", MissingItemProblem.INCONSISTENT, "is after the handover")
        ]
    return []


def _counselling(package: CaseHandedOverToPoliceV1, *, handed_over_on: date) -> list[MissingItem]:
    history = package.counselling_history
    if not history:
        return [
            _item(
                "counselling_history",
                MissingItemProblem.MISSING,
                "no return counselling meeting recorded; the first is due within two weeks of enforceability",
            )
        ]
    items = []
    previous: date | None = None
    for index, meeting in enumerate(history):
        where = f"counselling_history[{index}]"
        if meeting.meeting_number != index + 1:
            items.append(
                _item(
                    f"{where}.meeting_number",
                    MissingItemProblem.INCONSISTENT,
                    f"expected meeting number {index + 1} (meetings oldest first, none missing)",
                )
            )
        if meeting.held_on > handed_over_on:
            items.append(_item(f"{where}.held_on", MissingItemProblem.INCONSISTENT, "is after the handover"))
        elif previous is not None and meeting.held_on < previous:
            items.append(
                _item(f"{where}.held_on", MissingItemProblem.INCONSISTENT, "is before the previous meeting")
            )
        previous = meeting.held_on
    return items
