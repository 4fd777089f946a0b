"""ObservabilityStack watching a service on EksCluster: kube-prometheus-stack, the SLO
PrometheusRule, Alertmanager to the SNS topics, Grafana dashboards, the OTel collector.

Real validators on what the plan holds: promtool (rules, dashboard queries, a burn on
the OTel series firing the page alert), amtool (the Alertmanager config),
kubernetes-validate (gridops' manifests), parliament (every IAM document).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from gridops_infra.network.component import Network
from gridops_infra.observability import Slo, alert_name
from gridops_infra.observability.eks import grafana as eks_grafana
from gridops_infra.observability.eks import otel as eks_otel
from gridops_infra.observability.eks import prometheus as eks_prometheus
from gridops_infra.observability.eks.args import CHART_VERSIONS
from gridops_infra.observability.eks.contract import (
    COLLECTOR_NAME,
    EXPORTER_SERIES,
    MONITORING_NAMESPACE,
    OTEL_SLI_METRICS,
    OTLP_ENDPOINT,
    bucket_boundaries_needed,
    otel_environment,
)
from gridops_infra.observability.grafana_dashboards import dashboard_queries, promql_metric_names
from gridops_infra.observability.stack import ObservabilityStack
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.service.component import StatelessService
from gridops_infra.testing import contains_secret, preview, reveal
from gridops_infra.testing.validators import iam_findings

RELEASE = "kubernetes:helm.sh/v3:Release"
RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule"
CONFIG_MAP = "kubernetes:core/v1:ConfigMap"
SEEN: dict[str, Any] = {}


def _program() -> None:
    net = Network("prod", {"az_count": 3, "nat": "per-az"})
    cluster = EksCluster("prod", {"network": net, "ebs_csi_driver": False})
    api = StatelessService(
        "api",
        {
            "platform": cluster,
            "image": "ghcr.io/acme/api:1.4.2",
            "port": 8080,
            "cpu": 512,
            "memory": 1024,
            "min_count": 2,
            "max_count": 20,
            "cpu_target_percent": 60,
            "health_check_path": "/healthz",
            "environment": otel_environment("api", "eks"),
        },
    )
    SEEN["slos"] = [
        Slo.availability(api, objective=0.999),
        Slo.latency(api, threshold_ms=300, objective=0.99),
    ]
    SEEN["stack"] = ObservabilityStack(
        "obs",
        {
            "resources": [api],
            "slos": SEEN["slos"],
            "alert_emails": ["oncall@acme.io"],
            "prometheus": {"retention_days": 30, "storage_gb": 20},
        },
    )


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="eks")


@pytest.fixture(scope="module")
def stack(plan) -> ObservabilityStack:
    return SEEN["stack"]


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(
                f"{name} not installed: apt-get install {package} (required when CI is set)"
            )
        pytest.skip(f"{name} not installed: apt-get install {package}")
    return path


@pytest.fixture(scope="module")
def promtool() -> str:
    return _tool("promtool", "prometheus")


@pytest.fixture(scope="module")
def amtool() -> str:
    return _tool("amtool", "prometheus-alertmanager")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=120)


def _release(plan, chart: str):
    (release,) = [r for r in plan.of_type(RELEASE) if r.inputs["chart"] == chart]
    return release


def _rule_file(plan) -> dict[str, Any]:
    return {"groups": plan.one(RULE).inputs["spec"]["groups"]}


def _dashboard(plan) -> dict[str, Any]:
    config_map = plan.one(CONFIG_MAP, "obs-dashboards")
    (text,) = config_map.inputs["data"].values()
    return json.loads(text)


# --- what the plan holds ------------------------------------------------------------------


def test_plan_holds_the_rules_releases_and_dashboards(plan):
    charts = {r.inputs["chart"]: r for r in plan.of_type(RELEASE) if r.name.startswith("obs-")}
    assert set(charts) == {"kube-prometheus-stack", "opentelemetry-collector"}
    for chart, release in charts.items():
        assert release.inputs["version"] == CHART_VERSIONS[chart]
        assert release.inputs["namespace"] == MONITORING_NAMESPACE
        assert release.inputs["atomic"] is True
    assert charts["kube-prometheus-stack"].inputs["repositoryOpts"]["repo"] == (
        "https://prometheus-community.github.io/helm-charts"
    )
    assert charts["opentelemetry-collector"].inputs["repositoryOpts"]["repo"] == (
        "https://open-telemetry.github.io/opentelemetry-helm-charts"
    )
    rule = plan.one(RULE)
    assert rule.inputs["metadata"]["namespace"] == MONITORING_NAMESPACE
    config_map = plan.one(CONFIG_MAP, "obs-dashboards")
    assert config_map.inputs["metadata"]["labels"]["grafana_dashboard"] == "1"


def test_every_kubernetes_child_uses_the_clusters_provider(plan):
    provider = plan.one("pulumi:providers:kubernetes")
    stack = plan.one("gridops:aws:ObservabilityStack")
    k8s_children = [r for r in plan.children_of(stack.urn) if r.type.startswith("kubernetes:")]
    assert len(k8s_children) >= 8
    for record in k8s_children:
        assert record.provider is not None and record.provider.startswith(provider.urn + "::")


def test_rules_wait_for_the_release_that_installs_their_crd(plan):
    kps = _release(plan, "kube-prometheus-stack")
    assert kps.urn in plan.one(RULE).dependencies
    assert kps.urn in _release(plan, "opentelemetry-collector").dependencies


def test_releases_wait_for_nodes_dns_and_their_pod_identity(plan):
    kps = _release(plan, "kube-prometheus-stack")
    otel = _release(plan, "opentelemetry-collector")
    node_group = plan.one("aws:eks/nodeGroup:NodeGroup")
    coredns = plan.one("aws:eks/addon:Addon", "prod-coredns")
    for release in (kps, otel):
        assert {node_group.urn, coredns.urn} <= set(release.dependencies)
    associations = {
        r.inputs["serviceAccount"]: r.urn
        for r in plan.of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation")
        if r.inputs["namespace"] == MONITORING_NAMESPACE
    }
    assert set(associations) == {"alertmanager", COLLECTOR_NAME}
    assert associations["alertmanager"] in kps.dependencies
    assert associations[COLLECTOR_NAME] in otel.dependencies


# --- Prometheus rules -----------------------------------------------------------------------


def test_prometheus_rule_groups_pass_promtool(plan, promtool, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump(_rule_file(plan)))
    result = _run(promtool, "check", "rules", str(rules), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    # two SLOs: 7 SLI windows + objective + budget each, and a page and a ticket alert each
    assert "SUCCESS: 22 rules found" in result.stdout


def test_rules_cover_every_slo_and_read_the_otel_series(plan, stack):
    groups = {g["name"]: g for g in _rule_file(plan)["groups"]}
    for slo in SEEN["slos"]:
        assert f"slo-{slo.name}-sli-recordings" in groups
        alerts = groups[f"slo-{slo.name}-alerts"]["rules"]
        assert {a["labels"]["severity"] for a in alerts} == {"page", "ticket"}
    availability = groups["slo-api-availability-sli-recordings"]["rules"][0]["expr"]
    assert (
        'http_server_request_duration_seconds_count{service_name="api", '
        'http_response_status_code=~"5.."}[5m]' in availability
    )
    latency = groups["slo-api-latency-sli-recordings"]["rules"][0]["expr"]
    assert 'http_server_request_duration_seconds_bucket{service_name="api", le="0.3"}' in latency
    assert stack.eks is not None and stack.eks.rule_groups == _rule_file(plan)


def _counter(per_minute: float, minutes: int) -> str:
    return " ".join(str(round(per_minute * m, 3)) for m in range(minutes + 1))


def test_a_burn_on_the_collectors_series_pages(plan, promtool, tmp_path):
    """The series as the collector exposes them (resource attributes as labels, the
    scrape's own labels) drive the page alert: the rules and the contract agree."""
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(_rule_file(plan)))
    name = OTEL_SLI_METRICS.requests_metric
    scrape = 'job="otel-collector", namespace="monitoring", pod="otel-collector-7d9f-x2k4p"'
    series = [
        {
            "series": f'{name}{{service_name="api", http_response_status_code="{code}", '
            f'http_request_method="GET", {scrape}}}',
            "values": _counter(per_minute, 70),
        }
        for code, per_minute in (("200", 980), ("503", 20))  # 2% errors: 20x the budget
    ]
    availability = SEEN["slos"][0]
    page = next(
        r
        for g in _rule_file(plan)["groups"]
        for r in g["rules"]
        if r.get("alert") == alert_name(availability) and r["labels"]["severity"] == "page"
    )
    unit = {
        "rule_files": ["rules.yaml"],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": series,
                "alert_rule_test": [
                    {
                        "eval_time": "65m",
                        "alertname": alert_name(availability),
                        "exp_alerts": [
                            {
                                "exp_labels": {
                                    "severity": "page",
                                    "slo": "api-availability",
                                    "service": "api",
                                },
                                "exp_annotations": page["annotations"],
                            },
                            {
                                "exp_labels": {
                                    "severity": "ticket",
                                    "slo": "api-availability",
                                    "service": "api",
                                },
                                "exp_annotations": next(
                                    r["annotations"]
                                    for g in _rule_file(plan)["groups"]
                                    for r in g["rules"]
                                    if r.get("alert") == alert_name(availability)
                                    and r["labels"]["severity"] == "ticket"
                                ),
                            },
                        ],
                    }
                ],
            }
        ],
    }
    (tmp_path / "unit.yaml").write_text(yaml.safe_dump(unit, sort_keys=False))
    result = _run(promtool, "test", "rules", "unit.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


# --- kube-prometheus-stack values ---------------------------------------------------------


def test_prometheus_keeps_the_asked_retention_and_selects_every_rule(plan, stack):
    values = _release(plan, "kube-prometheus-stack").inputs["values"]
    spec = values["prometheus"]["prometheusSpec"]
    assert spec["retention"] == "30d"
    assert spec["retentionSize"] == "17GB"
    assert spec["ruleSelectorNilUsesHelmValues"] is False
    assert spec["serviceMonitorSelectorNilUsesHelmValues"] is False
    assert spec["externalLabels"] == {
        "cluster": plan.one("aws:eks/cluster:Cluster").outputs["name"]
    }
    for component in ("kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"):
        assert values[component] == {"enabled": False}
    assert "remoteWrite" not in spec


def test_without_the_ebs_csi_driver_the_tsdb_is_ephemeral_and_flagged(plan, stack):
    spec = _release(plan, "kube-prometheus-stack").inputs["values"]["prometheus"]["prometheusSpec"]
    assert spec["storageSpec"] == {"emptyDir": {"sizeLimit": "20Gi"}}
    assert spec["resources"]["requests"]["ephemeral-storage"] == "20Gi"
    assert stack.eks is not None and stack.eks.persistent_storage is False
    assert not plan.of_type("kubernetes:storage.k8s.io/v1:StorageClass")


def test_node_exporter_runs_in_its_own_privileged_namespace(plan):
    namespaces = {
        r.inputs["metadata"]["name"]: r.inputs["metadata"]["labels"]
        for r in plan.of_type("kubernetes:core/v1:Namespace")
        if r.name.startswith("obs-")
    }
    assert namespaces[MONITORING_NAMESPACE]["pod-security.kubernetes.io/enforce"] == "baseline"
    exporter = _release(plan, "kube-prometheus-stack").inputs["values"]["prometheus-node-exporter"]
    assert namespaces[exporter["namespaceOverride"]]["pod-security.kubernetes.io/enforce"] == (
        "privileged"
    )


# --- Alertmanager -----------------------------------------------------------------------------


def _alertmanager_config(plan) -> dict[str, Any]:
    return _release(plan, "kube-prometheus-stack").inputs["values"]["alertmanager"]["config"]


def test_alertmanager_config_passes_amtool(plan, amtool, tmp_path):
    path = tmp_path / "alertmanager.yml"
    path.write_text(yaml.safe_dump(_alertmanager_config(plan)))
    result = _run(amtool, "check-config", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_page_and_ticket_reach_the_same_topics_as_cloudwatch(plan):
    topics = {r.name: r.outputs["arn"] for r in plan.of_type("aws:sns/topic:Topic")}
    config = _alertmanager_config(plan)
    receivers = {r["name"]: r for r in config["receivers"]}
    assert receivers["page"]["sns_configs"][0]["topic_arn"] == topics["obs-page"]
    assert receivers["ticket"]["sns_configs"][0]["topic_arn"] == topics["obs-ticket"]
    routes = {tuple(r["matchers"]): r["receiver"] for r in config["route"]["routes"]}
    assert routes[('severity = "page"',)] == "page"
    assert routes[('severity = "ticket"',)] == "ticket"
    assert config["route"]["receiver"] == "ticket"  # the chart's critical/warning alerts
    page_alarm = next(
        r
        for r in plan.of_type("aws:cloudwatch/compositeAlarm:CompositeAlarm")
        if r.inputs.get("tags", {}).get("gridops:severity") == "page"
        and "gridops:slo" in r.inputs.get("tags", {})
    )
    assert page_alarm.inputs["alarmActions"] == [topics["obs-page"]]


def test_alertmanager_may_publish_to_exactly_the_two_topics(plan):
    topics = sorted(
        r.outputs["arn"] for r in plan.of_type("aws:sns/topic:Topic") if r.name.startswith("obs-")
    )
    key = plan.one("aws:kms/key:Key", "obs-topic-key").outputs["arn"]
    document = json.loads(
        plan.one("aws:iam/rolePolicy:RolePolicy", "obs-alertmanager-policy").inputs["policy"]
    )
    by_sid = {s["Sid"]: s for s in document["Statement"]}
    assert by_sid["PublishAlerts"]["Action"] == ["sns:Publish"]
    assert sorted(by_sid["PublishAlerts"]["Resource"]) == topics
    assert by_sid["EncryptAlertsForSns"]["Resource"] == [key]
    assert by_sid["EncryptAlertsForSns"]["Condition"] == {
        "StringEquals": {"kms:ViaService": "sns.us-east-1.amazonaws.com"}
    }


# --- IAM ----------------------------------------------------------------------------------


def test_every_iam_document_passes_parliament(plan):
    stack = plan.one("gridops:aws:ObservabilityStack")
    children = plan.children_of(stack.urn)
    policies = [r for r in children if r.type == "aws:iam/rolePolicy:RolePolicy"]
    roles = [r for r in children if r.type == "aws:iam/role:Role"]
    assert {p.name for p in policies} == {"obs-alertmanager-policy", "obs-otel-collector-policy"}
    assert len(roles) == 2
    for policy in policies:
        assert iam_findings(policy.inputs["policy"]) == [], policy.name
    for role in roles:
        assert iam_findings(role.inputs["assumeRolePolicy"], trust=True) == [], role.name
        trust = json.loads(role.inputs["assumeRolePolicy"])
        assert trust["Statement"][0]["Principal"] == {"Service": "pods.eks.amazonaws.com"}


def test_the_collector_may_only_send_traces(plan):
    document = json.loads(
        plan.one("aws:iam/rolePolicy:RolePolicy", "obs-otel-collector-policy").inputs["policy"]
    )
    (statement,) = document["Statement"]
    assert statement["Action"] == ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    assert statement["Resource"] == ["*"]  # X-Ray offers no resource-level scoping here


# --- the collector ------------------------------------------------------------------------


def test_collector_exports_metrics_to_prometheus_and_traces_to_xray(plan):
    values = _release(plan, "opentelemetry-collector").inputs["values"]
    assert values["mode"] == "deployment" and values["replicaCount"] == 2
    assert values["image"]["repository"] == "otel/opentelemetry-collector-contrib"
    assert "config" not in values  # alternateConfig replaces the chart's defaults
    config = values["alternateConfig"]
    pipelines = config["service"]["pipelines"]
    assert set(pipelines) == {"metrics", "traces"}
    assert pipelines["metrics"]["exporters"] == ["prometheus"]
    assert pipelines["traces"]["exporters"] == ["awsxray"]
    assert set(config["receivers"]) == {"otlp"}
    assert "health_check" in config["service"]["extensions"]  # the chart's probes need it
    exporter = config["exporters"]["prometheus"]
    # The SLO rules select on service_name: it exists only as a converted resource attribute.
    assert exporter["resource_to_telemetry_conversion"] == {"enabled": True}
    assert OTEL_SLI_METRICS.service_label == "service_name"
    assert config["exporters"]["awsxray"] == {"region": "us-east-1"}
    endpoints = {e["port"] for e in values["serviceMonitor"]["metricsEndpoints"]}
    assert endpoints == {"metrics", "prom-exporter"}
    assert values["ports"]["prom-exporter"]["containerPort"] == 8889


def test_the_endpoint_apps_are_given_is_the_collectors_service(plan):
    release = _release(plan, "opentelemetry-collector")
    values = release.inputs["values"]
    host = f"{values['fullnameOverride']}.{release.inputs['namespace']}.svc.cluster.local"
    grpc = values["alternateConfig"]["receivers"]["otlp"]["protocols"]["grpc"]["endpoint"]
    assert f"http://{host}:{grpc.rsplit(':', 1)[1]}" == OTLP_ENDPOINT
    env = otel_environment("api", "eks")
    assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == OTLP_ENDPOINT
    assert env["OTEL_SERVICE_NAME"] == "api"
    assert SEEN["stack"].eks.otlp_endpoint == OTLP_ENDPOINT


def test_a_service_reports_to_the_collector_through_its_environment(plan):
    """No service-side change needed: the spec's `environment` carries the contract."""
    deployment = plan.one("kubernetes:apps/v1:Deployment")
    (app,) = deployment.inputs["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e.get("value") for e in app["env"]}
    assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == OTLP_ENDPOINT
    assert env["OTEL_SERVICE_NAME"] == "api"  # the value the SLO rules select on
    groups = _rule_file(plan)["groups"]
    assert 'service_name="api"' in groups[0]["rules"][0]["expr"]
    assert bucket_boundaries_needed(SEEN["slos"]) == [0.3]


# --- Grafana ------------------------------------------------------------------------------


def test_grafana_admin_password_is_generated_and_secret(plan):
    values = _release(plan, "kube-prometheus-stack").inputs["values"]["grafana"]
    assert values["admin"]["existingSecret"] == eks_grafana.ADMIN_SECRET
    assert "adminPassword" not in values
    secret = plan.one("kubernetes:core/v1:Secret", "obs-grafana-admin")
    assert contains_secret(secret.inputs["stringData"])
    password = reveal(secret.inputs["stringData"])["admin-password"]
    assert len(password) == 32 and password != "prom-operator"
    assert values["service"] == {"type": "ClusterIP"} and values["ingress"] == {"enabled": False}


def test_dashboard_has_a_row_per_service_and_queries_only_produced_series(plan):
    dashboard = _dashboard(plan)
    rows = [p["title"] for p in dashboard["panels"] if p["type"] == "row"]
    assert rows == ["api", "Telemetry pipeline"]
    recorded = {
        r["record"] for g in _rule_file(plan)["groups"] for r in g["rules"] if "record" in r
    }
    queries = dashboard_queries(dashboard)
    assert len(queries) >= 20
    used: set[str] = set()
    for query in queries:
        names = promql_metric_names(query)
        assert names, query
        unknown = names - recorded - set(EXPORTER_SERIES)
        assert not unknown, f"{query!r} reads {unknown}, which nothing produces"
        used |= names
    assert {"slo:sli_error:ratio_rate5m", "slo:error_budget:ratio"} <= used
    assert "kube_deployment_status_replicas_available" in used
    for query in queries:
        if "slo=" in query:
            assert 'slo="api-availability"' in query or 'slo="api-latency"' in query


def test_every_dashboard_query_is_valid_promql(plan, promtool, tmp_path):
    queries = dashboard_queries(_dashboard(plan))
    rules = {
        "groups": [
            {
                "name": "dashboard-queries",
                "rules": [
                    {"record": f"dashboard:query_{i}", "expr": q} for i, q in enumerate(queries)
                ],
            }
        ]
    }
    path = tmp_path / "queries.yaml"
    path.write_text(yaml.safe_dump(rules))
    result = _run(promtool, "check", "rules", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dashboard_json_is_grafana_shaped(plan):
    dashboard = _dashboard(plan)
    assert dashboard["uid"] == "gridops-obs"
    assert dashboard["templating"]["list"][0]["type"] == "datasource"
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24
        if panel["type"] != "row":
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
            assert [t["refId"] for t in panel["targets"]] == [
                chr(ord("A") + i) for i in range(len(panel["targets"]))
            ]


# --- manifests ----------------------------------------------------------------------------


def _manifests() -> list[dict[str, Any]]:
    return [
        *eks_prometheus.namespace_manifests(),
        eks_prometheus.storage_class_manifest(),
        eks_otel.network_policy_manifest(),
        eks_otel.backends_network_policy_manifest(),
        eks_grafana.admin_secret_manifest("placeholder"),
        eks_grafana.dashboard_config_map("gridops-obs-services", {"panels": []}),
    ]


@pytest.mark.parametrize("version", ["1.32.0", "1.35.0"])
def test_manifests_pass_kubernetes_validate_strict(version):
    for manifest in _manifests():
        kubernetes_validate.validate(manifest, version, strict=True)


def test_plan_objects_match_the_validated_manifests(plan):
    by_kind = {
        "kubernetes:networking.k8s.io/v1:NetworkPolicy": {
            m["metadata"]["name"]: m["spec"]
            for m in (
                eks_otel.network_policy_manifest(),
                eks_otel.backends_network_policy_manifest(),
            )
        }
    }
    for record in plan.of_type("kubernetes:networking.k8s.io/v1:NetworkPolicy"):
        if record.name.startswith("obs-"):
            expected = by_kind["kubernetes:networking.k8s.io/v1:NetworkPolicy"]
            assert record.inputs["spec"] == expected[record.inputs["metadata"]["name"]]


def test_cloudwatch_side_is_unchanged_on_eks(plan):
    alarms = plan.of_type("aws:cloudwatch/compositeAlarm:CompositeAlarm")
    # 2 SLOs x 4 tiers (each a composite), + the service's rollback composite
    assert len(alarms) == 9
    assert plan.one("aws:cloudwatch/dashboard:Dashboard")


def _route(amtool: str, config: dict[str, Any], tmp_path: Path, *labels: str) -> str:
    """The receiver Alertmanager itself picks for an alert with `labels` (amtool)."""
    path = tmp_path / "routes.yml"
    path.write_text(yaml.safe_dump(config))
    result = _run(
        amtool, "config", "routes", "test", f"--config.file={path}", *labels, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def test_one_page_per_incident_when_cloudwatch_pages_for_the_same_slo(plan, amtool, tmp_path):
    """CloudWatch pages for both SLOs (the ALB seen from outside, even when the cluster is
    down), so Prometheus's fast-burn alert for them arrives as a ticket; a page for an SLO
    only Prometheus evaluates still pages, and slow burns stay tickets."""
    config = _alertmanager_config(plan)
    slos = [slo.name for slo in SEEN["slos"]]
    for slo in slos:
        assert _route(amtool, config, tmp_path, "severity=page", f"slo={slo}") == "ticket"
        assert _route(amtool, config, tmp_path, "severity=ticket", f"slo={slo}") == "ticket"
    assert _route(amtool, config, tmp_path, "severity=page", "slo=checkout-custom") == "page"
    assert _route(amtool, config, tmp_path, "severity=page", f"slo={slos[0]}-v2") == "page"


def test_without_cloudwatch_slo_alarms_prometheus_pages(amtool, tmp_path):
    def program() -> None:
        net = Network("prod", {"az_count": 2})
        cluster = EksCluster("prod", {"network": net, "ebs_csi_driver": False})
        api = StatelessService(
            "api",
            {
                "platform": cluster,
                "image": "ghcr.io/acme/api:1.4.2",
                "environment": otel_environment("api", "eks"),
            },
        )
        ObservabilityStack(
            "obs",
            {
                "resources": [api],
                "slos": [Slo.availability(api)],
                "cloudwatch_slo_alarms": False,
                "prometheus": {"persistent": False},
            },
        )

    plan = preview(program, stack="eks")
    config = _alertmanager_config(plan)
    assert _route(amtool, config, tmp_path, "severity=page", "slo=api-availability") == "page"
    # The app's metrics never see the 502/503/504 the ALB answers itself: say so.
    (warning,) = [t for level, t in plan.diagnostics if "cloudwatch_slo_alarms=False" in t]
    assert "api-availability" in warning and "502/503/504" in warning
