"""The operators' files, checked with the operators' own tools: promtool checks and unit-tests
the alert rules and the compose Prometheus config, helm lints and renders every chart, and the
rules, the dashboard and docker-compose agree with what the code exposes and pins."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import REGISTRY

import monitoring.adapters.metrics  # noqa: F401  (registers the monitor's metrics)
from handoff_devtools.local_kafka import kafka_version
from handoff_devtools.testing.fixtures import require_tool
from handoff_plumbing import metrics

pytestmark = [pytest.mark.unit]
ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ALERTS = DEPLOY / "prometheus" / "alerts.yml"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "handoff.json"
SERVICE_CHARTS = ["intake", "returns", "police-handover", "monitoring", "resettlement"]


def run(*command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, timeout=120)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"{' '.join(result.args)}\n{result.stdout}{result.stderr}"
    return result.stdout


# ------------------------------------------------------------------------------ alert rules


def test_promtool_checks_the_rules_and_their_unit_tests_pass() -> None:
    promtool = require_tool("promtool")
    assert "SUCCESS: 9 rules found" in ok(run(promtool, "check", "rules", str(ALERTS)))
    assert "SUCCESS" in ok(run(promtool, "test", "rules", str(ALERTS.with_name("alerts.test.yml"))))


def test_every_alert_has_a_unit_test() -> None:
    alerts = {r["alert"] for g in yaml.safe_load(ALERTS.read_text())["groups"] for r in g["rules"]}
    tests = yaml.safe_load(ALERTS.with_name("alerts.test.yml").read_text())["tests"]
    tested = {case["alertname"] for test in tests for case in test["alert_rule_test"] if case["exp_alerts"]}
    assert alerts == tested


def test_the_compose_prometheus_config_is_valid(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    config["rule_files"] = [str(ALERTS)]  # where compose mounts it, here
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    ok(run(promtool, "check", "config", str(tmp_path / "prometheus.yml")))
    services = {c["labels"]["service"] for c in config["scrape_configs"][0]["static_configs"]}
    assert services == set(SERVICE_CHARTS)


def exposed_metric_names() -> set[str]:
    names = set(metrics.GAUGES) | {"up"}
    for family in REGISTRY.collect():
        if family.name.startswith("handoff_"):
            suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_count", "_sum"]}
            names |= {family.name + suffix for suffix in suffixes.get(family.type, [""])}
    return names


def expressions() -> dict[str, str]:
    rules = {r["alert"]: r["expr"] for g in yaml.safe_load(ALERTS.read_text())["groups"] for r in g["rules"]}
    panels = json.loads(DASHBOARD.read_text())["panels"]
    targets = {f"{p['title']} {t['refId']}": t["expr"] for p in panels for t in p.get("targets", [])}
    return {**rules, **targets}


def test_rules_and_dashboard_use_only_metrics_the_services_expose() -> None:
    exposed = exposed_metric_names()
    assert {"handoff_consumer_records_total", "handoff_notices", "handoff_webhook_backlog"} <= exposed
    for where, expr in expressions().items():
        used = set(re.findall(r"\b(handoff_[a-z_]+|up)\b(?=\s*[{\[)]|\s*$|\s*[<>=])", expr))
        assert used, f"{where}: no metric in {expr!r}"
        assert used <= exposed, f"{where}: {sorted(used - exposed)} is not exposed"


def test_the_dashboard_uses_the_provisioned_data_source() -> None:
    sources = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "datasources" / "handoff.yml").read_text()
    )
    uids = {s["uid"] for s in sources["datasources"]}
    panels = json.loads(DASHBOARD.read_text())["panels"]
    assert {p["datasource"]["uid"] for p in panels if "datasource" in p} <= uids


# ------------------------------------------------------------------------------ docker-compose


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return document


def test_compose_runs_the_kafka_and_zipkin_versions_the_poms_pin() -> None:
    services = compose()["services"]
    assert services["kafka"]["image"] == f"apache/kafka:{kafka_version()}"
    pom = (ROOT / "tools" / "zipkin" / "pom.xml").read_text()
    zipkin = re.search(r"<zipkin.version>([^<]+)</zipkin.version>", pom)
    assert zipkin is not None
    assert services["zipkin"]["image"] == f"openzipkin/zipkin:{zipkin.group(1)}"


def test_compose_mounts_only_files_that_exist_and_traces_go_through_the_collector() -> None:
    services = compose()["services"]
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which does not exist"
    for name in SERVICE_CHARTS:
        assert services[name]["environment"]["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318"
    collector = yaml.safe_load((DEPLOY / "otel-collector" / "config.yml").read_text())
    assert collector["exporters"]["zipkin"]["endpoint"] == "http://zipkin:9411/api/v2/spans"


# ------------------------------------------------------------------------------ Helm


@pytest.fixture(scope="module")
def helm(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """helm, and a copy of deploy/ to render from (dependency builds write into the charts)."""
    binary = require_tool("helm", also_in=ROOT / ".cache" / "tools" / "bin")
    copy = tmp_path_factory.mktemp("deploy") / "deploy"
    shutil.copytree(DEPLOY, copy, symlinks=True)
    return binary, copy / "helm"


def documents(text: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(text) if d]


@pytest.mark.slow
@pytest.mark.parametrize("chart", SERVICE_CHARTS)
def test_each_service_chart_lints_strictly_and_renders_a_restricted_pod(helm, chart: str) -> None:
    binary, charts = helm
    ok(run(binary, "dependency", "build", chart, cwd=charts))
    ok(run(binary, "lint", "--strict", chart, cwd=charts))
    rendered = documents(ok(run(binary, "template", "release", chart, cwd=charts)))
    kinds = sorted(d["kind"] for d in rendered)
    assert kinds == ["ConfigMap", "Deployment", "PodDisruptionBudget", "Service"]  # ServiceMonitor is opt-in
    [deployment] = [d for d in rendered if d["kind"] == "Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    [container] = pod["containers"]
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    assert mounts == {"/tmp": "tmp", "/app/var": "var"}  # noqa: S108  (a path in the pod, not here)
    assert all("emptyDir" in volumes[name] for name in mounts.values())

    with_monitor = documents(
        ok(run(binary, "template", "release", chart, "--set", "serviceMonitor.enabled=true", cwd=charts))
    )
    [monitor] = [d for d in with_monitor if d["kind"] == "ServiceMonitor"]
    assert monitor["spec"]["endpoints"][0]["path"] == "/metrics"
    assert monitor["spec"]["endpoints"][0]["honorLabels"] is True
    assert {"targetLabel": "job", "replacement": "handoff"} in monitor["spec"]["endpoints"][0]["relabelings"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("setting", "complaint"),
    [
        ("replicaCount=-1", "replicaCount"),
        ("env.KAFKA_SASL_PASSWORD=in-plain-sight", "env"),
        ("env.DEVELOPMENT_MODE=true", "env"),
        ("image.pullPolicy=Sometimes", "pullPolicy"),
        ("serviceMonitor.interval=soon", "interval"),
    ],
)
def test_the_values_schema_refuses_wrong_values(helm, setting: str, complaint: str) -> None:
    binary, charts = helm
    ok(run(binary, "dependency", "build", "intake", cwd=charts))
    result = run(binary, "template", "release", "intake", "--set", setting, cwd=charts)
    assert result.returncode != 0
    assert complaint in result.stderr


@pytest.mark.slow
def test_the_observability_chart_carries_the_rules_and_the_dashboard_unchanged(helm) -> None:
    binary, charts = helm
    ok(run(binary, "lint", "--strict", "handoff-observability", cwd=charts))
    assert documents(ok(run(binary, "template", "o", "handoff-observability", cwd=charts))) == []
    rendered = documents(
        ok(
            run(
                binary, "template", "o", "handoff-observability",
                "--set", "prometheusRule.enabled=true", "--set", "grafanaDashboard.enabled=true",
                cwd=charts,
            )
        )
    )  # fmt: skip
    [rule] = [d for d in rendered if d["kind"] == "PrometheusRule"]
    assert rule["spec"]["groups"] == yaml.safe_load(ALERTS.read_text())["groups"]
    [dashboard] = [d for d in rendered if d["kind"] == "ConfigMap"]
    assert json.loads(dashboard["data"]["handoff.json"]) == json.loads(DASHBOARD.read_text())
