"""EKS Auto Mode rules (core/aws_rules/eks.py): refused in EksCluster (nothing registered)
and failed by mandatory policy rules on Plans whose clusters, roles or Ingresses undo what
EksCluster(compute="auto-mode") builds; the component's own Plan passes them all."""

from __future__ import annotations

import json
from typing import Any

import pulumi_aws as aws
import pulumi_kubernetes as k8s
import pytest

from gridops_infra import EksCluster, Network, StatelessService
from gridops_infra.core.aws_rules.eks import AUTO_MODE_POD_SECURITY_GROUPS
from gridops_infra.testing import Plan, preview

from .compute_helpers import assert_cites, refusal, registered_by, violations

CLUSTER = "gridops:aws:EksCluster"
CLUSTER_ROLE = "arn:aws:iam::123456789012:role/cluster"
NODE_ROLE = "arn:aws:iam::123456789012:role/nodes"
MANAGED = "arn:aws:iam::aws:policy/"
AUTO_MODE_POLICY_RULES = (
    "eks-auto-mode-capabilities",
    "eks-auto-mode-cluster-role",
    "eks-auto-mode-ingress-group",
)


def _auto_mode_program() -> None:
    net = Network("prod", {"az_count": 2})
    cluster = EksCluster("prod", {"network": net, "compute": "auto-mode"})
    StatelessService(
        "api",
        {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2", "port": 8080},
    )


@pytest.fixture(scope="module")
def accepted() -> Plan:
    return preview(_auto_mode_program)


@pytest.mark.parametrize("rule", AUTO_MODE_POLICY_RULES)
def test_the_auto_mode_cluster_and_its_service_pass(accepted: Plan, rule: str) -> None:
    assert registered_by(accepted, CLUSTER)
    assert violations(accepted, rule) == []


# eks-auto-mode-capabilities


def _cluster(compute: bool, storage: bool, load_balancing: bool) -> None:
    aws.eks.Cluster(
        "eks",
        role_arn=CLUSTER_ROLE,
        vpc_config={"subnet_ids": ["subnet-1", "subnet-2"]},
        compute_config={"enabled": compute, "node_pools": ["system"], "node_role_arn": NODE_ROLE},
        storage_config={"block_storage": {"enabled": storage}},
        kubernetes_network_config={"elastic_load_balancing": {"enabled": load_balancing}},
    )


def test_capabilities_policy_fails_a_cluster_enabling_only_some() -> None:
    (found,) = violations(lambda: _cluster(True, False, True), "eks-auto-mode-capabilities")
    assert found.resource_name == "eks"
    assert "storageConfig.blockStorage.enabled not" in found.message
    assert violations(lambda: _cluster(True, True, True), "eks-auto-mode-capabilities") == []
    assert violations(lambda: _cluster(False, False, False), "eks-auto-mode-capabilities") == []


# eks-auto-mode-cluster-role


def _role_program(trust_actions: list[str], policies: tuple[str, ...]) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "eks.amazonaws.com"},
                "Action": trust_actions,
            }
        ],
    }
    role = aws.iam.Role("cluster-role", assume_role_policy=json.dumps(trust))
    for i, policy in enumerate(policies):
        aws.iam.RolePolicyAttachment(f"att-{i}", role=role.name, policy_arn=MANAGED + policy)
    aws.eks.Cluster(
        "eks",
        role_arn=role.arn,
        vpc_config={"subnet_ids": ["subnet-1", "subnet-2"]},
        compute_config={"enabled": True, "node_pools": ["system"], "node_role_arn": NODE_ROLE},
        storage_config={"block_storage": {"enabled": True}},
        kubernetes_network_config={"elastic_load_balancing": {"enabled": True}},
    )


ALL_POLICIES = (
    "AmazonEKSClusterPolicy",
    "AmazonEKSComputePolicy",
    "AmazonEKSBlockStoragePolicy",
    "AmazonEKSLoadBalancingPolicy",
    "AmazonEKSNetworkingPolicy",
)


def test_cluster_role_policy_fails_a_role_without_tag_session_or_policies() -> None:
    (found,) = violations(
        lambda: _role_program(["sts:AssumeRole"], ALL_POLICIES[:1]), "eks-auto-mode-cluster-role"
    )
    assert "sts:TagSession" in found.message
    assert (
        "AmazonEKSComputePolicy" in found.message and "AmazonEKSNetworkingPolicy" in found.message
    )
    good = _role_program
    assert (
        violations(
            lambda: good(["sts:AssumeRole", "sts:TagSession"], ALL_POLICIES),
            "eks-auto-mode-cluster-role",
        )
        == []
    )


# eks-auto-mode-pod-security-groups


def test_pod_security_groups_before_1_36_on_auto_mode_are_refused() -> None:
    message, plan = refusal(
        lambda: Network("prod", {"az_count": 2}),
        lambda net: EksCluster(
            "prod", {"network": net, "compute": "auto-mode", "kubernetes_version": "1.35"}
        ),
    )
    assert registered_by(plan, CLUSTER) == []
    assert_cites(message, AUTO_MODE_POD_SECURITY_GROUPS, "kubernetes_version='1.35'")


def test_auto_mode_accepts_1_36_or_no_pod_security_groups() -> None:
    def program() -> None:
        net = Network("prod", {"az_count": 2})
        EksCluster("a", {"network": net, "compute": "auto-mode", "kubernetes_version": "1.36"})
        EksCluster(
            "b",
            {
                "network": net,
                "compute": "auto-mode",
                "kubernetes_version": "1.35",
                "pod_security_groups": False,
            },
        )

    plan = preview(program)
    versions = sorted(r.inputs["version"] for r in plan.of_type("aws:eks/cluster:Cluster"))
    assert versions == ["1.35", "1.36"]


# eks-auto-mode-ingress-group


def _ingress_program(annotations: dict[str, Any]) -> None:
    k8s.networking.v1.IngressClass(
        "alb",
        metadata={"name": "alb"},
        spec={"controller": "eks.amazonaws.com/alb"},
    )
    k8s.networking.v1.Ingress(
        "api",
        metadata={"name": "api", "namespace": "api", "annotations": annotations},
        spec={
            "ingressClassName": "alb",
            "rules": [
                {
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": "api", "port": {"number": 80}}},
                            }
                        ]
                    }
                }
            ],
        },
    )


def test_ingress_group_policy_fails_the_group_annotation_on_auto_mode() -> None:
    group = {"alb.ingress.kubernetes.io/group.name": "shared"}
    (found,) = violations(lambda: _ingress_program(group), "eks-auto-mode-ingress-group")
    assert found.resource_name == "api"
    order = {"alb.ingress.kubernetes.io/group.order": "1"}
    assert violations(lambda: _ingress_program(order), "eks-auto-mode-ingress-group") == []


def test_the_auto_mode_service_ingress_leaves_the_group_to_the_class(accepted: Plan) -> None:
    (ingress,) = accepted.of_type("kubernetes:networking.k8s.io/v1:Ingress")
    annotations = ingress.inputs["metadata"]["annotations"]
    assert "alb.ingress.kubernetes.io/group.name" not in annotations
    (params,) = accepted.of_type("kubernetes:eks.amazonaws.com/v1:IngressClassParams")
    assert params.inputs["spec"]["group"]["name"] == "prod-dev"
