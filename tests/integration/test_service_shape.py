"""Every service has the same shape, and the import contracts that keep it fail on a violation.

A reader who knows one service finds any piece of another by name: the same modules, the
same rules object reached the same way, no file too long to read.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handoff_plumbing.service import ServiceDefinition

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]
# package, the name its rules and settings take
SERVICES = {
    "intake": "Intake",
    "returns": "Returns",
    "police_handover": "PoliceHandover",
    "monitoring": "Monitoring",
    "resettlement": "Resettlement",
}
MAX_LINES = 400


def source_of(package: str) -> Path:
    return ROOT / "services" / package.replace("_", "-") / "src" / package


def module_or_package(folder: Path, name: str) -> bool:
    return (folder / f"{name}.py").is_file() or (folder / name / "__init__.py").is_file()


@pytest.mark.parametrize("package", SERVICES)
def test_every_service_has_the_same_modules(package: str) -> None:
    src = source_of(package)
    for part in ("domain", "adapters", "entrypoints/http", "migrations/versions"):
        assert (src / part).is_dir(), f"{package} has no {part}/"
    for name in ("commands", "queries"):
        assert module_or_package(src, name), f"{package} has no {name}.py or {name}/"
    for name in ("event_handlers.py", "settings.py", "bootstrap.py", "domain/rules.py", "adapters/orm.py"):
        assert (src / name).is_file(), f"{package} has no {name}"
    assert not list(src.rglob("repository.py")), "one repository module per aggregate, named for it"
    assert not (src / "handlers").exists(), "commands/ and event_handlers.py, not handlers"


@pytest.mark.parametrize(("package", "name"), SERVICES.items())
def test_every_service_reaches_one_rules_object_the_same_way(package: str, name: str) -> None:
    rules_class = getattr(importlib.import_module(f"{package}.domain.rules"), f"{name}Rules")
    settings_class = getattr(importlib.import_module(f"{package}.settings"), f"{name}Settings")
    bootstrap = importlib.import_module(f"{package}.bootstrap")
    routers = importlib.import_module(f"{package}.entrypoints.http").routers
    subscriptions = importlib.import_module(f"{package}.event_handlers").subscriptions

    rules = settings_class().rules()
    definition: ServiceDefinition = bootstrap.definition(rules)
    assert isinstance(rules, rules_class)
    assert definition.rules is rules
    assert list(definition.routers) == list(routers)
    assert [s.name for s in definition.subscriptions] == [s.name for s in subscriptions(rules)]
    dependencies = (source_of(package) / "entrypoints" / "http" / "dependencies.py").read_text()
    assert f"Rules = Annotated[{name}Rules, Depends(rules_of({name}Rules))]" in dependencies


def test_no_service_file_is_longer_than_a_reader_can_hold() -> None:
    too_long = {
        str(path.relative_to(ROOT)): lines
        for package in SERVICES
        for path in source_of(package).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}


# ---------------------------------------------------------------------------- import contracts


def lint_imports(python_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the project's contracts; ``python_path`` shadows installed packages."""
    env = {**os.environ, "PYTHONPATH": str(python_path)} if python_path else dict(os.environ)
    return subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def copy_of_intake(tmp_path: Path) -> Path:
    shutil.copytree(source_of("intake"), tmp_path / "intake", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "intake"


def test_the_import_contracts_hold_for_the_code_as_it_is(tmp_path: Path) -> None:
    copy_of_intake(tmp_path)  # the same check on an untouched copy: the set-up breaks nothing
    result = lint_imports(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "broken"),
    [
        ("domain/rules.py", "import sqlalchemy", "A domain is plain Python"),
        ("commands.py", "import intake.entrypoints.http.models", "never import the HTTP edge"),
        ("adapters/applications.py", "import returns.domain.rules", "Services never import each other"),
        ("domain/decision.py", "import intake.adapters.orm", "layered alike"),
    ],
)
def test_a_deliberate_bad_import_breaks_make_lint(
    tmp_path: Path, module: str, bad_import: str, broken: str
) -> None:
    intake = copy_of_intake(tmp_path)
    target = intake / module
    target.write_text(
        target.read_text(encoding="utf-8") + f"\n{bad_import}  # deliberate\n", encoding="utf-8"
    )

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert "0 broken" not in result.stdout
    report = " ".join(result.stdout.split("Broken contracts", 1)[1].split())  # lines are wrapped
    assert broken in report, result.stdout
