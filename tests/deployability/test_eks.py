"""Amazon EKS rules (core/aws_rules/eks.py): refused in EksCluster (nothing registered) and
failed by mandatory policy rules on the Plan's clusters and node groups; accepted within
AWS's limits."""

from __future__ import annotations

from typing import Any

import pulumi_aws as aws
import pytest

from gridops_infra import EksCluster, Network
from gridops_infra.core.aws_rules.eks import (
    CLUSTER_TWO_AZS,
    KUBERNETES_VERSION,
    NODE_GROUP_ARCHITECTURE,
    NODE_GROUP_SCALING,
)
from gridops_infra.testing import Plan, preview

from .compute_helpers import assert_cites, refusal, registered_by, violations

CLUSTER = "gridops:aws:EksCluster"
ROLE = "arn:aws:iam::123456789012:role/nodes"
EKS_POLICY_RULES = ("eks-cluster-two-azs", "eks-node-group-scaling", "eks-node-group-architecture")


def cluster_refusal(args: dict[str, Any], az_count: int = 2) -> str:
    message, plan = refusal(
        lambda: Network("prod", {"az_count": az_count}),
        lambda net: EksCluster("prod", {"network": net, **args}),
    )
    assert registered_by(plan, CLUSTER) == []
    return message


@pytest.fixture(scope="module")
def accepted() -> Plan:
    return preview(
        lambda: EksCluster("prod", {"network": Network("prod", {"az_count": 2}), "spot": True})
    )


@pytest.mark.parametrize("rule", EKS_POLICY_RULES)
def test_the_default_cluster_passes(accepted: Plan, rule: str) -> None:
    assert registered_by(accepted, CLUSTER)
    assert violations(accepted, rule) == []


# eks-cluster-two-azs


def test_an_eks_cluster_on_a_one_az_network_is_refused() -> None:
    message = cluster_refusal({}, az_count=1)
    assert_cites(message, CLUSTER_TWO_AZS, "network='prod'")
    assert "1 Availability Zone (us-east-1a)" in message


def test_cluster_two_azs_policy_fails_subnets_of_one_zone() -> None:
    def program(zones: tuple[str, str]) -> None:
        subnets = [
            aws.ec2.Subnet(
                f"private-{i}", vpc_id="vpc-1", cidr_block=f"10.0.{i}.0/24", availability_zone=zone
            )
            for i, zone in enumerate(zones)
        ]
        aws.eks.Cluster("eks", role_arn=ROLE, vpc_config={"subnet_ids": [s.id for s in subnets]})

    (found,) = violations(lambda: program(("us-east-1a", "us-east-1a")), "eks-cluster-two-azs")
    assert found.resource_name == "eks"
    assert violations(lambda: program(("us-east-1a", "us-east-1b")), "eks-cluster-two-azs") == []


# eks-kubernetes-version


def test_a_kubernetes_version_eks_does_not_offer_is_refused() -> None:
    message = cluster_refusal({"kubernetes_version": "1.20"})
    assert_cites(message, KUBERNETES_VERSION, "kubernetes_version='1.20'")
    message = cluster_refusal({"kubernetes_version": "1.32"})
    assert_cites(message, KUBERNETES_VERSION, "kubernetes_version='1.32'")
    assert "support_type='EXTENDED'" in message


# eks-node-group-scaling


def test_node_counts_outside_min_desired_max_are_refused() -> None:
    message = cluster_refusal({"node_min": 3, "node_desired": 2, "node_max": 4})
    assert_cites(message, NODE_GROUP_SCALING, "node_desired=2")
    message = cluster_refusal({"node_max": 451})
    assert_cites(message, NODE_GROUP_SCALING, "node_max=451")


def node_group(name: str, scaling: dict[str, int], ami: str, types: list[str]) -> None:
    aws.eks.NodeGroup(
        name,
        cluster_name="prod",
        node_role_arn=ROLE,
        subnet_ids=["subnet-1", "subnet-2"],
        scaling_config=scaling,
        ami_type=ami,
        instance_types=types,
    )


def test_node_group_scaling_policy() -> None:
    arm = ("AL2023_ARM_64_STANDARD", ["m7g.large"])
    for bad in (
        {"min_size": 3, "desired_size": 2, "max_size": 4},
        {"min_size": 0, "desired_size": 0, "max_size": 0},
        {"min_size": 1, "desired_size": 1, "max_size": 451},
    ):
        assert violations(lambda bad=bad: node_group("ng", bad, *arm), "eks-node-group-scaling")
    good = {"min_size": 0, "desired_size": 2, "max_size": 450}
    assert violations(lambda: node_group("ng", good, *arm), "eks-node-group-scaling") == []


# eks-node-group-architecture


def test_instance_types_of_the_other_architecture_are_refused() -> None:
    message = cluster_refusal({"node_instance_types": ["m7i.large"]})
    assert_cites(message, NODE_GROUP_ARCHITECTURE, "node_instance_types=['m7i.large']")
    message = cluster_refusal(
        {"node_architecture": "x86_64", "spot": True, "spot_instance_types": ["c7g.large"]}
    )
    assert_cites(message, NODE_GROUP_ARCHITECTURE, "spot_instance_types=['c7g.large']")


def test_node_group_architecture_policy() -> None:
    scaling = {"min_size": 1, "desired_size": 1, "max_size": 2}

    def program(ami: str, types: list[str]) -> None:
        node_group("ng", scaling, ami, types)

    (found,) = violations(
        lambda: program("AL2023_ARM_64_STANDARD", ["m7g.large", "m7i.large"]),
        "eks-node-group-architecture",
    )
    assert "m7i.large" in found.message
    assert violations(
        lambda: program("AL2023_x86_64_STANDARD", ["t4g.medium"]), "eks-node-group-architecture"
    )
    assert (
        violations(
            lambda: program("AL2023_x86_64_STANDARD", ["m7i.large", "c6a.xlarge"]),
            "eks-node-group-architecture",
        )
        == []
    )
