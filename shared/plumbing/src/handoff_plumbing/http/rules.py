"""The one way a route reaches its service's rules: ``app.state.rules``, set from the definition."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request

R = TypeVar("R")


def rules_of(kind: type[R]) -> Callable[[Request], R]:
    """A dependency answering the app's rules; a missing or foreign rules object fails loudly."""

    def rules(request: Request) -> R:
        found = getattr(request.app.state, "rules", None)
        if not isinstance(found, kind):
            raise RuntimeError(
                f"app.state.rules is {type(found).__name__}, not {kind.__name__}: the service "
                "definition must carry its rules (ServiceDefinition.rules)"
            )
        return found

    rules.__name__ = f"{kind.__name__.lower()}_of_app"
    return rules
