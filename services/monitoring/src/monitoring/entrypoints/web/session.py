"""The session of the ombudsman's pages: a signed cookie holding the bearer token and a CSRF token.

The person pastes the same token the API takes; the cookie keeps it for the pages, and every
request verifies it again through :mod:`handoff_plumbing.auth` (so a change of how tokens are
verified reaches the pages too, and the session ends when the token expires). The cookie is
``HttpOnly`` (no script reads it), ``SameSite=Strict`` (no other site's page sends it),
``Secure`` unless configured otherwise, limited to ``/ui`` (the API never takes it) and
signed with HMAC-SHA256 under the session key, so that it cannot be forged or edited.

Before signing in the cookie holds only the CSRF token, so that the sign-in form is
protected like every other; signing in replaces it with a new one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

COOKIE = "handoff_monitor_session"
PATH = "/ui"
SIGN_IN_WINDOW_SECONDS = 3600
"""How long a sign-in form stays valid before the person has signed in."""


@dataclass(frozen=True)
class Session:
    csrf: str
    expires_at: int  # Unix seconds: the token's expiry, or the sign-in window's end
    token: str | None = None

    @classmethod
    def before_sign_in(cls, now: datetime) -> Session:
        return cls(csrf=secrets.token_urlsafe(32), expires_at=int(now.timestamp()) + SIGN_IN_WINDOW_SECONDS)

    @classmethod
    def signed_in(cls, token: str, expires_at: int) -> Session:
        """A fresh session (a new CSRF token: nothing from before the sign-in carries over)."""
        return cls(csrf=secrets.token_urlsafe(32), expires_at=expires_at, token=token)

    def expired(self, now: datetime) -> bool:
        return now.timestamp() >= self.expires_at

    def max_age(self, now: datetime) -> int:
        return max(0, self.expires_at - int(now.timestamp()))

    def csrf_matches(self, offered: str | None) -> bool:
        return offered is not None and hmac.compare_digest(offered.encode(), self.csrf.encode())


class SessionSeal:
    """Signs sessions into cookie values and opens them again; a changed byte opens nothing."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("the session key needs 32 bytes or more")
        self._key = key

    def seal(self, session: Session) -> str:
        payload = json.dumps(
            {"c": session.csrf, "e": session.expires_at, "t": session.token}, separators=(",", ":")
        ).encode()
        body = _encode(payload)
        return f"{body}.{_encode(self._mac(body))}"

    def open(self, value: str | None, now: datetime) -> Session | None:
        """The session in ``value``, or None if it is missing, forged, edited or expired."""
        if not value or value.count(".") != 1:
            return None
        body, mac = value.split(".")
        try:
            if not hmac.compare_digest(_decode(mac), self._mac(body)):
                return None
            fields = json.loads(_decode(body))
            session = Session(csrf=str(fields["c"]), expires_at=int(fields["e"]), token=fields["t"])
        except (ValueError, KeyError, TypeError):
            return None
        if session.token is not None and not isinstance(session.token, str):
            return None
        return None if session.expired(now) else session

    def _mac(self, body: str) -> bytes:
        return hmac.new(self._key, b"handoff-monitor-session:" + body.encode(), hashlib.sha256).digest()


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
