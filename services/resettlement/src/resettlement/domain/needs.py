"""What a household needs of a place, and what makes a case hard to place.

The mapping from a household's settlement needs to what a municipal place must offer:

* ``accessible_housing``: the household is housed in the agreement's accessible places;
  those are kept for households that need them (no other household uses them);
* ``specialist_care`` and ``mental_health_support``: the municipality gives access to
  specialist care (the agreement's ``specialist_care_access``);
* ``unaccompanied_minor``: the municipality receives unaccompanied minors;
* every household needs a dwelling big enough for it when the agreement lists dwellings
  by size (:func:`minimum_dwelling`), which is what ``large_family`` comes down to;
* ``linked_family``: the household is placed in the county where its linked families are
  placed or offered, once one of them is;
* ``other_medical_need`` asks nothing of the place beyond primary care, which every
  municipality gives; it stays on the profile so that the municipality can prepare.
"""

from __future__ import annotations

from collections.abc import Iterable

from handoff_schemas.events.common import SettlementNeed
from handoff_schemas.events.resettlement import HousingSize

DWELLING_SIZES: tuple[HousingSize, ...] = (
    HousingSize.STUDIO,
    HousingSize.ONE_BEDROOM,
    HousingSize.TWO_BEDROOMS,
    HousingSize.THREE_BEDROOMS,
    HousingSize.FOUR_OR_MORE_BEDROOMS,
)
DWELLING_RANK = {size: rank for rank, size in enumerate(DWELLING_SIZES)}

SPECIALIST_CARE_NEEDS = frozenset({SettlementNeed.SPECIALIST_CARE, SettlementNeed.MENTAL_HEALTH_SUPPORT})
LARGE_FAMILY_SIZE = 6
"""From this household size on a family counts as large (hard to place) even if not marked so."""


def minimum_dwelling(household_size: int) -> HousingSize:
    """The smallest dwelling a household may be offered: one person a studio, two a one-bedroom
    flat, three or four two bedrooms, five or six three bedrooms, seven or more four or more."""
    if household_size <= 1:
        return HousingSize.STUDIO
    if household_size == 2:
        return HousingSize.ONE_BEDROOM
    if household_size <= 4:
        return HousingSize.TWO_BEDROOMS
    if household_size <= 6:
        return HousingSize.THREE_BEDROOMS
    return HousingSize.FOUR_OR_MORE_BEDROOMS


def is_hard_to_place(household_size: int, needs: Iterable[SettlementNeed], linked: bool = False) -> bool:
    """Special needs of any kind, a large family or a linked family make a case hard to place."""
    return bool(set(needs)) or household_size >= LARGE_FAMILY_SIZE or linked
