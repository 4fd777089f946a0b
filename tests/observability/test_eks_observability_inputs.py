"""ObservabilityStack's EKS arguments: variants that change what is built, and every bad
input refused with the field named and nothing registered."""

from __future__ import annotations

import json
from typing import Any

import pulumi_aws as aws
import pytest

from gridops_infra.network.component import Network
from gridops_infra.observability import Slo
from gridops_infra.observability.eks.prometheus import STORAGE_CLASS
from gridops_infra.observability.stack import ObservabilityStack
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.service.component import StatelessService
from gridops_infra.testing import preview

RELEASE = "kubernetes:helm.sh/v3:Release"
STACK = "gridops:aws:ObservabilityStack"
SERVICE = {"image": "ghcr.io/acme/api:1.4.2", "port": 8080, "cpu": 512, "memory": 1024}
CUSTOM = Slo.custom(
    "jobs-success",
    good_query='sum(rate(jobs_processed_total{result="ok"}[{{.window}}]))',
    total_query="sum(rate(jobs_processed_total[{{.window}}]))",
    objective=0.995,
)


def _cluster(name: str = "prod", ebs: bool = False, **extra: Any) -> EksCluster:
    net = Network(f"{name}-net", {"az_count": 2, "nat": "single"})
    cluster = EksCluster(name, {"network": net, "ebs_csi_driver": False, **extra})
    if ebs:
        # What EksCluster will expose once it installs the EBS CSI driver add-on.
        cluster.addons["aws-ebs-csi-driver"] = aws.eks.Addon(
            f"{name}-ebs", cluster_name=cluster.cluster_name, addon_name="aws-ebs-csi-driver"
        )
    return cluster


def _api(cluster: Any, name: str = "api") -> StatelessService:
    return StatelessService(name, {"platform": cluster, **SERVICE})


def _release(plan, chart: str):
    (release,) = [r for r in plan.of_type(RELEASE) if r.inputs["chart"] == chart]
    return release


# --- variants -------------------------------------------------------------------------------

SEEN: dict[str, Any] = {}


def _persistent() -> None:
    api = _api(_cluster(ebs=True))
    SEEN["persistent"] = ObservabilityStack(
        "obs",
        {
            "resources": [api],
            "slos": [Slo.availability(api), CUSTOM],
            "prometheus": {"storage_gb": 200, "replicas": 2},
            "grafana": {"enabled": False},
            "otel": {"xray": False, "replicas": 3},
            "cloudwatch_slo_alarms": False,
        },
    )


@pytest.fixture(scope="module")
def persistent():
    return preview(_persistent, stack="eks")


def test_with_the_ebs_csi_driver_prometheus_gets_an_encrypted_retained_gp3_volume(persistent):
    storage_class = persistent.one("kubernetes:storage.k8s.io/v1:StorageClass")
    assert storage_class.inputs["metadata"]["name"] == STORAGE_CLASS
    assert storage_class.inputs["provisioner"] == "ebs.csi.aws.com"
    assert storage_class.inputs["parameters"] == {
        "type": "gp3",
        "encrypted": "true",
        "fsType": "ext4",
    }
    assert storage_class.inputs["reclaimPolicy"] == "Retain"
    assert storage_class.inputs["volumeBindingMode"] == "WaitForFirstConsumer"
    kps = _release(persistent, "kube-prometheus-stack")
    spec = kps.inputs["values"]["prometheus"]["prometheusSpec"]
    claim = spec["storageSpec"]["volumeClaimTemplate"]["spec"]
    assert claim["storageClassName"] == STORAGE_CLASS
    assert claim["resources"] == {"requests": {"storage": "200Gi"}}
    assert spec["replicas"] == 2 and spec["retentionSize"] == "170GB"
    addon = persistent.one("aws:eks/addon:Addon", "prod-ebs")
    assert {storage_class.urn, addon.urn} <= set(kps.dependencies)
    assert SEEN["persistent"].eks.persistent_storage is True


