"""EksCluster's arguments: the TypedDict users read and `read_eks_args`, which refuses
bad input (against the tables in `eks_catalog`) before the component registers anything."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Literal, TypedDict

from gridops_infra.core.aws_rules.checks import integer_within, refuse_arg
from gridops_infra.core.aws_rules.eks import (
    AUTO_MODE_POD_SECURITY_GROUPS,
    CLUSTER_TWO_AZS,
    KUBERNETES_VERSION,
    NODE_GROUP_ARCHITECTURE,
    NODE_GROUP_SCALING,
)
from gridops_infra.core.aws_rules.eks_pod_security_groups import TRUNK_INSTANCE_TYPES
from gridops_infra.core.aws_rules.vpc_endpoints import EKS_PRIVATE_CLUSTER
from gridops_infra.core.component import Transform
from gridops_infra.core.logs import retention_days
from gridops_infra.core.validation import ArgReader
from gridops_infra.network.component import Network
from gridops_infra.platforms.eks.catalog import (
    AMI_TYPES,
    AUTO_MODE_POD_SECURITY_GROUPS_FROM,
    CALENDAR_CHECKED,
    CHART_VERSION,
    CHART_VERSIONS,
    COMPUTE_CHOICES,
    DEFAULT_INSTANCE_TYPES,
    DEFAULT_KUBERNETES_VERSION,
    DEFAULT_SPOT_TYPES,
    KARPENTER_MIN_MAJOR,
    KUBERNETES_VERSIONS,
    MAX_NODES_PER_GROUP,
    NAMESPACE,
    NODE_AUTOSCALERS,
    OPTIONAL_CHART_VERSIONS,
    RESERVED_NAMESPACES,
    ROLE_ARN,
    SUPPORT_TYPES,
    Architecture,
    instance_type_problem,
    supports_pod_security_groups,
)
from gridops_infra.platforms.fargate.args import OriginAccess, read_origin_access


class EksClusterArgs(TypedDict, total=False):
    network: Network
    """The Network to run in: control plane ENIs, nodes and Fargate pods go in its private
    subnets; the ALB the services share goes in its public subnets. Its private subnets need
    a NAT route (`nat` "single" or "per-az"): a network with `nat: "none"` is refused, since
    the cluster's add-ons pull images from public registries.

    Required.
    Example: ``network  # a Network``"""
    compute: Literal["auto-mode", "managed-node-groups", "karpenter"]
    """Where Pods run and who runs the nodes (see docs/eks-compute.md).

    `"auto-mode"`: EKS Auto Mode. AWS launches, patches and replaces the nodes (from its
    `system` and `general-purpose` NodePools plus gridops' own NodePool of
    `node_architecture`, and a Spot one with `spot=True`, capped by `node_max` /
    `spot_max`), and runs load balancing (Ingresses of the IngressClass `alb`, controller
    `eks.amazonaws.com/alb`), block storage (StorageClass `gp3`, provisioner
    `ebs.csi.eks.amazonaws.com`), pod networking, CoreDNS and Pod Identity itself: no
    managed node group, AWS Load Balancer Controller, EBS CSI driver, Cluster Autoscaler or
    Karpenter is installed. AWS adds a management fee per instance-hour on top of EC2.
    `node_min`, `node_desired`, `spot_min`, `node_disk_size_gib`, `node_autoscaler` and
    `ebs_csi_driver` are refused (Auto Mode keeps no minimum and builds its own disks).

    `chart_versions` of the Load Balancer Controller, Cluster Autoscaler or Karpenter are
    refused too (none of them is installed).

    `"managed-node-groups"`: today's managed node groups (`node_min`..`node_max`, Spot group
    with `spot=True`) scaled by `node_autoscaler` ("cluster-autoscaler" or "none"), with the
    Load Balancer Controller and the EBS CSI driver installed by gridops.

    `"karpenter"`: one managed node group for the controllers plus Karpenter's NodePools
    (the same as `node_autoscaler="karpenter"`).

    Default: `"karpenter"` when `node_autoscaler="karpenter"` is given, else
    `"managed-node-groups"`, so existing programs keep their Plans (moving a running
    cluster to Auto Mode in place would replace its ALB). Choose `"auto-mode"` for new
    clusters, as the eks stage does.
    Example: ``"auto-mode"``"""
    kubernetes_version: str
    """Kubernetes minor version. Allowed: 1.32-1.36 (see `KUBERNETES_VERSIONS`); 1.32 and
    1.33 are past EKS standard support and need `support_type="EXTENDED"`. Changing it
    upgrades the control plane in place (one minor at a time).

    Default: `"1.35"`; `"1.36"` with `compute="auto-mode"` (the first version on which Auto
    Mode gives Pods their own security groups).
    Example: ``"1.34"``"""
    support_type: Literal["STANDARD", "EXTENDED"]
    """EKS upgrade policy. `"EXTENDED"` keeps the version up to 12 more months.

    Default: `"STANDARD"`: at the end of standard support AWS upgrades the cluster instead
    of billing extended support (6x the cluster-hour price).
    Example: ``"EXTENDED"``"""
    public_access_cidrs: list[str]
    """IPv4 ranges allowed to reach the Kubernetes API over the internet (your CI runners,
    office, VPN). `0.0.0.0/0` is refused unless `allow_public_api_from_anywhere` is true.

    Default: none: the API endpoint is private only, so `pulumi up` must run from inside the
    VPC (or over VPN/peering).
    Example: ``["203.0.113.0/24"]``"""
    allow_public_api_from_anywhere: bool
    """Accept `0.0.0.0/0` in `public_access_cidrs`.

    Default: false.
    Example: ``False``"""
    admin_role_arns: list[str]
    """IAM roles that administer the cluster: each gets an access entry with
    AmazonEKSClusterAdminPolicy.

    Default: none.
    Example: ``["arn:aws:iam::123456789012:role/platform-admins"]``"""
    creator_admin: bool
    """Give the identity that creates the cluster (the one running `pulumi up`) admin
    access, which the Helm add-ons need to install. Set false only with that identity in
    `admin_role_arns`. Changing it replaces the cluster.

    Default: true.
    Example: ``True``"""
    node_architecture: Architecture
    """CPU architecture of the managed nodes. `"x86_64"` uses the AL2023 x86 AMI.

    Default: `"arm64"` (Graviton, AL2023 ARM AMI).
    Example: ``"x86_64"``"""
    node_instance_types: list[str]
    """Instance types of the on-demand node group. Allowed: the families in `ARM64_FAMILIES`
    / `X86_FAMILIES` matching `node_architecture`, sizes medium to 16xlarge (24xlarge on
    x86). Changing it replaces the node group (rolling, pods are drained). With Karpenter or
    Auto Mode, their families (any catalog size) are what the on-demand NodePool may launch.

    Default: `["m7g.large"]` on arm64, `["m7i.large"]` on x86_64.
    Example: ``["m7i.xlarge"]``"""
    node_min: int
    """Fewest on-demand nodes. Allowed: 1..450.

    Default: 2 (system add-ons stay up when one node goes).
    Example: ``3``"""
    node_desired: int
    """On-demand nodes at creation. Allowed: node_min..node_max. Later changes come from the
    node autoscaler, not from Pulumi.

    Default: `node_min`.
    Example: ``3``"""
    node_max: int
    """Most on-demand nodes. Allowed: node_min..450. With Karpenter or Auto Mode, the
    on-demand NodePool's cpu/memory limit: this many of the largest `node_instance_types`.

    Default: 6, or `node_min` when that is larger.
    Example: ``12``"""
    node_disk_size_gib: int
    """Encrypted gp3 root volume per node, in GiB. Allowed: 20..1000.

    Default: 50.
    Example: ``100``"""
    spot: bool
    """Add Spot capacity (nodes labelled `gridops.io/capacity=spot`, tainted so only pods
    that tolerate it land there): a managed Spot group, or with Karpenter a Spot NodePool.
    With Karpenter in an account that never ran Spot, create EC2's Spot service-linked role
    once (`aws iam create-service-linked-role --aws-service-name spot.amazonaws.com`):
    Karpenter may not, so until then Spot pods wait for room on the on-demand pool.

    Default: false.
    Example: ``True``"""
    spot_instance_types: list[str]
    """Instance types of the Spot group, all of one shape. With Karpenter, their families
    are what the Spot NodePool may launch.

    Default: four 2 vCPU / 8 GiB types of `node_architecture` (see `DEFAULT_SPOT_TYPES`).
    Example: ``["m7i.large", "m6i.large", "m6a.large", "m7a.large"]``"""
    spot_min: int
    """Fewest Spot nodes. Allowed: 0..450. Refused with Karpenter.

    Default: 0.
    Example: ``1``"""
    spot_max: int
    """Most Spot nodes. Allowed: spot_min..450 and at least 1. With Karpenter, the Spot
    NodePool's cpu/memory limit is this many of the largest Spot type.

    Default: 10, or `spot_min` when that is larger.
    Example: ``20``"""
    fargate_profiles: list[str]
    """Namespaces whose pods run on Fargate instead of nodes (one profile each). Pods there
    use IRSA (Pod Identity does not run on Fargate).

    Default: none.
    Example: ``["batch"]``"""
    node_autoscaler: Literal["cluster-autoscaler", "karpenter", "none"]
    """What adds and removes nodes as pods need them. `"karpenter"`: the managed node group
    (`node_min`..`node_max`, not autoscaled) runs Karpenter, CoreDNS and the controllers;
    Karpenter launches every other node from a default NodePool (and a tainted `spot`
    NodePool with `spot=True`, instead of a managed Spot group), with its interruption
    queue, node role and Pod Identity role (see `eks_karpenter`); `spot_min` is refused
    (Karpenter keeps no minimum). `"none"`: node counts stay where you set them.

    Default: `"cluster-autoscaler"` (Helm, Pod Identity role scoped to this cluster's node
    groups).
    Example: ``"karpenter"``"""
    pod_security_groups: bool
    """Give Pods their own security groups (the VPC CNI's security groups for Pods, in
    `standard` enforcing mode): a workload that links a database or cache gets a security
    group of its own, assigned to its Pods by a `SecurityGroupPolicy`, and the database or
    cache admits that group only, not every node. Needs node instance types that support a
    trunk network interface (not the t family); the cluster role gets
    AmazonEKSVPCResourceController. With false, workloads on nodes cannot link a database or
    cache (Fargate namespaces still can: Fargate gives every Pod its own network interface).
    Each such Pod takes one branch network interface of its node (9 on a `.large`, 18 on an
    `.xlarge`).

    Default: true.
    Example: ``False``"""
    keda: bool
    """Install KEDA (event-driven autoscaling, used by SqsWorkerQueue workers).

    Default: true.
    Example: ``False``"""
    external_secrets: bool
    """Install External Secrets Operator (services read AWS secrets through it).

    Default: true.
    Example: ``False``"""
    chart_versions: dict[str, str]
    """Helm chart version overrides, by chart (`CHART_VERSIONS` and
    `OPTIONAL_CHART_VERSIONS` list them and the pinned defaults; Karpenter must be 1.x or
    later).

    Default: none.
    Example: ``{"karpenter": "1.8.1"}``"""
    container_insights: bool
    """Install the Amazon CloudWatch Observability add-on (Container Insights metrics and
    container logs; services' `metric_cpu`/`metric_memory` come from it).

    Default: true (CloudWatch charges for its metrics and logs).
    Example: ``False``"""
    ebs_csi_driver: bool
    """Install the EBS CSI driver add-on (with its Pod Identity role), so workloads such as
    Prometheus keep their data on encrypted gp3 volumes.

    Default: true.
    Example: ``False``"""
    container_log_retention_days: int
    """Days container logs stay in `/aws/containerinsights/<cluster>/*`. Allowed: a
    CloudWatch retention value.

    Default: 30.
    Example: ``14``"""
    log_retention_days: int
    """Days control-plane logs stay in `/aws/eks/<cluster>/cluster`. Allowed: a CloudWatch
    retention value.

    Default: 90.
    Example: ``365``"""
    deletion_protection: bool
    """Refuse to delete the EKS cluster until this is turned off.

    Default: true.
    Example: ``False``"""
    behind_cdn: bool
    """Serve only through a CloudFront distribution (CdnFrontend), reached as
    `origin_access` says. Every service on the cluster then has a `domain` or none (the
    load balancer admits CloudFront on one port: 443 with domains, else 80, because
    CloudFront's prefix list counts as 55 of a security group's 60 inbound rules).

    Default: false.
    Example: ``True``"""
    origin_access: OriginAccess
    """How CloudFront reaches the services when `behind_cdn`. `"vpc-origin"`: the cluster
    creates an internal ALB in the network's private subnets (security group admitting only
    CloudFront's origin-facing prefix list and the VPC origin's interfaces in the VPC), each
    service adds a target group of Pod IPs, a listener rule and a `TargetGroupBinding` (the
    Load Balancer Controller registers its Pods; no Ingress, nothing on the internet), and
    the CdnFrontend reaches the ALB through a CloudFront VPC origin: HTTPS with the
    services' `domain` certificates, else HTTP inside the VPC. `"public-with-header"`:
    each service's Ingress joins the controller's internet-facing ALB, whose security group
    admits only the prefix list (`security-group-prefix-lists`), the cluster creates a
    random origin secret (`origin_verify_secret`) every rule requires in the
    `X-Origin-Verify` header (a `conditions.<service>` annotation, so each Ingress's
    metadata is a Pulumi secret), and requests without it get the controller's 404. Only
    with `behind_cdn`.

    Default: `"vpc-origin"` (with `behind_cdn`).
    Example: ``"public-with-header"``"""
    tags: dict[str, str]
    """Tags for every AWS resource, merged with `gridops:component` and `gridops:stage`.

    Default: none.
    Example: ``{"team": "platform"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role (see `EksCluster.CHILD_ROLES`).

    Default: none.
    Example: ``{"log_group": {"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}``"""


