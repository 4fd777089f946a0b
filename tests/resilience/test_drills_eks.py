"""ResilienceDrills on EKS: pod deletion with the ServiceAccount, RBAC and access entry FIS
needs, and an Aurora failover, read from the Plan."""

from __future__ import annotations

import json
from typing import Any

import kubernetes_validate
import pytest
from fis_request import create_request, request_errors

from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.network.component import Network
from gridops_infra.observability import Slo
from gridops_infra.observability.stack import ObservabilityStack
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.resilience.component import ResilienceDrills
from gridops_infra.service.component import StatelessService
from gridops_infra.testing import preview, reveal
from gridops_infra.testing.validators import iam_findings

TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate"
POLICY = "aws:iam/rolePolicy:RolePolicy"
SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"
K8S_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role"
BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"
ACCESS_ENTRY = "aws:eks/accessEntry:AccessEntry"
REGION, ACCOUNT = "us-east-1", "123456789012"
API_ALARM = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:gridops-eks-api-slo-page"
EXTRA_ALARM = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:checkout-errors"
# Only logs:PutResourcePolicy (experiment log delivery; see test_drills_fargate.py).
ACCEPTED = {"PERMISSIONS_MANAGEMENT_ACTIONS: "}
SEEN: dict[str, Any] = {}


def program() -> None:
    net = Network("prod", {"az_count": 3, "nat": "per-az"})
    cluster = EksCluster("prod", {"network": net})
    db = ManagedPostgresWithReplicas(
        "db",
        {"network": net, "engine_mode": "aurora", "instance_class": "db.r7g.large", "replicas": 1},
    )
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
            "links": [db],
        },
    )
    obs = ObservabilityStack(
        "obs", {"resources": [api, db], "slos": [Slo.availability(api, objective=0.999)]}
    )
    drills = ResilienceDrills(
        "drills",
        {
            "targets": [api, db],
            "observability": obs,
            "stop_alarm_names": [api.slo_alarm_name],
            "stop_alarm_arns": [EXTRA_ALARM],
            "selection_mode": "PERCENT(50)",
            "pod_grace_period_seconds": 0,
            "logging": False,
        },
    )
    SEEN.update(drills=drills, api=api, cluster=cluster)


@pytest.fixture(scope="module")
def plan():
    return preview(program, stack="eks")


def template(plan, key: str) -> dict[str, Any]:
    return reveal(plan.one(TEMPLATE, f"drills-{key}").inputs)


def test_pod_delete_targets_the_service_pods_by_the_required_parameters(plan) -> None:
    t = template(plan, "api-pod-delete")
    cluster = plan.one("aws:eks/cluster:Cluster")
    deployment = plan.one("kubernetes:apps/v1:Deployment", "api-deployment")
    pod_labels = reveal(deployment.inputs)["spec"]["template"]["metadata"]["labels"]
    assert t["targets"] == [
        {
            "name": "api-pods",
            "resourceType": "aws:eks:pod",
            "parameters": {
                "clusterIdentifier": cluster.outputs["name"],
                "namespace": "api",
                "selectorType": "labelSelector",
                "selectorValue": "app.kubernetes.io/name=api",
            },
            "selectionMode": "PERCENT(50)",
        }
    ]
    assert pod_labels["app.kubernetes.io/name"] == "api"  # the selector matches the pods
    assert SEEN["api"].kubernetes_namespace == "api"


