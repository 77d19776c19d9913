"""Identifiers the Police hand out: random, so they reveal nothing about the person."""

from __future__ import annotations

import secrets


def new_reference(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(6)}"
