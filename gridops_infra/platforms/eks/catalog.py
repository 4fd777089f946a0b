"""What EksCluster accepts: Kubernetes versions and their EKS support windows, node
instance families per architecture, pinned Helm charts. Dated tables: update them as EKS
ships versions and AWS ships instance families."""

from __future__ import annotations

import re
from typing import Any, Literal

# EKS versions and their support windows, checked 2026-11-23 against the EKS release
# calendar (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html).
# version -> (end of standard support, end of extended support). A version whose
# standard support ended on or before CALENDAR_CHECKED is only accepted with
# support_type="EXTENDED" (AWS bills extended support at 6x the cluster-hour price).
# Add a row when EKS ships a version; drop one when its extended support ends.
CALENDAR_CHECKED = "2026-11-23"
KUBERNETES_VERSIONS: dict[str, tuple[str, str]] = {
    "1.32": ("2026-03-23", "2027-03-23"),
    "1.33": ("2026-07-29", "2027-07-29"),
    "1.34": ("2026-12-02", "2027-12-02"),
    "1.35": ("2027-03-27", "2028-03-27"),
    "1.36": ("2027-08-02", "2028-08-02"),
}
DEFAULT_KUBERNETES_VERSION = "1.35"
SUPPORT_TYPES = ("STANDARD", "EXTENDED")

Architecture = Literal["arm64", "x86_64"]
AMI_TYPES: dict[str, str] = {"arm64": "AL2023_ARM_64_STANDARD", "x86_64": "AL2023_x86_64_STANDARD"}

# Instance families allowed for nodes, per architecture: current general purpose (m),
# compute (c) and memory (r) families plus burstable t. Graviton (arm64) families carry
# a 'g' after the generation digit (m7g, c7gn, r8g, t4g); x86 families do not.
ARM64_FAMILIES = frozenset(
    {"t4g", "m6g", "m6gd", "m7g", "m7gd", "m8g", "c6g", "c6gd", "c6gn", "c7g", "c7gd",
     "c7gn", "c8g", "r6g", "r6gd", "r7g", "r7gd", "r8g"}
)  # fmt: skip
X86_FAMILIES = frozenset(
    {"t3", "t3a", "m5", "m5a", "m6i", "m6a", "m7i", "m7a", "c6i", "c6a", "c7i", "c7a",
     "r5", "r6i", "r6a", "r7i", "r7a"}
)  # fmt: skip
BURSTABLE_SIZES = ("medium", "large", "xlarge", "2xlarge")
ARM64_SIZES = ("medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")
X86_SIZES = ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge")
DEFAULT_INSTANCE_TYPES: dict[str, list[str]] = {"arm64": ["m7g.large"], "x86_64": ["m7i.large"]}
# Spot pools of one shape (2 vCPU, 8 GiB) so Cluster Autoscaler's size estimate holds.
DEFAULT_SPOT_TYPES: dict[str, list[str]] = {
    "arm64": ["m7g.large", "m6g.large", "m7gd.large", "m6gd.large"],
    "x86_64": ["m7i.large", "m6i.large", "m6a.large", "m7a.large"],
}
# Families of the allow-lists above whose instance types cannot attach a trunk network
# interface, so their Pods cannot get security groups of their own (checked 2026-12-06
# against IsTrunkingCompatible in pkg/aws/vpc/limits.go of the VPC resource controller,
# github.com/aws/amazon-vpc-resource-controller-k8s: every other family above is
# trunk-compatible at every allowed size).
NO_TRUNK_FAMILIES = frozenset({"t3", "t3a", "t4g"})
# Branch network interfaces per node (one per Pod with its own security group), by size,
# from BranchInterface in the same limits.go on the same date: every trunk-capable family
# above has these, except the 6th and 7th generation x86 families (6i, 6a, 7i, 7a) at
# 8xlarge and 12xlarge, which have more.
BRANCH_INTERFACES: dict[str, int] = {
    "medium": 4, "large": 9, "xlarge": 18, "2xlarge": 38, "4xlarge": 54,
    "8xlarge": 54, "12xlarge": 54, "16xlarge": 107, "24xlarge": 107,
}  # fmt: skip
BRANCH_INTERFACES_X86_GEN_6_7: dict[str, int] = {"8xlarge": 84, "12xlarge": 114}
MAX_NODES_PER_GROUP = 450  # EKS managed node group quota (nodes per group)

