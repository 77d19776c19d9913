"""Write each service's API documents: docs/asyncapi/<service>.json and docs/openapi/<service>.json.

    uv run python tools/api_docs.py        # what `make contracts` runs

Generated from the code (the service definitions and their FastAPI apps); a test fails when
a committed document differs from what this writes.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import intake.bootstrap
import monitoring.bootstrap
import police_handover.bootstrap
import resettlement.bootstrap
import returns.bootstrap
from handoff_plumbing.apidocs import asyncapi, render
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
from handoff_plumbing.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SERVICES: dict[
    str, tuple[Callable[[], ServiceDefinition], Callable[[Settings], ServiceRuntime], type[Settings]]
] = {
    "intake": (intake.bootstrap.definition, intake.bootstrap.build, intake.bootstrap.IntakeSettings),
    "returns": (returns.bootstrap.definition, returns.bootstrap.build, returns.bootstrap.ReturnsSettings),
    "police-handover": (
        police_handover.bootstrap.definition,
        police_handover.bootstrap.build,
        police_handover.bootstrap.PoliceHandoverSettings,
    ),
    "monitoring": (
        monitoring.bootstrap.definition,
        monitoring.bootstrap.build,
        monitoring.bootstrap.MonitoringSettings,
    ),
    "resettlement": (
        resettlement.bootstrap.definition,
        resettlement.bootstrap.build,
        resettlement.bootstrap.ResettlementSettings,
    ),
}


def documents() -> dict[Path, str]:
    """Every generated document, by the path it is committed at."""
    out: dict[Path, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (definition, build, settings_class) in SERVICES.items():
            out[ROOT / "docs" / "asyncapi" / f"{name}.json"] = render(asyncapi(definition()))
            runtime = build(settings_class(database_url=f"sqlite+aiosqlite:///{tmp}/{name}.db"))
            out[ROOT / "docs" / "openapi" / f"{name}.json"] = render(runtime.create_app().openapi())
    return out


def main() -> int:
    for path, text in documents().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            sys.stdout.write(f"wrote {path.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