def test_without_grafana_there_is_no_dashboard_secret_or_password(persistent):
    assert not persistent.of_type("kubernetes:core/v1:ConfigMap")
    assert not persistent.of_type("kubernetes:core/v1:Secret")
    assert not persistent.of_type("random:index/randomPassword:RandomPassword")
    values = _release(persistent, "kube-prometheus-stack").inputs["values"]
    assert values["grafana"] == {"enabled": False}


def test_without_xray_the_collector_has_no_role_and_no_trace_pipeline(persistent):
    values = _release(persistent, "opentelemetry-collector").inputs["values"]
    assert set(values["alternateConfig"]["service"]["pipelines"]) == {"metrics"}
    assert "awsxray" not in values["alternateConfig"]["exporters"]
    assert values["replicaCount"] == 3
    roles = [r.name for r in persistent.of_type("aws:iam/role:Role") if r.name.startswith("obs-")]
    assert roles == ["obs-alertmanager-role"]


def test_prometheus_alone_alerts_when_cloudwatch_slo_alarms_are_off(persistent):
    composites = persistent.of_type("aws:cloudwatch/compositeAlarm:CompositeAlarm")
    assert not [c for c in composites if "gridops:slo" in c.inputs.get("tags", {})]
    groups = persistent.one("kubernetes:monitoring.coreos.com/v1:PrometheusRule").inputs["spec"][
        "groups"
    ]
    names = {g["name"] for g in groups}
    assert {"slo-api-availability-alerts", "slo-jobs-success-alerts"} <= names
    # golden-signal alarms stay on CloudWatch
    assert persistent.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")


def _cloudwatch_only() -> None:
    class Service:
        name = "api"

        def metric_cpu(self):
            from gridops_infra.core.metrics import Metric

            return Metric("AWS/ECS", "CPUUtilization", {"ServiceName": "api"}, "Average")

    Service.__name__ = "StatelessService"
    SEEN["cloudwatch"] = ObservabilityStack("obs", {"resources": [Service()]})


def test_nothing_on_eks_means_no_eks_part():
    plan = preview(_cloudwatch_only, stack="fargate")
    assert SEEN["cloudwatch"].eks is None
    assert not [r for r in plan.resources if r.type.startswith("kubernetes:")]
    assert plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")


# --- bad input --------------------------------------------------------------------------------

ERRORS: dict[str, str] = {}


def _bad_inputs() -> None:
    cluster = _cluster()
    api = _api(cluster)
    other = _api(_cluster("other"), "web")
    on_fargate = _api(_cluster("edge", fargate_profiles=["monitoring"]), "edge")

    class Elsewhere:
        name = "legacy"

        def metric_cpu(self):
            from gridops_infra.core.metrics import Metric

            return Metric("AWS/EC2", "CPUUtilization", {"InstanceId": "i-1"}, "Average")

    Elsewhere.__name__ = "StatelessService"
    legacy = Elsewhere()
    cases: dict[str, dict[str, Any]] = {
        "prometheus-without-eks": {"resources": [legacy], "prometheus": {"retention_days": 30}},
        "grafana-without-eks": {"resources": [legacy], "grafana": {"enabled": False}},
        "prometheus-not-a-mapping": {"resources": [api], "prometheus": ["managed"]},
        "prometheus-unknown-key": {"resources": [api], "prometheus": {"retention": "30d"}},
        "retention-too-short": {"resources": [api], "prometheus": {"retention_days": 2}},
        "storage-too-small": {"resources": [api], "prometheus": {"storage_gb": 5}},
        "storage-beyond-node-disk": {"resources": [api], "prometheus": {"storage_gb": 30}},
        "persistent-without-ebs": {"resources": [api], "prometheus": {"persistent": True}},
        "replicas-zero": {"resources": [api], "prometheus": {"replicas": 0}},
        "chart-version": {"resources": [api], "prometheus": {"chart_version": "latest"}},
        "otel-off-with-slos": {
            "resources": [api],
            "slos": [Slo.availability(api)],
            "otel": {"enabled": False},
        },
        "xray-without-otel": {"resources": [api], "otel": {"enabled": False, "xray": True}},
        "otel-replicas": {"resources": [api], "otel": {"replicas": 11}},
        "cloudwatch-off-with-custom": {
            "resources": [api],
            "slos": [
                Slo.availability(api),
                Slo.custom(
                    "legacy-ok", "sum(rate(ok[{{.window}}]))", "sum(rate(all[{{.window}}]))", 0.99
                ),
            ],
            "cloudwatch_slo_alarms": False,
        },
        "cloudwatch-off-without-eks": {
            "resources": [legacy],
            "cloudwatch_slo_alarms": False,
            "slos": [Slo.availability(legacy)],
        },
        "two-clusters": {"resources": [api, other]},
        "monitoring-on-fargate": {"resources": [on_fargate]},
    }
    for case, args in cases.items():
        try:
            ObservabilityStack(f"obs-{case}"[:40].rstrip("-"), args)
        except ValueError as exc:
            ERRORS[case] = str(exc)


