"""What the pages answer instead of a page: a sign-in first, or an error page."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import quote

REASONS: Mapping[str, str] = MappingProxyType(
    {"ended": "Your session has ended: sign in again.", "signed-out": "You have signed out."}
)
"""Why the sign-in page is shown, by the code in its address (never text taken from the address)."""


class SignInRequired(Exception):
    """No session, or its token no longer holds: the visitor goes to the sign-in page."""

    def __init__(self, back_to: str, reason: str | None = None) -> None:
        assert reason is None or reason in REASONS
        super().__init__(reason or "sign in")
        self.back_to = back_to
        self.reason = reason

    def location(self) -> str:
        reason = f"&reason={quote(self.reason)}" if self.reason else ""
        return f"/ui/login?next={quote(self.back_to)}{reason}"


class PageRefused(Exception):
    """A request the pages answer with an error page: status, title and what to do."""

    def __init__(self, status_code: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.title = title
        self.detail = detail
