"""A real browser for the tests and tools: headless Chromium from Debian's package, driven by
Playwright over its DevTools protocol, and axe-core's accessibility rules run in the page.

Both come from the project's own set-up (``tools/ops-tools.sh chromium axe-core``); Playwright
is never asked to download a browser of its own.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, async_playwright

ROOT = Path(__file__).resolve().parents[5]
AXE = ROOT / ".cache" / "tools" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = (  # as root, and never reaching for the network
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
WCAG = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


@contextlib.asynccontextmanager
async def chromium(profile: Path, *, width: int = 1280, height: int = 900) -> AsyncIterator[BrowserContext]:
    """A fresh Chromium with its own profile directory ``profile``, a window ``width`` by ``height``."""
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            args=list(CHROMIUM_FLAGS),
            headless=True,
            viewport={"width": width, "height": height},
        )
        try:
            yield context
        finally:
            await context.close()


@dataclass(frozen=True)
class AxeResult:
    rules_passed: int
    violations: list[str]  # "rule (impact): element", one per element at fault


async def axe_check(page: Any) -> AxeResult:
    """axe-core's WCAG 2.x A and AA rules on ``page`` as it is now.

    The script is evaluated over the DevTools protocol, so the page's own Content Security
    Policy (``script-src 'self'``) stays in force for everything else.
    """
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE.read_text(encoding="utf-8"))
    result = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(WCAG)
    )
    violations = [
        f"{rule['id']} ({rule['impact']}): {node['target']}"
        for rule in result["violations"]
        for node in rule["nodes"]
    ]
    return AxeResult(rules_passed=len(result["passes"]), violations=violations)