@dataclass(frozen=True)
class NodePool:
    """One managed node group as validated."""

    capacity_type: Literal["ON_DEMAND", "SPOT"]
    instance_types: tuple[str, ...]
    min_size: int
    desired_size: int
    max_size: int


@dataclass(frozen=True)
class EksSettings:
    network: Network
    kubernetes_version: str
    support_type: str
    public_access_cidrs: tuple[str, ...]
    admin_role_arns: tuple[str, ...]
    creator_admin: bool
    architecture: Architecture
    on_demand: NodePool
    spot: NodePool | None
    disk_size_gib: int
    fargate_namespaces: tuple[str, ...]
    node_autoscaler: str
    keda: bool
    external_secrets: bool
    chart_versions: dict[str, str]
    log_retention_days: int
    deletion_protection: bool
    container_insights: bool
    container_log_retention_days: int
    ebs_csi_driver: bool = True
    behind_cdn: bool = False
    pod_security_groups: bool = True
    origin_access: str | None = None
    """Behind a CDN: `"vpc-origin"` or `"public-with-header"`; else None."""
    compute: str = "managed-node-groups"

    @property
    def auto_mode(self) -> bool:
        return self.compute == "auto-mode"

    @property
    def ami_type(self) -> str:
        return AMI_TYPES[self.architecture]


