"""Who a bearer token speaks for: signature checked against the identity provider's keys.

Tokens are JWTs signed by the identity provider with RS256 or ES256; a service verifies them
against the provider's published key set (JWKS, ``JWT_JWKS_URL``), choosing the key by the
token's ``kid``. A ``kid`` it does not know makes it fetch the set again (at most every
:data:`MIN_REFRESH_SECONDS`), so the provider can rotate keys without a restart; the set is
also fetched again after ``JWT_JWKS_MAX_AGE_SECONDS``. Issuer, audience and expiry are
checked. No shared secret exists: what can verify a token cannot mint one.

The claims Handoff reads, each of its own::

    sub           who is calling (a person or a system)
    roles         the Handoff role, one of agency, police, monitor, county_board,
                  municipality, operator (other roles the provider adds are ignored)
    department    a police department's code (role police)
    county        a county's code (role county_board)
    municipality  a municipality's code (role municipality)
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import jwt
import structlog

from handoff_plumbing.development import DEVELOPMENT_JWKS, is_development_key
from handoff_plumbing.settings import Settings
from handoff_schemas.topics import ROLES

MIN_REFRESH_SECONDS = 30.0
UNIT_CLAIMS = ("department", "county", "municipality")
_UNIT_CODE = re.compile(r"^[0-9A-Za-z_-]{1,32}$")
log = structlog.get_logger("handoff.identity")


@dataclass(frozen=True)
class Caller:
    """The verified caller: its subject, its one Handoff role and the unit it acts for."""

    subject: str
    role: str
    department: str | None = None
    county: str | None = None
    municipality: str | None = None


class InvalidToken(Exception):
    """The token is not one this service accepts (answered with 401)."""


class NotAHandoffCaller(Exception):
    """A valid token that carries no usable Handoff role (answered with 403)."""


class KeysUnavailable(Exception):
    """The identity provider's keys could not be read (answered with 503)."""


def caller_from_claims(claims: dict[str, Any]) -> Caller:
    """The :class:`Caller` of verified ``claims``; a token speaks for one role and one unit."""
    roles = claims.get("roles")
    if isinstance(roles, str):
        roles = [roles]
    if not isinstance(roles, list):
        raise InvalidToken("the token carries no 'roles' claim")
    ours = sorted({role for role in roles if role in ROLES})
    if len(ours) != 1:
        raise NotAHandoffCaller(
            f"a token carries exactly one Handoff role (one of {sorted(ROLES)}); this one has {ours}"
        )
    units: dict[str, str | None] = {}
    for name in UNIT_CLAIMS:
        value = claims.get(name)
        if value is not None and not (isinstance(value, str) and _UNIT_CODE.match(value)):
            raise InvalidToken(f"claim {name!r} must be a code of 1-32 letters, digits, '-' or '_'")
        units[name] = value
    return Caller(subject=str(claims["sub"]), role=ours[0], **units)


class SigningKeys:
    """The provider's public keys by ``kid``, fetched lazily and again when a new ``kid`` appears.

    ``source`` is an ``https://`` (or ``http://``) URL, a ``file://`` URL or a path, or None
    for the development issuer's key. Outside development mode the development key is
    never used, whatever the source holds.
    """

    def __init__(
        self,
        source: str | None,
        *,
        development_mode: bool,
        max_age_seconds: float = 3600.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if source is None and not development_mode:
            raise KeysUnavailable("no identity provider configured (JWT_JWKS_URL) outside development mode")
        if source is not None and urlsplit(source).scheme == "http" and not development_mode:
            raise KeysUnavailable(
                "JWT_JWKS_URL must be an https:// (or file://) URL outside development mode"
            )
        self._source = source
        self._development = development_mode
        self._max_age = max_age_seconds
        self._transport = transport
        self._keys: dict[str, jwt.PyJWK] = {}
        self._loaded_at: float | None = None
        self._lock = asyncio.Lock()

    async def get(self, kid: str) -> jwt.PyJWK | None:
        now = time.monotonic()
        stale = self._loaded_at is None or now - self._loaded_at > self._max_age
        unknown = kid not in self._keys and (
            self._loaded_at is None or now - self._loaded_at >= MIN_REFRESH_SECONDS
        )
        if stale or unknown:
            await self._load()
        return self._keys.get(kid)

    async def _load(self) -> None:
        async with self._lock:
            try:
                document = await self._read()
                self._keys = self._usable(document)
            except KeysUnavailable:
                if not self._keys:
                    raise
                log.warning("identity provider keys not refreshed; keeping the known ones")
            finally:
                self._loaded_at = time.monotonic()

    async def _read(self) -> dict[str, Any]:
        source = self._source
        try:
            if source is None:
                return DEVELOPMENT_JWKS
            scheme = urlsplit(source).scheme
            if scheme in ("http", "https"):
                async with httpx.AsyncClient(transport=self._transport, timeout=5.0) as client:
                    response = await client.get(source, headers={"accept": "application/json"})
                    response.raise_for_status()
                    document = response.json()
            else:
                path = Path(source.removeprefix("file://"))
                document = json.loads(await asyncio.to_thread(path.read_text, encoding="utf-8"))
        except (httpx.HTTPError, OSError, ValueError) as exc:
            raise KeysUnavailable(
                f"the identity provider's keys could not be read: {type(exc).__name__}"
            ) from exc
        if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
            raise KeysUnavailable("the identity provider's key set has no 'keys' list")
        return document

    def _usable(self, document: dict[str, Any]) -> dict[str, jwt.PyJWK]:
        keys: dict[str, jwt.PyJWK] = {}
        for entry in document["keys"]:
            if not isinstance(entry, dict) or not entry.get("kid") or entry.get("use", "sig") != "sig":
                continue
            if is_development_key(entry) and not self._development:
                log.warning(
                    "the development signing key is ignored outside development mode", kid=entry["kid"]
                )
                continue
            try:
                keys[str(entry["kid"])] = jwt.PyJWK(entry)
            except jwt.PyJWTError:
                continue  # a key type or algorithm this service does not use
        return keys


class TokenVerifier:
    """Verifies bearer tokens as ``settings`` say: keys, algorithms, issuer, audience, leeway."""

    def __init__(self, settings: Settings, *, keys: SigningKeys | None = None) -> None:
        self._settings = settings
        self._algorithms = frozenset(settings.jwt_algorithms)
        self.keys = keys or SigningKeys(
            settings.jwt_jwks_url,
            development_mode=settings.development_mode,
            max_age_seconds=settings.jwt_jwks_max_age_seconds,
        )

    async def verify(self, token: str) -> Caller:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm not in self._algorithms:
            raise InvalidToken(f"signature algorithm {algorithm!r} is not accepted")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("the token names no signing key (kid)")
        key = await self.keys.get(kid)
        if key is None:
            raise InvalidToken(f"unknown signing key {kid!r}")
        if key.algorithm_name != algorithm:
            raise InvalidToken(f"key {kid!r} does not sign with {algorithm}")
        settings = self._settings
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],
                audience=settings.jwt_audience,
                issuer=settings.jwt_issuer,
                leeway=settings.jwt_leeway_seconds,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        return caller_from_claims(claims)