# Helm charts installed on every cluster, pinned (chart -> version); override with
# `chart_versions`.
CHART_VERSIONS: dict[str, str] = {
    "aws-load-balancer-controller": "1.14.0",
    "keda": "2.18.1",
    "external-secrets": "2.0.1",
    "cluster-autoscaler": "9.52.1",
}
# Charts installed only when chosen (`node_autoscaler="karpenter"`); also overridable.
OPTIONAL_CHART_VERSIONS: dict[str, str] = {
    # Karpenter v1.15.0, the latest v1 release on CALENDAR_CHECKED (karpenter.sh/v1.15
    # upgrading page: "chore: Release v1.15.0", 2026-10-10; Kubernetes 1.36 needs >= 1.13).
    # Pulled from the OCI registry public.ecr.aws/karpenter; the chart carries the CRDs.
    "karpenter": "1.15.0",
}
# Karpenter releases before 1.0 serve the v1beta1 APIs; gridops writes karpenter.sh/v1
# NodePools and karpenter.k8s.aws/v1 EC2NodeClasses.
KARPENTER_MIN_MAJOR = 1
# Where the cluster's own controllers run (always on the managed nodes).
RESERVED_NAMESPACES = ("kube-system", "keda", "external-secrets")
NODE_AUTOSCALERS = ("cluster-autoscaler", "karpenter", "none")
# Where Pods run: EKS Auto Mode (AWS runs the nodes, load balancing and block storage),
# managed node groups (with Cluster Autoscaler or none), or Karpenter beside one managed
# node group.
COMPUTE_CHOICES = ("auto-mode", "managed-node-groups", "karpenter")
# Auto Mode's built-in NodePools: `general-purpose` (on-demand c/m/r, 5th generation and
# later, amd64) and `system` (tainted CriticalAddonsOnly, amd64 and arm64); gridops adds
# its own NodePools for `node_architecture` (and Spot) on Auto Mode's default NodeClass.
AUTO_MODE_NODE_POOLS = ("general-purpose", "system")
# EKS Auto Mode gives Pods their own security groups (SecurityGroupPolicy) from this
# Kubernetes version on (docs.aws.amazon.com/eks/latest/userguide/auto-sgp.html).
AUTO_MODE_POD_SECURITY_GROUPS_FROM = "1.36"
NAMESPACE = r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"
ROLE_ARN = r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+"
CHART_VERSION = r"\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?"


def instance_type_problem(instance_type: Any, architecture: str) -> str | None:
    """Why `instance_type` cannot be a node of `architecture`, or None."""
    match = re.fullmatch(r"([a-z]+\d+[a-z]*)\.([a-z0-9]+)", str(instance_type))
    if not isinstance(instance_type, str) or match is None:
        return f"{instance_type!r} is not an instance type such as 'm7g.large'"
    family, size = match.groups()
    own, other = (
        (ARM64_FAMILIES, X86_FAMILIES)
        if architecture == "arm64"
        else (X86_FAMILIES, ARM64_FAMILIES)
    )
    if family in other:
        kind = "an x86_64" if architecture == "arm64" else "an arm64 (Graviton)"
        return f"{instance_type} is {kind} type but node_architecture is {architecture!r}"
    if family not in own:
        return f"family {family!r} is not in the {architecture} allow-list: " + ", ".join(
            sorted(own)
        )
    sizes = (
        BURSTABLE_SIZES
        if family.startswith("t")
        else ARM64_SIZES
        if architecture == "arm64"
        else X86_SIZES
    )
    if size not in sizes:
        return f"size {size!r} of {instance_type} is not allowed here; allowed: " + ", ".join(sizes)
    return None


def supports_pod_security_groups(instance_type: str) -> bool:
    """Whether a (catalog-valid) instance type can give Pods their own security groups."""
    return instance_type.split(".", 1)[0] not in NO_TRUNK_FAMILIES


def branch_interfaces(instance_type: str) -> int:
    """How many Pods with their own security groups one node of this (catalog-valid) type
    holds: 0 without a trunk interface."""
    if not supports_pod_security_groups(instance_type):
        return 0
    family, size = instance_type.split(".", 1)
    if re.fullmatch(r"[mcr][67][ia]", family) and size in BRANCH_INTERFACES_X86_GEN_6_7:
        return BRANCH_INTERFACES_X86_GEN_6_7[size]
    return BRANCH_INTERFACES[size]
