"""The receiver shown in the README verifies real deliveries, drops a replay and refuses the rest."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks import WebhookVerificationError

from monitoring.adapters.dispatcher import standard_webhook_headers
from monitoring.domain.webhook import TOLERANCE, new_secret

pytestmark = pytest.mark.unit
README = Path(__file__).resolve().parents[1] / "README.md"


def receiver(secrets: list[str]) -> dict[str, Any]:
    """The README's receiver code, run as the ombudsman would run it, trusting ``secrets``."""
    text = README.read_text(encoding="utf-8")
    [code] = re.findall(r"<!-- webhook-receiver[^>]*-->\n```python\n(.*?)```", text, re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(compile(code, str(README), "exec"), namespace)  # noqa: S102 - our own README
    namespace["SECRETS"][:] = secrets
    return namespace


def test_the_readme_receiver_takes_a_delivery_once_and_refuses_forgeries_and_stale_ones() -> None:
    old, new = new_secret(), new_secret()
    code = receiver([new])
    body = '{"delivery_id":"d-1","event":"notice.late"}'
    now = datetime.now(UTC)
    headers = standard_webhook_headers("d-1", (old, new), body, now)  # mid-rotation: signed by both

    assert code["receive"](body.encode(), headers) == {"delivery_id": "d-1", "event": "notice.late"}
    assert code["receive"](body.encode(), headers) is None  # replayed within the window: dropped
    with pytest.raises(WebhookVerificationError):
        code["receive"](body.replace("late", "missing").encode(), headers)
    stale = standard_webhook_headers("d-2", (new,), body, now - TOLERANCE - timedelta(seconds=1))
    with pytest.raises(WebhookVerificationError):
        code["receive"](body.encode(), stale)
    with pytest.raises(WebhookVerificationError):
        receiver([new_secret()])["receive"](body.encode(), headers)
