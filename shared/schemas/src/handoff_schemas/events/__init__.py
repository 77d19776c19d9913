"""Event models per publishing service and major version.

Importing this package imports every module below, which registers each event model in
:data:`handoff_schemas.base.EVENT_TYPES` (a consumer looks models up by ``ce_type``).
"""

from handoff_schemas.events import (
    common,
    identity,
    intake,
    intake_dublin,
    monitoring,
    police,
    police_measures,
    resettlement,
    resettlement_steps,
    returns,
    returns_steps,
)

__all__ = [
    "common",
    "identity",
    "intake",
    "intake_dublin",
    "monitoring",
    "police",
    "police_measures",
    "resettlement",
    "resettlement_steps",
    "returns",
    "returns_steps",
]
