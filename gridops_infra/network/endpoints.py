"""Interface VPC endpoints (AWS PrivateLink): which ones a Network may create, the `fargate`
bundle, and the builder that creates them in the private subnets.

Workloads in private subnets without a NAT route (`nat: "none"`) reach an AWS service only
through its endpoint. Endpoints are billed per endpoint, per AZ, per hour (about $7.30 a
month each in us-east-1, plus data processed), so a Network creates only those listed in
`vpc_endpoints`; `gridops cost` prices each one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.validation import ArgReader

if TYPE_CHECKING:
    from gridops_infra.core.component import GridopsComponent

# Interface endpoint services a Network can create: the short name (what follows
# `com.amazonaws.<region>.`) and what calls it.
INTERFACE_ENDPOINTS: dict[str, str] = {
    "ecr.api": "ECR registry API (image manifests, auth tokens)",
    "ecr.dkr": "ECR Docker registry (image pulls)",
    "logs": "CloudWatch Logs (the awslogs driver, log agents)",
    "secretsmanager": "Secrets Manager (task definition secrets, External Secrets)",
    "ssm": "Systems Manager Parameter Store (task definition secrets)",
    "sqs": "SQS (queue workers and services linked to a queue)",
    "sts": "STS (web identity and role chaining, SDK credential calls)",
    "kms": "KMS (decrypting with customer managed keys)",
    "xray": "X-Ray (traces from the collector sidecar)",
    "monitoring": "CloudWatch metrics (PutMetricData)",
    "ecs": "ECS API",
    "ec2": "EC2 API (EKS nodes, VPC CNI, Karpenter)",
    "eks": "EKS API (node bootstrap)",
    "eks-auth": "EKS Pod Identity (AssumeRoleForPodIdentity)",
    "elasticloadbalancing": "Elastic Load Balancing API (AWS Load Balancer Controller)",
    "autoscaling": "EC2 Auto Scaling API (Cluster Autoscaler)",
    "ssmmessages": "Session Manager and ECS Exec channels",
    "ec2messages": "Systems Manager agent messages",
}

# What an ECS task on Fargate calls to start and run: pull from ECR, write logs, read its
# secrets, poll its queue, and STS for SDKs that exchange credentials.
BUNDLES: dict[str, tuple[str, ...]] = {
    "fargate": ("ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "sqs", "sts"),
}

GATEWAY_ENDPOINTS = frozenset({"s3"})
"""Gateway endpoints every Network has (free): S3, which ECR image layers come from."""


def read_vpc_endpoints(a: ArgReader, field: str = "vpc_endpoints") -> tuple[str, ...]:
    """The interface endpoints asked for, bundles expanded, in the order given, each once."""
    if not a.has(field):
        return ()
    raw = a.raw(field)
    if isinstance(raw, str) or not isinstance(raw, Sequence):
        raise a.fail(field, raw, 'expected a list such as ["fargate"] or ["ecr.api", "ecr.dkr"]')
    return expand_endpoints(raw, lambda value, allowed: a.fail(field, value, allowed))


def expand_endpoints(names: Sequence[Any], fail: Any) -> tuple[str, ...]:
    """`names` with bundles expanded; `fail(value, allowed)` builds the error for a bad one."""
    out: list[str] = []
    for name in names:
        if name in BUNDLES:
            out.extend(BUNDLES[name])
        elif name in INTERFACE_ENDPOINTS:
            out.append(name)
        else:
            raise fail(
                name,
                "allowed: a bundle ("
                + ", ".join(sorted(BUNDLES))
                + ") or an interface endpoint ("
                + ", ".join(INTERFACE_ENDPOINTS)
                + "); S3 is always there as a gateway endpoint",
            )
    return tuple(dict.fromkeys(out))


def interface_endpoints(
    owner: GridopsComponent,
    services: Sequence[str],
    *,
    region: str,
    vpc_id: pulumi.Input[str],
    vpc_cidr: str,
    subnet_ids: Sequence[pulumi.Input[str]],
) -> dict[str, aws.ec2.VpcEndpoint]:
    """One security group admitting HTTPS from the VPC only, and one interface endpoint per
    service in every private subnet, with private DNS so SDKs and agents use them unchanged."""
    if not services:
        return {}
    group = owner.child(
        "endpoint_security_group",
        aws.ec2.SecurityGroup,
        {
            "vpc_id": vpc_id,
            "description": f"Interface VPC endpoints of {owner.name}: HTTPS from the VPC only",
            "tags": {"Name": f"{owner.name}-endpoints"},
        },
        suffix="endpoints-sg",
    )
    owner.child(
        "endpoint_ingress_rule",
        aws.vpc.SecurityGroupIngressRule,
        {
            "security_group_id": group.id,
            "ip_protocol": "tcp",
            "from_port": 443,
            "to_port": 443,
            "cidr_ipv4": vpc_cidr,
            "description": "HTTPS from workloads in the VPC to the AWS service endpoints",
        },
        suffix="endpoints-in-443",
    )
    return {
        service: owner.child(
            "interface_endpoint",
            aws.ec2.VpcEndpoint,
            {
                "vpc_id": vpc_id,
                "service_name": f"com.amazonaws.{region}.{service}",
                "vpc_endpoint_type": "Interface",
                "private_dns_enabled": True,
                "subnet_ids": list(subnet_ids),
                "security_group_ids": [group.id],
                "tags": {"Name": f"{owner.name}-{service}"},
            },
            suffix=f"{service.replace('.', '-')}-endpoint",
        )
        for service in services
    }
