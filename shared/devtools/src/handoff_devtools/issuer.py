"""The development identity issuer: signs tokens as an identity provider would, for development and tests.

Its default key pair's private half is committed here, and its public half is
:data:`handoff_plumbing.development.DEVELOPMENT_JWKS`, which a service in development mode
accepts when no identity provider is configured. Tests make issuers with fresh keys
(:meth:`LocalIssuer.generate`) to play a real provider, with key rotation by ``kid``.

    python -m handoff_devtools.issuer --role county_board --county 12     # make token ROLE=...
    python -m handoff_devtools.issuer --jwks                               # the public key set
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from handoff_plumbing.development import DEVELOPMENT_KEY_ID
from handoff_schemas.topics import ROLES

__all__ = ["DEVELOPMENT_ISSUER", "LocalIssuer", "main"]

# Development only: this key is public knowledge, so no service outside development mode accepts it.
_DEVELOPMENT_PRIVATE_KEY = b"""-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgiV+N2wCFOKZg43Jt
VJsR8PqFNXD6kai4SohV6sxuxzyhRANCAAR2Llq4MmHH4I+rv67owjS6mjJ/OZwh
zDK7vjgi15chHVYw5JtmixnPFZg/MUZW4urvKfTyrit9x+qqUDkNOqMX
-----END PRIVATE KEY-----
"""
_ALGORITHMS = {"ES256": "EC P-256", "RS256": "RSA 2048"}


@dataclass(frozen=True)
class SigningKey:
    kid: str
    algorithm: str
    private: PrivateKeyTypes

    def public_jwk(self) -> dict[str, Any]:
        algorithm = jwt.get_algorithm_by_name(self.algorithm)
        jwk: dict[str, Any] = json.loads(algorithm.to_jwk(self.private.public_key()))  # type: ignore[arg-type]
        return {**jwk, "kid": self.kid, "alg": self.algorithm, "use": "sig"}


class LocalIssuer:
    """Issues signed tokens with its current key; publishes every key it still holds (rotation)."""

    def __init__(self, key: SigningKey, *, issuer: str = "handoff", audience: str = "handoff") -> None:
        self.issuer = issuer
        self.audience = audience
        self._keys = [key]

    @classmethod
    def generate(cls, algorithm: str = "ES256", *, kid: str | None = None, **names: str) -> LocalIssuer:
        """An issuer with a fresh key pair (as an identity provider of its own)."""
        return cls(_new_key(algorithm, kid), **names)

    @property
    def current(self) -> SigningKey:
        return self._keys[-1]

    def rotate(
        self, algorithm: str = "ES256", *, kid: str | None = None, retire_old: bool = False
    ) -> SigningKey:
        """Sign with a new key from now on; the old ones stay published unless retired."""
        key = _new_key(algorithm, kid)
        self._keys = [key] if retire_old else [*self._keys, key]
        return key

    def jwks(self) -> dict[str, Any]:
        """The public key set, as the provider publishes it at its JWKS URL."""
        return {"keys": [key.public_jwk() for key in self._keys]}

    def token(
        self,
        role: str,
        *,
        subject: str | None = None,
        department: str | None = None,
        county: str | None = None,
        municipality: str | None = None,
        lifetime: timedelta = timedelta(hours=12),
        now: datetime | None = None,
        **extra: Any,
    ) -> str:
        """A token for one role, with the unit it acts for as claims of their own."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; one of {sorted(ROLES)}")
        issued = now or datetime.now(UTC)
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject or f"dev-{role}",
            "roles": [role],
            "iat": issued,
            "exp": issued + lifetime,
        }
        units = {"department": department, "county": county, "municipality": municipality}
        claims |= {name: value for name, value in units.items() if value is not None}
        claims |= extra
        key = self.current
        return jwt.encode(claims, key.private, algorithm=key.algorithm, headers={"kid": key.kid})  # type: ignore[arg-type]


def _new_key(algorithm: str, kid: str | None) -> SigningKey:
    if algorithm == "ES256":
        private: PrivateKeyTypes = ec.generate_private_key(ec.SECP256R1())
    elif algorithm == "RS256":
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        raise ValueError(f"algorithm {algorithm!r}: one of {sorted(_ALGORITHMS)}")
    return SigningKey(kid or f"key-{uuid.uuid4().hex[:8]}", algorithm, private)


DEVELOPMENT_ISSUER = LocalIssuer(
    SigningKey(DEVELOPMENT_KEY_ID, "ES256", load_pem_private_key(_DEVELOPMENT_PRIVATE_KEY, password=None))
)


def main(argv: list[str] | None = None) -> int:
    """Print a development token (or the development issuer's public key set)."""
    parser = argparse.ArgumentParser(
        prog="python -m handoff_devtools.issuer", description="Print a token from the development issuer."
    )
    parser.add_argument("--role", choices=sorted(ROLES), default="agency")
    parser.add_argument("--subject", default=None, help="who the token speaks for (default dev-<role>)")
    parser.add_argument("--department", default=None, help="police department code (role police)")
    parser.add_argument("--county", default=None, help="county code (role county_board)")
    parser.add_argument("--municipality", default=None, help="municipality code (role municipality)")
    parser.add_argument("--hours", type=float, default=12.0)
    parser.add_argument("--jwks", action="store_true", help="print the public key set instead")
    args = parser.parse_args(argv)
    if args.jwks:
        sys.stdout.write(json.dumps(DEVELOPMENT_ISSUER.jwks(), indent=2) + "\n")
        return 0
    token = DEVELOPMENT_ISSUER.token(
        args.role,
        subject=args.subject,
        department=args.department,
        county=args.county,
        municipality=args.municipality,
        lifetime=timedelta(hours=args.hours),
    )
    sys.stdout.write(token + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
