"""Who is calling, and for which county or municipality.

The caller's token names its unit in claims of its own: ``county`` for a county board
(role ``county_board``), ``municipality`` for a municipality (role ``municipality``), e.g.
``"county": "12"`` and ``"municipality": "1280"``. A county board or municipality sees
only what belongs to its own unit: anything else is answered as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from handoff_plumbing.errors import NotPermitted


@dataclass(frozen=True)
class Actor:
    subject: str
    role: str
    county_claim: str | None = None
    municipality_claim: str | None = None

    @property
    def county_code(self) -> str | None:
        return self.county_claim if self.role == "county_board" else None

    @property
    def municipality_code(self) -> str | None:
        return self.municipality_claim if self.role == "municipality" else None

    def county(self) -> str:
        """The county board's county; a board token without one may not act for any county."""
        code = self.county_code
        if code is None:
            raise NotPermitted("a county board's token must name its county (claim 'county')")
        return code

    def municipality(self) -> str:
        code = self.municipality_code
        if code is None:
            raise NotPermitted("a municipality's token must name its municipality (claim 'municipality')")
        return code

    def check_county(self, county_code: str) -> None:
        """For a county the caller names itself (a new agreement): acting for another is refused."""
        if self.county() != county_code:
            raise NotPermitted(f"county board {self.county()} may not act for county {county_code}")

    def sees_county(self, county_code: str) -> bool:
        """Whether something of ``county_code`` exists for this caller (a board sees its own county's)."""
        return self.role != "county_board" or self.county() == county_code

    def sees_municipality(self, municipality_code: str) -> bool:
        """Whether something of ``municipality_code`` exists for this caller (a municipality: its own)."""
        return self.role != "municipality" or self.municipality() == municipality_code
