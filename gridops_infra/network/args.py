"""NetworkArgs: the arguments users write, with each field's default and an example."""

from __future__ import annotations

from typing import Literal, TypedDict

from gridops_infra.core.component import Transform

NatStrategy = Literal["per-az", "single", "none"]
NAT_STRATEGIES: tuple[NatStrategy, ...] = ("per-az", "single", "none")


class NetworkArgs(TypedDict, total=False):
    az_count: int
    """Availability zones to spread subnets over. Allowed: 1..6 and no more than the region
    has. Changing it adds or removes subnets (and NAT gateways).

    Default: 2.
    Example: ``3``"""
    cidr_block: str
    """The VPC's IPv4 block. Allowed: a private (RFC 1918) or shared (100.64.0.0/10) block
    from /16 to /24. Changing it replaces the VPC and everything in it.

    Default: `"10.0.0.0/16"`.
    Example: ``"10.20.0.0/16"``"""
    nat: NatStrategy
    """How private subnets reach the internet. `"single"`: one NAT gateway for all AZs
    (cheaper, a single-AZ point of failure). `"none"`: private subnets have no internet
    route: workloads there reach only the S3 gateway endpoint and the interface endpoints in
    `vpc_endpoints`, so FargateCluster services and workers need those and an image in this
    Region's ECR, and EksCluster is refused (its add-ons pull from public registries).
    SingleServer needs no NAT (it has a public IP).

    Default: `"per-az"`, one NAT gateway per AZ, so losing an AZ never cuts the others off
    (about $33/month each).
    Example: ``"single"``"""
    vpc_endpoints: list[str]
    """Interface VPC endpoints (AWS PrivateLink) to create in the private subnets, with
    private DNS and a security group admitting HTTPS from the VPC only. Allowed: `"fargate"`
    (ecr.api, ecr.dkr, logs, secretsmanager, ssm, sqs, sts: what a Fargate task needs to
    start without NAT) and/or service names from `INTERFACE_ENDPOINTS` (e.g. `"kms"`,
    `"xray"`). Cost: each endpoint is billed per AZ-hour (about $7.30/month per AZ in
    us-east-1) plus data processed, so the `"fargate"` bundle over 2 AZs is about
    $100/month, three NAT gateways' worth; `gridops cost` prices them.

    Default: none.
    Example: ``["fargate", "kms"]``"""
    availability_zones: list[str]
    """Exact AZ names to use (`az_count` of them, each an available AZ of the stack's
    region).

    Default: the first `az_count` available AZs of the region.
    Example: ``["eu-west-1a", "eu-west-1b", "eu-west-1c"]``"""
    flow_log_retention_days: int
    """Days VPC flow logs stay in CloudWatch Logs. Allowed: a CloudWatch retention value (1,
    3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ... 3653).

    Default: 30.
    Example: ``90``"""
    flow_logs: bool
    """Record VPC flow logs (all traffic) to CloudWatch Logs.

    Default: true.
    Example: ``False``"""
    tags: dict[str, str]
    """Tags for every resource, merged with `gridops:component` and `gridops:stage`.

    Default: none.
    Example: ``{"team": "platform"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role: vpc, public_subnet, private_subnet,
    internet_gateway, nat_eip, nat_gateway, public_route_table, private_route_table, route,
    route_table_association, default_security_group, flow_log_group, flow_log_role,
    flow_log_policy, flow_log, s3_endpoint, endpoint_security_group, endpoint_ingress_rule,
    interface_endpoint.

    Default: none.
    Example: ``{"flow_log_group": {"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}``"""
