"""Who is calling, and for which county or municipality.

The token's subject names the caller's body: ``county:<county code>`` for a county board
(role ``county_board``) and ``municipality:<municipality code>`` for a municipality (role
``municipality``), e.g. ``county:12`` and ``municipality:1280``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handoff_plumbing.errors import NotPermitted

_SUBJECT = re.compile(r"^(county|municipality):([0-9A-Za-z-]{1,16})$")


@dataclass(frozen=True)
class Actor:
    subject: str
    role: str

    def _code(self, kind: str) -> str | None:
        found = _SUBJECT.match(self.subject)
        return found.group(2) if found and found.group(1) == kind else None

    @property
    def county_code(self) -> str | None:
        return self._code("county") if self.role == "county_board" else None

    @property
    def municipality_code(self) -> str | None:
        return self._code("municipality") if self.role == "municipality" else None

    def county(self) -> str:
        """The county board's county; a board token without one may not act for any county."""
        code = self.county_code
        if code is None:
            raise NotPermitted("a county board's token subject must be 'county:<county code>'")
        return code

    def municipality(self) -> str:
        code = self.municipality_code
        if code is None:
            raise NotPermitted("a municipality's token subject must be 'municipality:<municipality code>'")
        return code

    def check_county(self, county_code: str) -> None:
        if self.county() != county_code:
            raise NotPermitted(f"county board {self.county()} may not act for county {county_code}")
