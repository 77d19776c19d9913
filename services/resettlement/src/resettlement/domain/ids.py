"""Pseudonymous ids: random, so they reveal nothing about the household."""

from __future__ import annotations

import secrets


def new_id(prefix: str, year: int) -> str:
    return f"{prefix}-{year}-{secrets.token_hex(5)}"
