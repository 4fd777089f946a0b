"""CdnFrontend's VPC origin: CloudFront reaches an internal load balancer inside its VPC
(no public address, no origin secret). CloudFront creates the elastic network interfaces
in the load balancer's private subnets; the load balancer's security group admits
CloudFront's origin-facing prefix list, which covers VPC origins too (the platform opens
it, see FargateClusterArgs.origin_access)."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.physical_names import NameRule, hashed_name

ROLES = ("vpc_origin",)
# The VPC origin's name: letters, digits, hyphens and underscores, at most 64 characters.
VPC_ORIGIN_NAME = NameRule(
    64,
    "A-Za-z0-9_-",
    "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_VpcOriginEndpointConfig.html",
    prefix_field=None,
)


def vpc_origin(
    owner: GridopsComponent, load_balancer_arn: pulumi.Input[str], https: bool
) -> aws.cloudfront.VpcOrigin:
    """A VPC origin for the internal load balancer: HTTPS only (TLS 1.2) when it has a
    certificate for the origin's name, else HTTP inside the VPC."""
    name = hashed_name(f"{owner.name}-api", VPC_ORIGIN_NAME, seed=f"{owner.name}-vpc-origin")
    endpoint: dict[str, Any] = {
        "name": name,
        "arn": load_balancer_arn,
        "http_port": 80,
        "https_port": 443,
        "origin_protocol_policy": "https-only" if https else "http-only",
        "origin_ssl_protocols": {"items": ["TLSv1.2"], "quantity": 1},
    }
    return owner.child(
        "vpc_origin",
        aws.cloudfront.VpcOrigin,
        {"vpc_origin_endpoint_config": endpoint},
        suffix="vpc-origin",
    )


__all__ = ["ROLES", "VPC_ORIGIN_NAME", "vpc_origin"]