def test_pod_delete_runs_as_the_drill_service_account_under_restricted_pod_security(plan):
    (action,) = template(plan, "api-pod-delete")["actions"]
    assert action["actionId"] == "aws:eks:pod-delete"
    assert action["target"] == {"key": "Pods", "value": "api-pods"}
    assert {p["key"]: p["value"] for p in action["parameters"]} == {
        "kubernetesServiceAccount": "fis-drills",
        "fisPodSecurityPolicy": "restricted",
        "gracePeriodSeconds": "0",
    }
    namespace = plan.one("kubernetes:core/v1:Namespace", "api-namespace")
    labels = reveal(namespace.inputs)["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


def test_aurora_failover_targets_the_cluster(plan) -> None:
    t = template(plan, "db-failover")
    cluster = plan.one("aws:rds/cluster:Cluster")
    assert t["targets"] == [
        {
            "name": "db-cluster",
            "resourceType": "aws:rds:cluster",
            "resourceArns": [cluster.outputs["arn"]],
            "selectionMode": "ALL",
        }
    ]
    assert t["actions"] == [
        {
            "name": "db-failover",
            "actionId": "aws:rds:failover-db-cluster",
            "target": {"key": "Clusters", "value": "db-cluster"},
        }
    ]
    statements = json.loads(plan.one(POLICY, "drills-db-failover-policy").inputs["policy"])
    scoped = statements["Statement"][0]
    assert scoped["Action"] == ["rds:DescribeDBClusters", "rds:FailoverDBCluster"]
    assert scoped["Resource"] == [cluster.outputs["arn"]]


@pytest.mark.parametrize("key", ["api-pod-delete", "db-failover"])
def test_explicit_stop_alarms_replace_the_defaults_names_and_arns_alike(plan, key) -> None:
    t = template(plan, key)
    assert t["stopConditions"] == [
        {"source": "aws:cloudwatch:alarm", "value": API_ALARM},
        {"source": "aws:cloudwatch:alarm", "value": EXTRA_ALARM},
    ]
    assert SEEN["drills"].stop_alarm_arns[key] == [API_ALARM, EXTRA_ALARM]


@pytest.mark.parametrize("key", ["api-pod-delete", "db-failover"])
def test_without_logging_there_is_no_log_group_nor_log_permission(plan, key) -> None:
    assert "logConfiguration" not in template(plan, key)
    assert not [r for r in plan.of_type("aws:cloudwatch/logGroup:LogGroup") if "drills" in r.name]
    document = plan.one(POLICY, f"drills-{key}-policy").inputs["policy"]
    assert "logs:" not in document
    assert SEEN["drills"].log_group_name is None


@pytest.mark.parametrize("key", ["api-pod-delete", "db-failover"])
def test_templates_are_valid_requests_and_policies_pass_parliament(plan, key) -> None:
    assert request_errors(create_request(plan.one(TEMPLATE, f"drills-{key}").inputs)) == []
    assert iam_findings(plan.one(POLICY, f"drills-{key}-policy").inputs["policy"]) == []


def test_pod_delete_role_describes_only_this_cluster(plan) -> None:
    cluster = plan.one("aws:eks/cluster:Cluster")
    statements = {
        s["Sid"]: s
        for s in json.loads(plan.one(POLICY, "drills-api-pod-delete-policy").inputs["policy"])[
            "Statement"
        ]
    }
    assert statements["DescribeCluster"]["Resource"] == [cluster.outputs["arn"]]
    assert statements["DescribeSubnets"]["Resource"] == ["*"]  # no resource-level support
    assert set(statements) == {"DescribeCluster", "DescribeSubnets", "ResolveTargets"}


def test_rbac_lets_the_fis_user_and_service_account_act_in_the_namespace_only(plan) -> None:
    role = reveal(plan.one(K8S_ROLE, "drills-api-pod-delete-k8s-role").inputs)
    binding = reveal(plan.one(BINDING, "drills-api-pod-delete-binding").inputs)
    account = reveal(plan.one(SERVICE_ACCOUNT, "drills-api-pod-delete-sa").inputs)
    entry = reveal(plan.one(ACCESS_ENTRY, "drills-api-pod-delete-access").inputs)
    for manifest in (role, binding, account):
        assert manifest["metadata"]["namespace"] == "api"
        assert manifest["metadata"]["name"] == "fis-drills"
    granted = {(r, v) for rule in role["rules"] for r in rule["resources"] for v in rule["verbs"]}
    assert ("pods", "delete") in granted and ("pods", "list") in granted
    assert not {r for r, _ in granted} & {"pods/exec", "pods/ephemeralcontainers", "secrets"}
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "Role",
        "name": "fis-drills",
    }
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": "fis-drills", "namespace": "api"},
        {"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": entry["userName"]},
    ]
    assert entry["type"] == "STANDARD"
    assert entry["clusterName"] == plan.one("aws:eks/cluster:Cluster").outputs["name"]
    experiment_role = plan.one("aws:iam/role:Role", "drills-api-pod-delete-role")
    assert entry["principalArn"] == experiment_role.outputs["arn"]
    # No access policy: Kubernetes RBAC alone decides what the experiment role may do.
    assert not [
        r
        for r in plan.of_type("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
        if r.name.startswith("drills")
    ]


def test_kubernetes_objects_use_the_cluster_provider_and_wait_for_the_namespace(plan) -> None:
    provider = plan.one("pulumi:providers:kubernetes", "prod-k8s")
    namespace = plan.one("kubernetes:core/v1:Namespace", "api-namespace")
    for type_, name in [
        (SERVICE_ACCOUNT, "drills-api-pod-delete-sa"),
        (K8S_ROLE, "drills-api-pod-delete-k8s-role"),
        (BINDING, "drills-api-pod-delete-binding"),
    ]:
        record = plan.one(type_, name)
        assert record.provider is not None and record.provider.startswith(provider.urn)
        assert namespace.urn in record.dependencies


def test_template_waits_for_the_access_entry_and_the_binding(plan) -> None:
    record = plan.one(TEMPLATE, "drills-api-pod-delete")
    entry = plan.one(ACCESS_ENTRY, "drills-api-pod-delete-access")
    binding = plan.one(BINDING, "drills-api-pod-delete-binding")
    assert {entry.urn, binding.urn} <= set(record.dependencies)


def test_rbac_manifests_pass_kubernetes_validate_strict(plan) -> None:
    version = f"{SEEN['cluster'].kubernetes_version}.0"
    for type_, name in [
        (SERVICE_ACCOUNT, "drills-api-pod-delete-sa"),
        (K8S_ROLE, "drills-api-pod-delete-k8s-role"),
        (BINDING, "drills-api-pod-delete-binding"),
    ]:
        kubernetes_validate.validate(reveal(plan.one(type_, name).inputs), version, strict=True)
    broken = reveal(plan.one(BINDING, "drills-api-pod-delete-binding").inputs)
    broken["roleRef"] = {"kind": "Role"}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, version, strict=True)