def read_eks_args(a: ArgReader) -> EksSettings:
    """Every EksCluster argument, checked; raises ArgError naming the field."""
    network = a.instance_of("network", (Network,))
    if not network.internet_egress:
        # A private cluster needs every image in an ECR of its own; the add-on charts
        # installed here run images from public.ecr.aws, ghcr.io and registry.k8s.io.
        raise EKS_PRIVATE_CLUSTER.refuse(
            f"EksCluster '{a.name}'",
            "network",
            f"Network '{network.name}' has nat='none', so nodes and pods have no route to "
            "the internet, and the cluster's add-ons pull their images from public.ecr.aws "
            "(AWS Load Balancer Controller, Karpenter), ghcr.io (KEDA, External Secrets) and "
            "registry.k8s.io (Cluster Autoscaler)",
        )
    if network.az_count < 2:
        raise refuse_arg(
            CLUSTER_TWO_AZS,
            a,
            "network",
            network.name,
            f"the network has {network.az_count} Availability Zone "
            f"({', '.join(network.availability_zones)})",
        )
    compute = _compute(a)
    auto_mode = compute == "auto-mode"
    default_version = (
        AUTO_MODE_POD_SECURITY_GROUPS_FROM if auto_mode else DEFAULT_KUBERNETES_VERSION
    )
    version = a.raw("kubernetes_version", default_version)
    if version not in KUBERNETES_VERSIONS:
        raise refuse_arg(
            KUBERNETES_VERSION,
            a,
            "kubernetes_version",
            version,
            "allowed: " + ", ".join(repr(v) for v in KUBERNETES_VERSIONS),
        )
    support = a.choice("support_type", "STANDARD", SUPPORT_TYPES)
    standard_end = KUBERNETES_VERSIONS[version][0]
    if support == "STANDARD" and standard_end <= CALENDAR_CHECKED:
        raise refuse_arg(
            KUBERNETES_VERSION,
            a,
            "kubernetes_version",
            version,
            f"its EKS standard support ended on {standard_end}; choose one of "
            + ", ".join(v for v, (end, _) in KUBERNETES_VERSIONS.items() if end > CALENDAR_CHECKED)
            + " or set support_type='EXTENDED' (billed at the extended-support rate)",
        )
    architecture = a.choice("node_architecture", "arm64", ("arm64", "x86_64"))
    on_demand = _pool(a, "node", "ON_DEMAND", architecture, DEFAULT_INSTANCE_TYPES, (2, 6), 1)
    autoscaler = _autoscaler(a, compute)
    spot = None
    if a.boolean("spot", False):
        if autoscaler == "karpenter" and a.has("spot_min"):
            raise a.fail(
                "spot_min",
                a.raw("spot_min"),
                "not used with node_autoscaler='karpenter': Karpenter launches Spot nodes "
                "only while pods need them and keeps no minimum (spot_max caps its Spot "
                "NodePool)",
            )
        if auto_mode and a.has("spot_min"):
            raise a.fail(
                "spot_min",
                a.raw("spot_min"),
                "not used with compute='auto-mode': Auto Mode launches Spot nodes only while "
                "pods need them and keeps no minimum (spot_max caps its Spot NodePool)",
            )
        spot = _pool(a, "spot", "SPOT", architecture, DEFAULT_SPOT_TYPES, (0, 10), 0)
    else:
        for field in ("spot_instance_types", "spot_min", "spot_max"):
            if a.has(field):
                raise a.fail(field, a.raw(field), "only used with spot=True")
    chart_versions = _chart_versions(a)
    if auto_mode:
        not_installed = sorted(set(a.mapping("chart_versions")) & AUTO_MODE_RUNS_CHARTS)
        if not_installed:
            raise a.fail(
                "chart_versions",
                {chart: a.mapping("chart_versions")[chart] for chart in not_installed},
                "not used with compute='auto-mode': Auto Mode runs load balancing and node "
                "scaling itself, so gridops installs none of "
                + ", ".join(sorted(AUTO_MODE_RUNS_CHARTS)),
            )
    pod_security_groups = a.boolean("pod_security_groups", True)
    behind_cdn = a.boolean("behind_cdn", False)
    if pod_security_groups:
        _refuse_without_trunking(a, on_demand, spot)
        if auto_mode and _minor(version) < _minor(AUTO_MODE_POD_SECURITY_GROUPS_FROM):
            raise refuse_arg(
                AUTO_MODE_POD_SECURITY_GROUPS,
                a,
                "kubernetes_version",
                version,
                "compute='auto-mode' with pod_security_groups=True (the default) needs "
                f"Kubernetes {AUTO_MODE_POD_SECURITY_GROUPS_FROM} or later",
            )
    return EksSettings(
        network=network,
        kubernetes_version=version,
        support_type=support,
        public_access_cidrs=_public_cidrs(a),
        admin_role_arns=tuple(_role_arns(a)),
        creator_admin=a.boolean("creator_admin", True),
        architecture=architecture,
        on_demand=on_demand,
        spot=spot,
        disk_size_gib=a.integer("node_disk_size_gib", 50, 20, 1000),
        compute=compute,
        fargate_namespaces=_namespaces(a),
        node_autoscaler=autoscaler,
        keda=a.boolean("keda", True),
        external_secrets=a.boolean("external_secrets", True),
        chart_versions=chart_versions,
        log_retention_days=retention_days(a, "log_retention_days", 90),
        deletion_protection=a.boolean("deletion_protection", True),
        container_insights=a.boolean("container_insights", True),
        ebs_csi_driver=a.boolean("ebs_csi_driver", not auto_mode),
        container_log_retention_days=retention_days(a, "container_log_retention_days", 30),
        behind_cdn=behind_cdn,
        pod_security_groups=pod_security_groups,
        origin_access=read_origin_access(a, behind_cdn),
    )


