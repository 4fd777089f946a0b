"""ExpressCluster's arguments, documented once, and the checks only they need."""

from __future__ import annotations

from typing import Literal, TypedDict

from gridops_infra.core.aws_rules.checks import refuse_arg
from gridops_infra.core.aws_rules.elb import ALB_TWO_AZS
from gridops_infra.core.component import Transform
from gridops_infra.core.validation import ArgReader, check_name
from gridops_infra.network.component import Network

Endpoint = Literal["public", "internal"]
ENDPOINTS: tuple[str, ...] = ("public", "internal")
INFRASTRUCTURE_POLICY = "AmazonECSInfrastructureRoleforExpressGatewayServices"
"""The AWS managed policy ECS documents for an Express Mode infrastructure role."""


class ExpressClusterArgs(TypedDict, total=False):
    network: Network
    """The Network to run in. ECS places each service's tasks, and the load balancer it
    shares between the cluster's services, in the subnets `endpoint` picks. At least two
    Availability Zones.

    Required.
    Example: ``network  # a Network``"""
    endpoint: Endpoint
    """Who reaches the services. `"public"`: they run in the network's public subnets, so
    ECS makes their shared load balancer internet-facing, with an HTTPS endpoint on an
    AWS-provided domain (the tasks' own security group admits only the VPC's block on the
    service port). `"internal"`: they run in the private subnets and ECS makes the load
    balancer internal, reachable only inside the VPC. Changing it replaces the
    cluster's services' network configuration (a new deployment).

    Default: `"public"`.
    Example: ``"internal"``"""
    container_insights: Literal["enabled", "enhanced"]
    """ECS Container Insights level.

    Default: `"enabled"`.
    Example: ``"enhanced"``"""
    tags: dict[str, str]
    """Tags for every resource, merged with `gridops:component` and `gridops:stage`.

    Default: none.
    Example: ``{"team": "platform"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role (see `ExpressCluster.CHILD_ROLES`).

    Default: none.
    Example: ``{"cluster": {"setting": []}}``"""


def check_cluster_name(name: str) -> None:
    """Letters, digits, hyphens and underscores of any length: physical names are derived
    to fit (`core/physical_names.py`)."""
    check_name("ExpressCluster", name)


def check_zones(a: ArgReader, network: Network) -> None:
    """ECS puts the shared Application Load Balancer in the services' subnets, one per
    zone, and an ALB needs two zones."""
    if network.az_count < 2:
        raise refuse_arg(
            ALB_TWO_AZS,
            a,
            "network",
            network.name,
            f"the network has {network.az_count} Availability Zone "
            f"({', '.join(network.availability_zones)}), so the load balancer ECS creates "
            "for the cluster's services would get one zone",
        )


__all__ = [
    "ENDPOINTS",
    "INFRASTRUCTURE_POLICY",
    "Endpoint",
    "ExpressClusterArgs",
    "check_cluster_name",
    "check_zones",
]
