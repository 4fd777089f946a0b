"""Amazon EKS: the rules AWS enforces when it creates a cluster and its managed node
groups."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Amazon EKS"

CLUSTER_TWO_AZS = aws_rule(
    id="eks-cluster-two-azs",
    service=SERVICE,
    rule="An EKS cluster needs at least two subnets in different Availability Zones.",
    source="https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html",
    fix="Give the Network az_count >= 2 (or two availability_zones).",
)

KUBERNETES_VERSION = aws_rule(
    id="eks-kubernetes-version",
    service=SERVICE,
    rule="A cluster runs a Kubernetes version EKS currently offers (standard or extended support).",
    source="https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
    fix="Choose a kubernetes_version from the supported list (see eks_catalog."
    "KUBERNETES_VERSIONS).",
)

NODE_GROUP_SCALING = aws_rule(
    id="eks-node-group-scaling",
    service=SERVICE,
    rule="A managed node group's scaling has minSize >= 0, maxSize >= 1, minSize <= "
    "desiredSize <= maxSize, and at most 450 nodes (the quota 'Nodes per managed node group').",
    source="https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html",
    fix="Keep node_min <= node_desired <= node_max <= 450 (spot_min <= spot_max, spot_max >= 1).",
)

NODE_GROUP_ARCHITECTURE = aws_rule(
    id="eks-node-group-architecture",
    service=SERVICE,
    rule="A managed node group's instance types run its AMI type's architecture (Graviton "
    "types with an ARM_64 AMI type, x86 types with an x86_64 one).",
    source="https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html",
    fix="Pick node_instance_types of node_architecture (e.g. m7g.large on arm64, m7i.large on "
    "x86_64).",
)