# Arguments of managed node groups that Auto Mode has no use for: it keeps no minimum,
# builds its nodes' disks itself, scales nodes itself and runs block storage itself.
AUTO_MODE_REFUSED = {
    "node_min": "Auto Mode launches nodes only while Pods need them and keeps no minimum",
    "node_desired": "Auto Mode launches nodes only while Pods need them",
    "node_disk_size_gib": "Auto Mode builds its nodes' (encrypted) disks from its NodeClass",
    "node_autoscaler": "Auto Mode scales the nodes itself",
    "ebs_csi_driver": "Auto Mode runs block storage itself (provisioner "
    "ebs.csi.eks.amazonaws.com); gridops creates its StorageClass",
    "fargate_profiles": "Auto Mode's nodes run every Pod, and with pod_security_groups each "
    "workload that links a database or cache gets its own security group there",
}


# Charts Auto Mode makes unnecessary: their `chart_versions` overrides would do nothing.
AUTO_MODE_RUNS_CHARTS = frozenset(
    {"aws-load-balancer-controller", "cluster-autoscaler", "karpenter"}
)


def _compute(a: ArgReader) -> str:
    """`compute`, defaulted from `node_autoscaler` so existing programs keep their Plans;
    refuses node-group arguments Auto Mode would ignore, naming the field."""
    autoscaler = a.raw("node_autoscaler") if a.has("node_autoscaler") else None
    default = "karpenter" if autoscaler == "karpenter" else "managed-node-groups"
    compute = a.choice("compute", default, COMPUTE_CHOICES)
    if compute == "auto-mode":
        for field, why in AUTO_MODE_REFUSED.items():
            if a.has(field):
                raise a.fail(
                    field,
                    a.raw(field),
                    f"not used with compute='auto-mode': {why}. Leave it unset, or choose "
                    "compute='managed-node-groups' or 'karpenter'",
                )
    return compute


