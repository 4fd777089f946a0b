"""FargateCluster's arguments, documented once, and the checks only they need."""

from __future__ import annotations

import ipaddress
from typing import Literal, TypedDict

from gridops_infra.core import iam
from gridops_infra.core.aws_rules.checks import refuse_arg
from gridops_infra.core.aws_rules.cloudfront import VPC_ORIGIN_REGION, VPC_ORIGIN_REGIONS
from gridops_infra.core.aws_rules.ec2 import SECURITY_GROUP_RULES_QUOTA
from gridops_infra.core.aws_rules.ecs import (
    CAPACITY_PROVIDER_NAME,
    CONTAINER_INSTANCE_ENDPOINTS,
)
from gridops_infra.core.aws_rules.elb import ALB_TWO_AZS
from gridops_infra.core.component import Transform
from gridops_infra.core.validation import ArgReader, check_name
from gridops_infra.network.component import Network
from gridops_infra.platforms.fargate.capacity import Capacity, ManagedInstancesArgs

# Pulumi autonames the load balancer `f"{name}-alb"` plus "-" and 7 random characters,
# and AWS allows 32 characters: 20 + 4 + 8 = 32.
# The ALB's security group takes one inbound rule per CIDR block and port, and services
# may open 443 next to 80 later (their own domain), so every block may count twice.
INBOUND_RULES_PER_GROUP = 60
OriginAccess = Literal["vpc-origin", "public-with-header"]
ORIGIN_ACCESS: tuple[str, ...] = ("vpc-origin", "public-with-header")
ALB_PORTS = 2


class FargateClusterArgs(TypedDict, total=False):
    network: Network
    """The Network to run in: the ALB goes in its public subnets, services in its private
    subnets.

    Required.
    Example: ``network  # a Network``"""
    certificate_arn: str
    """An existing ACM certificate (same region) for the ALB's HTTPS listener. With it (or
    with `domain`), port 80 only redirects to HTTPS.

    Default: none.
    Example: ``"arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"``"""
    domain: str
    """A DNS name for the ALB, e.g. `"app.example.com"`: an ACM certificate for it and
    `*.<domain>`, validated through `zone_id`, an HTTPS listener and an alias record.
    Requires `zone_id`.

    Default: none (plain HTTP on port 80 unless `certificate_arn` or a service's own
    `domain` adds HTTPS).
    Example: ``"app.example.com"``"""
    zone_id: str
    """The Route 53 hosted zone id for `domain`.

    Default: none; required with `domain`.
    Example: ``"Z0123456789ABCDEFGHIJ"``"""
    alb_deletion_protection: bool
    """Refuse to delete the load balancer until this is turned off.

    Default: true.
    Example: ``False``"""
    access_log_retention_days: int
    """Days ALB access logs stay in their S3 bucket. Allowed: 1..3650.

    Default: 90.
    Example: ``30``"""
    idle_timeout_seconds: int
    """Seconds an idle client connection stays open on the ALB. Allowed: 1..4000.

    Default: 60.
    Example: ``120``"""
    ingress_cidrs: list[str]
    """IPv4 ranges allowed to reach the ALB on ports 80/443. Put a CDN's or office range
    here to close it. At least one; each a CIDR block with a prefix length and no host bits
    (`203.0.113.0/24`), none repeated.

    Default: `["0.0.0.0/0"]` (public).
    Example: ``["203.0.113.0/24", "198.51.100.0/24"]``"""
    behind_cdn: bool
    """Serve only through a CloudFront distribution (CdnFrontend). When true: the ALB admits
    only CloudFront's origin-facing address ranges (the AWS managed prefix list, which also
    covers VPC origins; one port: 443 with a certificate or `domain`, else 80) and is
    reached as `origin_access` says: by default internal, through a CloudFront VPC origin;
    with `"public-with-header"` internet-facing, where the cluster creates a random origin
    secret (`origin_verify_secret`) that every service rule requires in the
    `X-Origin-Verify` header, and requests without it (or matching no service) get 403. Not
    with `ingress_cidrs`.

    Default: false.
    Example: ``True``"""
    origin_access: OriginAccess
    """How CloudFront reaches the ALB when `behind_cdn`. `"vpc-origin"`: the ALB is internal,
    in the network's private subnets, and CloudFront connects through a CloudFront VPC
    origin (the CdnFrontend creates it) inside the VPC, so there is no origin secret and
    nothing on the internet to bypass CloudFront; HTTPS to the ALB with a certificate or
    `domain`, HTTP inside the VPC without one. `"public-with-header"`: the ALB is
    internet-facing, admits CloudFront's origin-facing prefix list and every service rule
    requires the secret `X-Origin-Verify` header. Only with `behind_cdn`. `"vpc-origin"` is
    refused in a Region where CloudFront offers no VPC origins (e.g. ap-southeast-6, the
    China and GovCloud Regions): choose `"public-with-header"` there.

    Default: `"vpc-origin"` (with `behind_cdn`).
    Example: ``"public-with-header"``"""
    capacity: Capacity
    """Where the tasks of every service and worker on the cluster run. `"fargate"`: AWS
    Fargate (FARGATE, and FARGATE_SPOT for `spot`), billed per task vCPU and GB. `"managed-
    instances"`: Amazon ECS Managed Instances, EC2 instances ECS launches, patches and
    retires itself (`managed_instances` says which), billed as EC2 plus a management fee per
    instance-hour and shared by several tasks; Fargate Spot is then not available (one
    capacity provider strategy cannot mix Fargate and Managed Instances), tasks must fit the
    largest instance type and share its CPU architecture. Changing it moves every service
    to the other capacity with a new deployment.

    Default: `"fargate"`; `"managed-instances"` when `managed_instances` is given.
    Example: ``"managed-instances"``"""
    managed_instances: ManagedInstancesArgs
    """The Managed Instances the cluster may launch (instance types, architecture, volume
    size); giving it implies `capacity="managed-instances"`, and it is refused with
    `capacity="fargate"`.

    Default: m8g.large/xlarge/2xlarge (ARM64) with a 30 GiB volume.
    Example: ``{"instance_types": ["c8g.large", "c8g.xlarge"], "storage_gib": 50}``"""
    container_insights: Literal["enabled", "enhanced"]
    """ECS Container Insights level.

    Default: `"enabled"`.
    Example: ``"enhanced"``"""
    tags: dict[str, str]
    """Tags for every resource, merged with `gridops:component` and `gridops:stage`.

    Default: none.
    Example: ``{"team": "platform"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role (see `FargateCluster.CHILD_ROLES`).

    Default: none.
    Example: ``{"alb": {"preserve_host_header": True}}``"""


