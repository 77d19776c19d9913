"""The person's situation that sets a Dublin transfer's time limit."""

from __future__ import annotations

from enum import StrEnum


class DublinStatus(StrEnum):
    NORMAL = "normal"
    IMPRISONED = "imprisoned"
    ABSCONDED = "absconded"