def _autoscaler(a: ArgReader, compute: str) -> str:
    if compute == "auto-mode":
        return "auto-mode"
    if compute == "karpenter":
        autoscaler = a.choice("node_autoscaler", "karpenter", NODE_AUTOSCALERS)
        if autoscaler != "karpenter":
            raise a.fail(
                "node_autoscaler",
                autoscaler,
                "compute='karpenter' scales nodes with Karpenter; leave node_autoscaler unset, "
                "or choose compute='managed-node-groups' for Cluster Autoscaler or none",
            )
        return autoscaler
    autoscaler = a.choice("node_autoscaler", "cluster-autoscaler", NODE_AUTOSCALERS)
    if autoscaler == "karpenter" and a.has("compute"):
        raise a.fail(
            "node_autoscaler",
            autoscaler,
            "compute='managed-node-groups' scales its groups with Cluster Autoscaler or none; "
            "choose compute='karpenter' for Karpenter",
        )
    return autoscaler


def _minor(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


def _refuse_without_trunking(a: ArgReader, on_demand: NodePool, spot: NodePool | None) -> None:
    """Pod security groups need trunk-capable nodes: managed groups and Karpenter's
    NodePools alike launch only the families of these types."""
    for field, pool in (("node_instance_types", on_demand), ("spot_instance_types", spot)):
        if pool is None:
            continue
        lacking = [t for t in pool.instance_types if not supports_pod_security_groups(t)]
        if lacking:
            raise TRUNK_INSTANCE_TYPES.refuse(
                f"EksCluster '{a.name}'",
                field,
                f"{lacking} cannot attach a trunk network interface, and "
                "pod_security_groups=True (the default) gives Pods their own security groups",
            )


def _pool(
    a: ArgReader,
    prefix: str,
    capacity: Literal["ON_DEMAND", "SPOT"],
    architecture: str,
    defaults: dict[str, list[str]],
    default_range: tuple[int, int],
    lowest: int,
) -> NodePool:
    types_field = f"{prefix}_instance_types"
    types = a.string_list(types_field) if a.has(types_field) else list(defaults[architecture])
    if not types:
        raise a.fail(types_field, types, "expected at least one instance type")
    if len(set(types)) != len(types):
        raise a.fail(types_field, types, "instance types must not repeat")
    for instance_type in types:
        problem = instance_type_problem(instance_type, architecture)
        if problem and "node_architecture" in problem:
            raise refuse_arg(NODE_GROUP_ARCHITECTURE, a, types_field, types, problem)
        if problem:
            raise a.fail(types_field, types, problem)
    lo = integer_within(
        NODE_GROUP_SCALING, a, f"{prefix}_min", default_range[0], lowest, MAX_NODES_PER_GROUP
    )
    hi = integer_within(
        NODE_GROUP_SCALING,
        a,
        f"{prefix}_max",
        max(default_range[1], lo),
        max(lo, 1),
        MAX_NODES_PER_GROUP,
    )
    desired = lo
    if prefix == "node":
        desired = a.integer("node_desired", lo)
        if not lo <= desired <= hi:
            raise refuse_arg(
                NODE_GROUP_SCALING,
                a,
                "node_desired",
                desired,
                f"expected node_min ({lo}) to node_max ({hi})",
            )
    return NodePool(capacity, tuple(types), lo, desired, hi)


def _public_cidrs(a: ArgReader) -> tuple[str, ...]:
    cidrs = a.string_list("public_access_cidrs")
    anywhere = a.boolean("allow_public_api_from_anywhere", False)
    for cidr in cidrs:
        try:
            net = ipaddress.IPv4Network(cidr, strict=True)
        except ValueError as exc:
            raise a.fail(
                "public_access_cidrs", cidrs, f"{cidr!r} is not an IPv4 CIDR block ({exc})"
            ) from None
        if net.prefixlen == 0 and not anywhere:
            raise a.fail(
                "public_access_cidrs",
                cidrs,
                "0.0.0.0/0 opens the Kubernetes API to the whole internet; list your CI/office "
                "ranges, or set allow_public_api_from_anywhere=True to accept it",
            )
    if len(set(cidrs)) != len(cidrs):
        raise a.fail("public_access_cidrs", cidrs, "CIDR blocks must not repeat")
    return tuple(cidrs)


def _role_arns(a: ArgReader) -> list[str]:
    arns = a.string_list("admin_role_arns")
    for arn in arns:
        if not re.fullmatch(ROLE_ARN, arn):
            raise a.fail(
                "admin_role_arns",
                arns,
                f"{arn!r} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
            )
    if len(set(arns)) != len(arns):
        raise a.fail("admin_role_arns", arns, "role ARNs must not repeat")
    return arns


def _namespaces(a: ArgReader) -> tuple[str, ...]:
    namespaces = a.string_list("fargate_profiles")
    for ns in namespaces:
        if not re.fullmatch(NAMESPACE, ns):
            raise a.fail(
                "fargate_profiles", namespaces, f"{ns!r} is not a Kubernetes namespace name"
            )
        if ns in RESERVED_NAMESPACES:
            raise a.fail(
                "fargate_profiles",
                namespaces,
                f"{ns} stays on the managed nodes: the controllers there use Pod Identity, "
                "which Fargate does not run; reserved: " + ", ".join(RESERVED_NAMESPACES),
            )
    if len(set(namespaces)) != len(namespaces):
        raise a.fail("fargate_profiles", namespaces, "namespaces must not repeat")
    return tuple(namespaces)


def _chart_versions(a: ArgReader) -> dict[str, str]:
    overrides = a.mapping("chart_versions")
    for chart, version in overrides.items():
        known = {**CHART_VERSIONS, **OPTIONAL_CHART_VERSIONS}
        if chart not in known:
            raise a.fail("chart_versions", chart, "allowed charts: " + ", ".join(known))
        if not isinstance(version, str) or not re.fullmatch(CHART_VERSION, version):
            raise a.fail(
                "chart_versions", {chart: version}, "expected a semantic version such as '1.14.0'"
            )
    karpenter = overrides.get("karpenter")
    if karpenter is not None and int(karpenter.split(".")[0]) < KARPENTER_MIN_MAJOR:
        raise a.fail(
            "chart_versions",
            {"karpenter": karpenter},
            "Karpenter before 1.0 serves only the v1beta1 APIs; gridops writes karpenter.sh/v1 "
            f"NodePools: use {KARPENTER_MIN_MAJOR}.x or later",
        )
    return {**CHART_VERSIONS, **OPTIONAL_CHART_VERSIONS, **overrides}