def read_ingress_cidrs(a: ArgReader) -> list[str]:
    if not a.has("ingress_cidrs"):
        return ["0.0.0.0/0"]
    cidrs = a.string_list("ingress_cidrs")
    if not cidrs:
        raise a.fail("ingress_cidrs", cidrs, "expected at least one IPv4 CIDR block")
    seen: dict[ipaddress.IPv4Network, str] = {}
    for cidr in cidrs:
        try:
            if "/" not in cidr:
                raise ValueError("no prefix length")
            network = ipaddress.IPv4Network(cidr, strict=True)
        except ValueError:
            raise a.fail("ingress_cidrs", cidrs, f"{cidr!r} is not an IPv4 CIDR block") from None
        if network in seen:
            # One rule per block and port: EC2 refuses a second identical rule.
            raise a.fail(
                "ingress_cidrs", cidrs, f"CIDR blocks must not repeat ({seen[network]!r}, {cidr!r})"
            )
        seen[network] = cidr
    # EC2 takes the block as `a.b.c.d/n`, not with a netmask (`/255.255.255.0`).
    return [str(network) for network in seen]


def read_origin_access(a: ArgReader, behind_cdn: bool) -> str | None:
    """`origin_access` when `behind_cdn` (default `"vpc-origin"`), else None; refused
    without `behind_cdn`, where no CDN reaches the ALB."""
    if not behind_cdn:
        if a.has("origin_access"):
            raise a.fail(
                "origin_access",
                a.raw("origin_access"),
                "only with behind_cdn=True (it says how CloudFront reaches the ALB)",
            )
        return None
    access = a.choice("origin_access", "vpc-origin", ORIGIN_ACCESS)
    if access == "vpc-origin":
        region = iam.region_name()
        if region not in VPC_ORIGIN_REGIONS:
            raise refuse_arg(
                VPC_ORIGIN_REGION,
                a,
                "origin_access",
                access,
                f"the stack deploys to {region}, where CloudFront offers no VPC origins"
                + ("" if a.has("origin_access") else " (vpc-origin is the default)"),
            )
    return access


def check_cluster_name(name: str) -> None:
    """Letters, digits, hyphens and underscores of any length (check_name): the load
    balancer and every other physical name are derived to fit (`core/physical_names.py`)."""
    check_name("FargateCluster", name)


def check_capacity_provider_name(name: str) -> None:
    """The Managed Instances capacity provider is autonamed `<name>-managed-instances-` plus
    7 random characters, which AWS refuses when it starts with aws, ecs or fargate."""
    provider_name = f"{name}-managed-instances-xxxxxxx"
    if name.lower().startswith(("aws", "ecs", "fargate")) or len(provider_name) > 255:
        raise CAPACITY_PROVIDER_NAME.refuse(
            f"FargateCluster '{name}'",
            "capacity",
            f"'managed-instances' names its capacity provider {provider_name!r}",
        )


def check_instances_reach_ecs(name: str, network: Network) -> None:
    """Managed Instances run the ECS agent, which a Network without NAT cannot let reach
    ECS: it creates no ecs-agent or ecs-telemetry endpoint."""
    if not network.internet_egress:
        raise CONTAINER_INSTANCE_ENDPOINTS.refuse(
            f"FargateCluster '{name}'",
            "capacity",
            f"'managed-instances' on Network '{network.name}' with nat='none', whose private "
            "subnets have no internet route and no ecs-agent or ecs-telemetry endpoint",
        )


def check_alb_zones(a: ArgReader, network: Network) -> None:
    """The shared ALB goes in the network's public subnets, one per zone."""
    if network.az_count < 2:
        raise refuse_arg(
            ALB_TWO_AZS,
            a,
            "network",
            network.name,
            f"the network has {network.az_count} Availability Zone "
            f"({', '.join(network.availability_zones)}), so its public subnets give the "
            "load balancer one zone",
        )


def check_ingress_rule_quota(a: ArgReader, cidrs: list[str]) -> None:
    if len(cidrs) * ALB_PORTS > INBOUND_RULES_PER_GROUP:
        raise refuse_arg(
            SECURITY_GROUP_RULES_QUOTA,
            a,
            "ingress_cidrs",
            f"<{len(cidrs)} CIDR blocks>",
            f"{len(cidrs)} blocks on ports 80 and 443 are {len(cidrs) * ALB_PORTS} inbound rules "
            f"on the ALB's security group; at most {INBOUND_RULES_PER_GROUP // ALB_PORTS} blocks fit",
        )


__all__ = [
    "ORIGIN_ACCESS",
    "FargateClusterArgs",
    "OriginAccess",
    "check_alb_zones",
    "check_capacity_provider_name",
    "check_cluster_name",
    "check_ingress_rule_quota",
    "check_instances_reach_ecs",
    "read_ingress_cidrs",
    "read_origin_access",
]
