"""ObservabilityStack on EKS with `prometheus={"managed": True}`: Amazon Managed
Prometheus evaluates the same rules and routes to the same topics; Managed Grafana."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from gridops_infra.network.component import Network
from gridops_infra.observability import Slo
from gridops_infra.observability.eks.contract import OTEL_SLI_METRICS
from gridops_infra.observability.prometheus_rules import rule_groups
from gridops_infra.observability.stack import ObservabilityStack
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.service.component import StatelessService
from gridops_infra.testing import preview
from gridops_infra.testing.validators import iam_findings

RELEASE = "kubernetes:helm.sh/v3:Release"
SEEN: dict[str, Any] = {}


def _program() -> None:
    net = Network("prod", {"az_count": 2, "nat": "single"})
    cluster = EksCluster("prod", {"network": net, "ebs_csi_driver": False})
    api = StatelessService(
        "api",
        {
            "platform": cluster,
            "image": "ghcr.io/acme/api:1.4.2",
            "port": 8080,
            "cpu": 512,
            "memory": 1024,
        },
    )
    SEEN["slos"] = [Slo.availability(api, objective=0.999), Slo.latency(api, threshold_ms=250)]
    SEEN["stack"] = ObservabilityStack(
        "obs",
        {
            "resources": [api],
            "slos": SEEN["slos"],
            "alert_emails": ["oncall@acme.io"],
            "prometheus": {"managed": True, "retention_days": 400},
        },
    )


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="eks")


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(
                f"{name} not installed: apt-get install {package} (required when CI is set)"
            )
        pytest.skip(f"{name} not installed: apt-get install {package}")
    return path


def _kps(plan) -> dict[str, Any]:
    (release,) = [r for r in plan.of_type(RELEASE) if r.inputs["chart"] == "kube-prometheus-stack"]
    return release.inputs["values"]


def test_workspace_keeps_the_retention_and_logs_errors(plan):
    workspace = plan.one("aws:amp/workspace:Workspace")
    logs = plan.one("aws:cloudwatch/logGroup:LogGroup", "obs-amp-logs")
    assert workspace.inputs["loggingConfiguration"] == {"logGroupArn": logs.outputs["arn"] + ":*"}
    config = plan.one("aws:amp/workspaceConfiguration:WorkspaceConfiguration")
    assert config.inputs["retentionPeriodInDays"] == 400
    assert config.inputs["workspaceId"] == workspace.id


def test_the_rule_namespace_holds_the_same_rules_and_passes_promtool(plan, tmp_path):
    promtool = _tool("promtool", "prometheus")
    data = plan.one("aws:amp/ruleGroupNamespace:RuleGroupNamespace").inputs["data"]
    assert yaml.safe_load(data) == rule_groups(SEEN["slos"], OTEL_SLI_METRICS)
    path = tmp_path / "rules.yaml"
    path.write_text(data)
    result = subprocess.run(
        [promtool, "check", "rules", str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_in_cluster_rules_alertmanager_or_grafana(plan):
    assert not plan.of_type("kubernetes:monitoring.coreos.com/v1:PrometheusRule")
    assert not plan.of_type("kubernetes:core/v1:ConfigMap")
    assert not plan.of_type("kubernetes:core/v1:Secret")
    values = _kps(plan)
    assert values["alertmanager"] == {"enabled": False}
    assert values["grafana"] == {"enabled": False}
    assert values["defaultRules"]["create"] is False


def test_prometheus_remote_writes_to_the_workspace_with_its_own_role(plan):
    workspace = plan.one("aws:amp/workspace:Workspace")
    spec = _kps(plan)["prometheus"]["prometheusSpec"]
    (remote,) = spec["remoteWrite"]
    assert remote["url"] == workspace.outputs["prometheusEndpoint"] + "api/v1/remote_write"
    assert remote["sigv4"] == {"region": "us-east-1"}
    assert spec["retention"] == "1d"
    # no EBS CSI driver: a fifth of the nodes' 50 GiB disk
    assert spec["storageSpec"] == {"emptyDir": {"sizeLimit": "10Gi"}}
    policy = json.loads(
        plan.one("aws:iam/rolePolicy:RolePolicy", "obs-prometheus-policy").inputs["policy"]
    )
    (statement,) = policy["Statement"]
    assert statement["Action"] == ["aps:RemoteWrite"]
    assert statement["Resource"] == [workspace.outputs["arn"]]
    association = plan.one(
        "aws:eks/podIdentityAssociation:PodIdentityAssociation", "obs-prometheus-pod-identity"
    )
    assert (association.inputs["namespace"], association.inputs["serviceAccount"]) == (
        "monitoring",
        "prometheus",
    )


def test_alert_manager_definition_routes_to_the_topics_and_passes_amtool(plan, tmp_path):
    amtool = _tool("amtool", "prometheus-alertmanager")
    topics = {r.name: r.outputs["arn"] for r in plan.of_type("aws:sns/topic:Topic")}
    definition = yaml.safe_load(
        plan.one("aws:amp/alertManagerDefinition:AlertManagerDefinition").inputs["definition"]
    )
    config = yaml.safe_load(definition["alertmanager_config"])
    receivers = {r["name"]: r for r in config["receivers"]}
    assert receivers["page"]["sns_configs"][0]["topic_arn"] == topics["obs-page"]
    assert receivers["ticket"]["sns_configs"][0]["topic_arn"] == topics["obs-ticket"]
    assert "templates" not in config
    path = tmp_path / "alertmanager.yml"
    path.write_text(definition["alertmanager_config"])
    result = subprocess.run(
        [amtool, "check-config", str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_topics_and_their_key_let_only_this_workspace_publish(plan):
    workspace_arn = plan.one("aws:amp/workspace:Workspace").outputs["arn"]
    topics = {
        r.outputs["arn"] for r in plan.of_type("aws:sns/topic:Topic") if r.name.startswith("obs-")
    }
    policies = plan.of_type("aws:sns/topicPolicy:TopicPolicy")
    assert {p.inputs["arn"] for p in policies} == topics
    for policy in policies:
        document = json.loads(policy.inputs["policy"])
        by_sid = {s["Sid"]: s for s in document["Statement"]}
        amp = by_sid["ManagedPrometheusPublishes"]
        assert amp["Principal"] == {"Service": "aps.amazonaws.com"}
        assert amp["Condition"]["ArnEquals"] == {"aws:SourceArn": workspace_arn}
        assert amp["Resource"] == policy.inputs["arn"]
        # CloudWatch alarms still publish once the default topic policy is replaced.
        assert by_sid["CloudWatchAlarmsPublish"]["Principal"] == {
            "Service": "cloudwatch.amazonaws.com"
        }
    definition = plan.one("aws:amp/alertManagerDefinition:AlertManagerDefinition")
    assert {p.urn for p in policies} <= set(definition.dependencies)
    key = json.loads(plan.one("aws:kms/key:Key", "obs-topic-key").inputs["policy"])
    amp_key = next(s for s in key["Statement"] if s["Sid"] == "ManagedPrometheusAlerts")
    assert amp_key["Principal"] == {"Service": "aps.amazonaws.com"}
    assert iam_findings(key, key_policy=True) == []


def test_managed_grafana_reads_only_this_workspace(plan):
    workspace_arn = plan.one("aws:amp/workspace:Workspace").outputs["arn"]
    grafana = plan.one("aws:grafana/workspace:Workspace")
    role = plan.one("aws:iam/role:Role", "obs-grafana-role")
    assert grafana.inputs["roleArn"] == role.outputs["arn"]
    assert grafana.inputs["authenticationProviders"] == ["AWS_SSO"]
    assert grafana.inputs["permissionType"] == "CUSTOMER_MANAGED"
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "grafana.amazonaws.com"}
    assert trust["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "123456789012"}
    }
    policy = json.loads(
        plan.one("aws:iam/rolePolicy:RolePolicy", "obs-grafana-role-policy").inputs["policy"]
    )
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["QueryWorkspace"]["Resource"] == [workspace_arn]
    assert by_sid["ListWorkspaces"] == {
        "Sid": "ListWorkspaces",
        "Effect": "Allow",
        "Action": ["aps:ListWorkspaces"],
        "Resource": ["*"],
    }
    stack = SEEN["stack"]
    assert stack.eks.managed.grafana_endpoint is not None
    (dashboard,) = stack.eks.dashboards_json.values()
    assert json.loads(dashboard)["panels"]


def test_every_iam_document_passes_parliament(plan):
    stack = plan.one("gridops:aws:ObservabilityStack")
    children = plan.children_of(stack.urn)
    policies = [r for r in children if r.type == "aws:iam/rolePolicy:RolePolicy"]
    roles = [r for r in children if r.type == "aws:iam/role:Role"]
    assert {p.name for p in policies} == {
        "obs-grafana-role-policy",
        "obs-prometheus-policy",
        "obs-otel-collector-policy",
    }
    for policy in policies:
        assert iam_findings(policy.inputs["policy"]) == [], policy.name
    for role in roles:
        assert iam_findings(role.inputs["assumeRolePolicy"], trust=True) == [], role.name
    for topic_policy in plan.of_type("aws:sns/topicPolicy:TopicPolicy"):
        # a resource policy: its Principal is the point, parliament reads the rest
        assert iam_findings(topic_policy.inputs["policy"], trust=True) == []


def test_helm_releases_use_the_clusters_provider(plan):
    provider = plan.one("pulumi:providers:kubernetes")
    for release in plan.of_type(RELEASE):
        assert release.provider.startswith(provider.urn + "::")


def test_rule_files_are_written_to_disk_identically(plan, tmp_path: Path):
    """The YAML AMP stores is the same text `render_rules_yaml` produces."""
    stack = SEEN["stack"]
    data = plan.one("aws:amp/ruleGroupNamespace:RuleGroupNamespace").inputs["data"]
    assert stack.eks.managed.rules_yaml == data
