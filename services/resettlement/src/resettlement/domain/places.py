"""Municipal places: what a county board agreed with a municipality for a year.

Places count people. Of the agreed places only the *assignable* ones may be used for
assignments (docs/domain.md, seed 001). Of those, the accessible places are kept for households that need
accessible housing: ``accessible pool = min(accessible, assignable)``, and every other
household uses the rest (the general pool). When the agreement lists dwellings by size, a
household also takes one free dwelling big enough for it; an agreement without a list of
dwellings limits only the number of people.

Places are held from the moment of an offer (so two offers cannot promise the same place)
and freed again by a decline or a withdrawn offer. One agreement per municipality and
year; a revision keeps the agreement id, and may not take away places already held.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.resettlement import HousingOffer, HousingSize, MunicipalPlacesAgreedV1
from resettlement.domain.matching_terms import AvailablePlace
from resettlement.domain.needs import DWELLING_SIZES


@dataclass
class PlacesUsage:
    """What offers and placements hold of one agreement."""

    general: int = 0
    accessible: int = 0
    dwellings: dict[HousingSize, int] = field(default_factory=dict)
    confirmed_persons: int = 0


@dataclass(frozen=True)
class PlacesTerms:
    """The numbers and facilities a county board and a municipality agreed on."""

    agreed_on: date
    agreed_places: int
    assignable_places: int
    accessible_places: int
    dwellings: dict[HousingSize, int]
    specialist_care_access: bool
    receives_unaccompanied_minors: bool

    def check(self, now: datetime) -> None:
        if self.agreed_on > now.date():
            raise InvalidInput("agreed_on", "must not be in the future")
        for name in ("agreed_places", "assignable_places", "accessible_places"):
            if getattr(self, name) < 0:
                raise InvalidInput(name, "must not be negative")
        if self.assignable_places > self.agreed_places:
            raise InvalidInput("assignable_places", "cannot exceed agreed_places")
        if self.accessible_places > self.agreed_places:
            raise InvalidInput("accessible_places", "cannot exceed agreed_places")
        if any(n < 0 for n in self.dwellings.values()):
            raise InvalidInput("housing", "dwelling counts must not be negative")

    @property
    def accessible_pool(self) -> int:
        return min(self.accessible_places, self.assignable_places)

    @property
    def general_pool(self) -> int:
        return self.assignable_places - self.accessible_pool


def agreement_id_for(municipality_code: str, year: int) -> str:
    return f"AGR-{year}-{municipality_code}"


@dataclass
class PlacesAgreement:
    agreement_id: str
    county_code: str
    municipality_code: str
    year: int
    terms: PlacesTerms
    recorded_at: datetime
    revised_at: datetime
    recorded_by: str

    @classmethod
    def agree(
        cls,
        *,
        county_code: str,
        municipality_code: str,
        year: int,
        terms: PlacesTerms,
        by: str,
        now: datetime,
    ) -> tuple[PlacesAgreement, MunicipalPlacesAgreedV1]:
        terms.check(now)
        if abs(year - terms.agreed_on.year) > 1:
            raise InvalidInput("year", "must be the year of the agreement or the one before or after")
        agreement = cls(
            agreement_id=agreement_id_for(municipality_code, year),
            county_code=county_code,
            municipality_code=municipality_code,
            year=year,
            terms=terms,
            recorded_at=now,
            revised_at=now,
            recorded_by=by,
        )
        return agreement, agreement.agreed_event()

    def revise(
        self, terms: PlacesTerms, usage: PlacesUsage, *, now: datetime
    ) -> MunicipalPlacesAgreedV1 | None:
        """New terms, keeping the id; places held by offers and placements cannot be taken away."""
        terms.check(now)
        if terms == self.terms:
            return None
        if terms.general_pool < usage.general or terms.accessible_pool < usage.accessible:
            raise Conflict(
                f"agreement {self.agreement_id}: {usage.general} general and {usage.accessible} accessible "
                "places are held by offers and placements; the revision leaves fewer"
            )
        if terms.dwellings:
            for size, used in usage.dwellings.items():
                if terms.dwellings.get(size, 0) < used:
                    raise Conflict(
                        f"agreement {self.agreement_id}: {used} {size.value} dwellings are held; "
                        "the revision leaves fewer"
                    )
        self.terms = terms
        self.revised_at = now
        return self.agreed_event()

    def agreed_event(self) -> MunicipalPlacesAgreedV1:
        t = self.terms
        return MunicipalPlacesAgreedV1(
            agreement_id=self.agreement_id,
            county_code=self.county_code,
            municipality_code=self.municipality_code,
            year=self.year,
            agreed_on=t.agreed_on,
            agreed_places=t.agreed_places,
            assignable_places=t.assignable_places,
            accessible_places=t.accessible_places,
            housing_sizes_offered=[
                HousingOffer(size=size, dwellings=t.dwellings[size])
                for size in DWELLING_SIZES
                if size in t.dwellings
            ],
            specialist_care_access=t.specialist_care_access,
        )

    def available(self, usage: PlacesUsage) -> AvailablePlace:
        t = self.terms
        return AvailablePlace(
            agreement_id=self.agreement_id,
            county_code=self.county_code,
            municipality_code=self.municipality_code,
            general_places=max(0, t.general_pool - usage.general),
            accessible_places=max(0, t.accessible_pool - usage.accessible),
            dwellings=(
                {size: max(0, n - usage.dwellings.get(size, 0)) for size, n in t.dwellings.items()}
                if t.dwellings
                else None
            ),
            specialist_care=t.specialist_care_access,
            receives_unaccompanied_minors=t.receives_unaccompanied_minors,
        )