@pytest.fixture(scope="module")
def refused():
    plan = preview(_bad_inputs, stack="eks")
    return plan


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("prometheus-without-eks", "prometheus="),
        ("grafana-without-eks", "grafana="),
        ("prometheus-not-a-mapping", "prometheus="),
        ("prometheus-unknown-key", "prometheus.retention"),
        ("retention-too-short", "prometheus.retention_days=2"),
        ("storage-too-small", "prometheus.storage_gb=5"),
        ("storage-beyond-node-disk", "prometheus.storage_gb=30"),
        ("persistent-without-ebs", "prometheus.persistent=True"),
        ("replicas-zero", "prometheus.replicas=0"),
        ("chart-version", "prometheus.chart_version='latest'"),
        ("otel-off-with-slos", "otel.enabled=False"),
        ("xray-without-otel", "otel.xray=True"),
        ("otel-replicas", "otel.replicas=11"),
        ("two-clusters", "resources="),
        ("monitoring-on-fargate", "resources="),
    ],
)
def test_bad_eks_arguments_name_the_field(refused, case, field):
    assert case in ERRORS, f"{case} was accepted"
    assert field in ERRORS[case]


def test_cloudwatch_slo_alarms_off_needs_every_slo_on_prometheus(refused):
    assert "cloudwatch_slo_alarms=False" in ERRORS["cloudwatch-off-without-eks"]
    # a custom SLO is evaluated by Prometheus on EKS, so this one is accepted
    assert "cloudwatch-off-with-custom" not in ERRORS


def test_refused_stacks_register_nothing(refused):
    stacks = [r.name for r in refused.of_type(STACK)]
    assert stacks == ["obs-cloudwatch-off-with-custom"]
    accepted = refused.one(STACK, "obs-cloudwatch-off-with-custom")
    owned = {r.urn for r in refused.children_of(accepted.urn)}
    strays = [
        r.name
        for r in refused.resources
        if r.name.startswith("obs") and r.urn not in owned and r.urn != accepted.urn
    ]
    assert strays == []


def test_error_message_says_what_is_allowed(refused):
    assert "3 to 365" in ERRORS["retention-too-short"]
    assert "aws-ebs-csi-driver" in ERRORS["persistent-without-ebs"]
    assert "node's 50 GiB disk; use at most 25" in ERRORS["storage-beyond-node-disk"]
    assert "one ObservabilityStack per cluster" in ERRORS["two-clusters"]
    assert "Fargate" in ERRORS["monitoring-on-fargate"]
    assert "api-availability" in ERRORS["otel-off-with-slos"]


def test_custom_slo_on_eks_is_left_to_prometheus(refused):
    composites = [
        json.dumps(c.inputs.get("tags", {}))
        for c in refused.of_type("aws:cloudwatch/compositeAlarm:CompositeAlarm")
    ]
    assert not any("legacy-ok" in tags for tags in composites)
