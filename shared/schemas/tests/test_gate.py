"""The gate over the git history of the committed schemas."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field

from handoff_schemas import gate

pytestmark = pytest.mark.unit


class PlanV1(BaseModel):
    model_config = ConfigDict(extra="forbid")
    plan_id: str
    transport: str


class PlanCompatible(PlanV1):
    escort: str | None = Field(default=None)  # a new optional field


class PlanBreaking(BaseModel):
    model_config = ConfigDict(extra="forbid")
    plan_id: str  # transport removed


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def commit_schema(repo: Path, schema: dict[str, Any], message: str) -> None:
    path = repo / "schemas" / "handoff.test.plan.v1.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(schema))
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--allow-empty", "-qm", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    commit_schema(tmp_path, PlanV1.model_json_schema(), "v1")
    return tmp_path


def test_a_compatible_history_and_change_pass(repo: Path) -> None:
    commit_schema(repo, PlanCompatible.model_json_schema(), "add escort")
    current = {"handoff.test.plan.v1": PlanCompatible.model_json_schema()}
    assert gate.problems(current, repo=repo, schema_dir=repo / "schemas") == []


def test_a_breaking_change_in_the_models_is_named(repo: Path) -> None:
    current = {"handoff.test.plan.v1": PlanBreaking.model_json_schema()}
    [problem] = gate.problems(current, repo=repo, schema_dir=repo / "schemas")
    assert "handoff.test.plan.v1" in problem
    assert "-> models now" in problem
    assert "transport" in problem
    assert "removed field" in problem


def test_a_breaking_change_anywhere_in_the_history_is_named(repo: Path) -> None:
    commit_schema(repo, PlanBreaking.model_json_schema(), "drop transport")
    commit_schema(repo, PlanBreaking.model_json_schema(), "unrelated")
    current = {"handoff.test.plan.v1": PlanBreaking.model_json_schema()}
    [problem] = gate.problems(current, repo=repo, schema_dir=repo / "schemas")
    assert "transport" in problem
    assert "removed field" in problem


def test_the_registry_has_never_changed_a_schema_incompatibly() -> None:
    assert gate.problems() == []
