"""The compatibility gate: no committed schema ever changes incompatibly within its version.

Every event version's schema is committed (``shared/schemas/jsonschema``). The gate checks

* the schema the models export now against the last committed one, and
* every pair of consecutive committed versions in the git history,

with the topic's compatibility rule (BACKWARD over closed schemas: the new schema must
accept every message the old one accepted). A breaking change needs a new major version:
a new event type ``….v2`` (and a new schema file), never an edit of ``….v1``.

    python -m handoff_schemas.gate        # exit 1 and one line per breaking change
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

from handoff_schemas import registry
from handoff_schemas.compat import breaking_changes

REPO = registry.PACKAGE_ROOT.parents[1]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(  # noqa: S603
        ["git", "-C", str(repo), *args],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def in_git_checkout(repo: Path = REPO) -> bool:
    try:
        return _git(repo, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except (OSError, subprocess.CalledProcessError):
        return False


def committed_versions(repo: Path, path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(commit, schema) for every committed version of ``path``, oldest first."""
    relative = path.relative_to(repo).as_posix()
    for commit in reversed(_git(repo, "log", "--format=%H", "--", relative).split()):
        try:
            text = _git(repo, "show", f"{commit}:{relative}")
        except subprocess.CalledProcessError:  # deleted in that commit
            continue
        yield commit, json.loads(text)


def problems(
    current: dict[str, dict[str, Any]] | None = None,
    *,
    repo: Path = REPO,
    schema_dir: Path = registry.SCHEMA_DIR,
) -> list[str]:
    """Every breaking change without a new major version, as readable lines.

    ``current`` maps event types to the schemas the models export now (default: all).
    """
    if current is None:
        current = {t: registry.json_schema(m) for t, m in registry.contract_events().items()}
    found: list[str] = []
    if not in_git_checkout(repo):
        return found
    for event_type, schema in sorted(current.items()):
        history = list(committed_versions(repo, schema_dir / f"{event_type}.json"))
        for (old_commit, old), (new_commit, new) in pairwise(history):
            found += [
                f"{event_type} ({old_commit[:8]} -> {new_commit[:8]}): {change}"
                for change in breaking_changes(old, new)
            ]
        if history:
            last_commit, last = history[-1]
            found += [
                f"{event_type} ({last_commit[:8]} -> models now): {change}"
                for change in breaking_changes(last, schema)
            ]
    return found


def main() -> int:
    lines = problems()
    for line in lines:
        sys.stdout.write(f"breaking: {line}\n")
    if lines:
        sys.stdout.write("A breaking change needs a new major version (a new event type ….vN+1).\n")
        return 1
    sys.stdout.write("compatible: no committed schema changed incompatibly\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
