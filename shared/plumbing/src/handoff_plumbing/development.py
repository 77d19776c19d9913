"""What only a development machine may use, and the refusal to start with it anywhere else.

The development identity issuer (``handoff_devtools.issuer``, ``make token``) signs tokens
with a key pair whose private half is committed to the repository; its public half is
:data:`DEVELOPMENT_JWKS`, which a service uses when no identity provider is configured
(``JWT_JWKS_URL`` unset). The local Kafka broker gives each principal the password
:func:`development_kafka_password`. Both are public knowledge, so a service outside
development mode (``DEVELOPMENT_MODE``, which ``make run`` and the tests set) refuses to
start with either, and never accepts the development key even from a configured key set.
"""

from __future__ import annotations

from typing import Any

from handoff_plumbing.settings import Settings

DEVELOPMENT_KEY_ID = "handoff-development-1"
DEVELOPMENT_JWKS: dict[str, Any] = {
    "keys": [
        {
            "kty": "EC",
            "crv": "P-256",
            "x": "di5auDJhx-CPq7-u6MI0upoyfzmcIcwyu744IteXIR0",
            "y": "VjDkm2aLGc8VmD8xRlbi6u8p9PKuK33H6qpQOQ06oxc",
            "kid": DEVELOPMENT_KEY_ID,
            "alg": "ES256",
            "use": "sig",
        }
    ]
}
_DEVELOPMENT_PUBLIC_POINTS = frozenset({(key["x"], key["y"]) for key in DEVELOPMENT_JWKS["keys"]})


class DevelopmentCredentialsRefused(RuntimeError):
    """A service outside development mode was configured with development keys or secrets."""


def development_kafka_password(principal: str) -> str:
    """The local broker's password for ``principal`` (development only: it is in the source)."""
    return f"{principal}-development-only"


def is_development_key(jwk: dict[str, Any]) -> bool:
    """True if ``jwk`` is the development issuer's public key (whatever ``kid`` it was given)."""
    return (jwk.get("x"), jwk.get("y")) in _DEVELOPMENT_PUBLIC_POINTS


def development_credentials_in_use(settings: Settings) -> list[str]:
    """Which development keys or secrets ``settings`` would use, in words; empty when none."""
    found = []
    if not settings.jwt_jwks_url:
        found.append("it would accept tokens signed with the development key (JWT_JWKS_URL is not set)")
    password = settings.kafka_sasl_password
    username = settings.kafka_sasl_username
    if (
        password is not None
        and username
        and password.get_secret_value() == development_kafka_password(username)
    ):
        found.append(f"KAFKA_SASL_PASSWORD is the development password of {username!r}")
    return found


def refuse_development_credentials(settings: Settings) -> None:
    """Raise :class:`DevelopmentCredentialsRefused` with one line saying why, unless in development mode."""
    if settings.development_mode:
        return
    found = development_credentials_in_use(settings)
    if found:
        raise DevelopmentCredentialsRefused(
            f"{settings.service_name} refuses to start with development credentials: {'; '.join(found)}. "
            "Configure the identity provider (JWT_JWKS_URL) and Kafka credentials, "
            "or set DEVELOPMENT_MODE=true on a development machine."
        )
