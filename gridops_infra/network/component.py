"""Network: a VPC with public and private subnets over N availability zones."""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.aws_rules.checks import refuse_arg
from gridops_infra.core.aws_rules.ec2 import SUBNET_CIDR_SIZE, VPC_CIDR_SIZE
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.logs import LOG_RETENTION_DAYS, retention_days
from gridops_infra.core.metrics import Metric
from gridops_infra.core.validation import ArgError, ArgReader, check_name, check_opts
from gridops_infra.network.args import NAT_STRATEGIES, NatStrategy, NetworkArgs
from gridops_infra.network.endpoints import (
    GATEWAY_ENDPOINTS,
    interface_endpoints,
    read_vpc_endpoints,
)

MAX_AZ_COUNT = 6
SMALLEST_SUBNET_PREFIX = 28  # AWS refuses subnets smaller than /28
MIN_VPC_PREFIX = 16  # and VPCs larger than /16


@dataclass(frozen=True)
class SubnetLayout:
    """Where each subnet goes: private subnets are large (where workloads live),
    public subnets a quarter of their size (load balancers and NAT gateways only)."""

    private: list[ipaddress.IPv4Network]
    public: list[ipaddress.IPv4Network]


def plan_subnets(vpc: ipaddress.IPv4Network, az_count: int) -> SubnetLayout:
    """Non-overlapping subnets inside `vpc`: the lower half is split into private
    subnets, the upper half holds the public ones."""
    slots = 2 ** math.ceil(math.log2(az_count)) if az_count > 1 else 1
    private_prefix = vpc.prefixlen + 1 + int(math.log2(slots))
    public_prefix = private_prefix + 2
    if public_prefix > SMALLEST_SUBNET_PREFIX:
        raise ValueError(
            f"cidr_block {vpc} is too small for {az_count} AZs: public subnets would be "
            f"/{public_prefix}, AWS allows at most /{SMALLEST_SUBNET_PREFIX}"
        )
    lower, upper = vpc.subnets(prefixlen_diff=1)
    private = list(lower.subnets(new_prefix=private_prefix))[:az_count]
    public = list(upper.subnets(new_prefix=public_prefix))[:az_count]
    return SubnetLayout(private=private, public=public)


_ALLOWED_RANGES = [
    ipaddress.IPv4Network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
]


class Network(GridopsComponent):
    """A VPC over `az_count` AZs with public and private subnets, NAT, flow logs, an S3
    gateway endpoint and the interface endpoints listed in `vpc_endpoints`. Workloads live
    in the private subnets; only load balancers, NAT gateways and the single server's
    Elastic IP use the public ones.

    Example: `Network("prod", {"az_count": 3, "nat": "per-az"})`
    """

    TYPE = "gridops:aws:Network"
    CHILD_ROLES = (
        "vpc",
        "public_subnet",
        "private_subnet",
        "internet_gateway",
        "nat_eip",
        "nat_gateway",
        "public_route_table",
        "private_route_table",
        "route",
        "route_table_association",
        "default_security_group",
        "flow_log_group",
        "flow_log_role",
        "flow_log_policy",
        "flow_log",
        "s3_endpoint",
        "endpoint_security_group",
        "endpoint_ingress_rule",
        "interface_endpoint",
    )

    vpc_id: pulumi.Output[str]
    """The VPC's id."""
    public_subnet_ids: pulumi.Output[list[str]]
    """Public subnet ids, one per AZ, in `availability_zones` order."""
    private_subnet_ids: pulumi.Output[list[str]]
    """Private subnet ids, one per AZ, in `availability_zones` order."""
    availability_zones: list[str]
    """The AZ names used."""
    cidr_block: str
    """The VPC's IPv4 block."""
    nat: NatStrategy
    """The NAT strategy in force."""
    vpc_endpoint_services: frozenset[str]
    """Every endpoint service the private subnets reach: `"s3"` (gateway) and the interface
    endpoints of `vpc_endpoints`."""
    interface_endpoints: dict[str, aws.ec2.VpcEndpoint]
    """The interface endpoints, by service short name (`"ecr.dkr"`)."""

    @property
    def internet_egress(self) -> bool:
        """Whether the private subnets route to the internet (through NAT)."""
        return self.nat != "none"

    def __init__(
        self,
        name: str,
        args: NetworkArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name("Network", name)
        check_opts("Network", name, opts)
        a = ArgReader("Network", name, args, NetworkArgs.__annotations__)
        az_count = a.integer("az_count", 2, 1, MAX_AZ_COUNT)
        vpc_block = a.cidr("cidr_block", "10.0.0.0/16")
        if vpc_block.prefixlen < MIN_VPC_PREFIX:
            raise refuse_arg(VPC_CIDR_SIZE, a, "cidr_block", str(vpc_block), "larger than /16")
        if (
            not any(vpc_block.subnet_of(r) for r in _ALLOWED_RANGES)
            or not MIN_VPC_PREFIX <= vpc_block.prefixlen <= 24
        ):
            raise a.fail(
                "cidr_block",
                str(vpc_block),
                "expected a private block (10/8, 172.16/12, 192.168/16 or 100.64/10) from /16 to /24",
            )
        try:
            layout = plan_subnets(vpc_block, az_count)
        except ValueError as exc:
            raise refuse_arg(SUBNET_CIDR_SIZE, a, "cidr_block", str(vpc_block), str(exc)) from None
        nat = a.choice("nat", "per-az", NAT_STRATEGIES)
        endpoint_services = read_vpc_endpoints(a)
        flow_logs = a.boolean("flow_logs", True)
        retention = retention_days(a, "flow_log_retention_days", 30)
        tags = a.mapping("tags")
        transforms = check_transforms("Network", name, a.raw("transforms"), self.CHILD_ROLES)
        zones = self._zones(a, az_count, opts)

        super().__init__(name, opts, transforms=transforms, tags=tags)
        self.availability_zones = zones
        self.cidr_block = str(vpc_block)
        self.nat = nat
        self.vpc_endpoint_services = GATEWAY_ENDPOINTS | frozenset(endpoint_services)
        self.az_count = az_count
        self.layout = layout

        vpc = self.child(
            "vpc",
            aws.ec2.Vpc,
            {
                "cidr_block": str(vpc_block),
                "enable_dns_hostnames": True,
                "enable_dns_support": True,
                "tags": {"Name": f"{name}-vpc"},
            },
        )
        self.vpc = vpc
        # The default security group admits all traffic between its members; nothing
        # should use it, so it is emptied (CIS AWS 5.4).
        self.child(
            "default_security_group",
            aws.ec2.DefaultSecurityGroup,
            {"vpc_id": vpc.id, "tags": {"Name": f"{name}-default-closed"}},
        )
        igw = self.child(
            "internet_gateway",
            aws.ec2.InternetGateway,
            {"vpc_id": vpc.id, "tags": {"Name": f"{name}-igw"}},
            suffix="igw",
        )

        public_subnets = []
        private_subnets = []
        for i, zone in enumerate(zones):
            public_subnets.append(
                self.child(
                    "public_subnet",
                    aws.ec2.Subnet,
                    {
                        "vpc_id": vpc.id,
                        "cidr_block": str(layout.public[i]),
                        "availability_zone": zone,
                        "map_public_ip_on_launch": False,
                        "tags": {
                            "Name": f"{name}-public-{zone}",
                            "kubernetes.io/role/elb": "1",
                            "gridops:tier": "public",
                        },
                    },
                    suffix=f"public-{i}",
                )
            )
            private_subnets.append(
                self.child(
                    "private_subnet",
                    aws.ec2.Subnet,
                    {
                        "vpc_id": vpc.id,
                        "cidr_block": str(layout.private[i]),
                        "availability_zone": zone,
                        "map_public_ip_on_launch": False,
                        "tags": {
                            "Name": f"{name}-private-{zone}",
                            "kubernetes.io/role/internal-elb": "1",
                            "gridops:tier": "private",
                        },
                    },
                    suffix=f"private-{i}",
                )
            )
        self.public_subnets = public_subnets
        self.private_subnets = private_subnets

        public_rt = self.child(
            "public_route_table",
            aws.ec2.RouteTable,
            {"vpc_id": vpc.id, "tags": {"Name": f"{name}-public"}},
            suffix="public-rt",
        )
        self.child(
            "route",
            aws.ec2.Route,
            {
                "route_table_id": public_rt.id,
                "destination_cidr_block": "0.0.0.0/0",
                "gateway_id": igw.id,
            },
            suffix="public-default-route",
        )
        for i, subnet in enumerate(public_subnets):
            self.child(
                "route_table_association",
                aws.ec2.RouteTableAssociation,
                {"subnet_id": subnet.id, "route_table_id": public_rt.id},
                suffix=f"public-{i}-rta",
            )

        nat_gateways = []
        nat_count = {"per-az": az_count, "single": 1, "none": 0}[nat]
        for i in range(nat_count):
            eip = self.child(
                "nat_eip",
                aws.ec2.Eip,
                {"domain": "vpc", "tags": {"Name": f"{name}-nat-{zones[i]}"}},
                suffix=f"nat-eip-{i}",
            )
            nat_gateways.append(
                self.child(
                    "nat_gateway",
                    aws.ec2.NatGateway,
                    {
                        "allocation_id": eip.id,
                        "subnet_id": public_subnets[i].id,
                        "tags": {"Name": f"{name}-nat-{zones[i]}"},
                    },
                    suffix=f"nat-{i}",
                    opts=pulumi.ResourceOptions(depends_on=[igw]),
                )
            )
        self.nat_gateways = nat_gateways

        private_rts = []
        for i, subnet in enumerate(private_subnets):
            rt = self.child(
                "private_route_table",
                aws.ec2.RouteTable,
                {"vpc_id": vpc.id, "tags": {"Name": f"{name}-private-{zones[i]}"}},
                suffix=f"private-{i}-rt",
            )
            private_rts.append(rt)
            if nat_gateways:
                gw = nat_gateways[i] if nat == "per-az" else nat_gateways[0]
                self.child(
                    "route",
                    aws.ec2.Route,
                    {
                        "route_table_id": rt.id,
                        "destination_cidr_block": "0.0.0.0/0",
                        "nat_gateway_id": gw.id,
                    },
                    suffix=f"private-{i}-default-route",
                )
            self.child(
                "route_table_association",
                aws.ec2.RouteTableAssociation,
                {"subnet_id": subnet.id, "route_table_id": rt.id},
                suffix=f"private-{i}-rta",
            )
        self.private_route_tables = private_rts
        self.public_route_table = public_rt

        region = aws.get_region().region
        self.child(
            "s3_endpoint",
            aws.ec2.VpcEndpoint,
            {
                "vpc_id": vpc.id,
                "service_name": f"com.amazonaws.{region}.s3",
                "vpc_endpoint_type": "Gateway",
                "route_table_ids": [public_rt.id, *[rt.id for rt in private_rts]],
                "tags": {"Name": f"{name}-s3"},
            },
        )

        self.interface_endpoints = interface_endpoints(
            self,
            endpoint_services,
            region=region,
            vpc_id=vpc.id,
            vpc_cidr=str(vpc_block),
            subnet_ids=[s.id for s in private_subnets],
        )

        if flow_logs:
            self._flow_logs(vpc, retention)

        self.vpc_id = vpc.id
        self.public_subnet_ids = pulumi.Output.all(*[s.id for s in public_subnets])
        self.private_subnet_ids = pulumi.Output.all(*[s.id for s in private_subnets])
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "public_subnet_ids": self.public_subnet_ids,
                "private_subnet_ids": self.private_subnet_ids,
                "availability_zones": zones,
            }
        )

    @staticmethod
    def _zones(a: ArgReader, az_count: int, opts: pulumi.ResourceOptions | None) -> list[str]:
        invoke_opts = (
            pulumi.InvokeOptions(provider=opts.provider) if opts and opts.provider else None
        )
        available = aws.get_availability_zones(state="available", opts=invoke_opts).names
        if a.has("availability_zones"):
            zones = a.string_list("availability_zones")
            if len(zones) != az_count or len(set(zones)) != len(zones):
                raise a.fail(
                    "availability_zones", zones, f"expected {az_count} distinct AZ names (az_count)"
                )
            unknown = [z for z in zones if z not in available]
            if unknown:
                raise a.fail(
                    "availability_zones",
                    zones,
                    f"{', '.join(unknown)} is not an available AZ of this region; "
                    f"available: {', '.join(available)}",
                )
            return zones
        if az_count > len(available):
            raise ArgError(
                f"Network '{a.name}': az_count={az_count} is not allowed; the region has "
                f"{len(available)} available AZs ({', '.join(available)})"
            )
        return list(available[:az_count])

    def _nat_metric(self, name: str, label: str) -> list[Metric]:
        return [
            Metric("AWS/NATGateway", name, {"NatGatewayId": gw.id}, "Sum", 60, "Count", label)
            for gw in self.nat_gateways
        ]

    def metric_nat_port_allocation_errors(self) -> list[Metric]:
        """Per NAT gateway: connections it could not give a source port
        (`ErrorPortAllocation`, Sum; more than 55,000 to one destination). None without NAT."""
        return self._nat_metric("ErrorPortAllocation", "port allocation errors")

    def metric_nat_packets_dropped(self) -> list[Metric]:
        """Per NAT gateway: packets it dropped (`PacketsDropCount`, Sum). None without NAT."""
        return self._nat_metric("PacketsDropCount", "dropped packets")

    def _flow_logs(self, vpc: aws.ec2.Vpc, retention: int) -> None:
        group = self.child(
            "flow_log_group",
            aws.cloudwatch.LogGroup,
            {"name": f"/gridops/{self.name}/vpc-flow-logs", "retention_in_days": retention},
            suffix="flow-logs",
        )
        role = self.child(
            "flow_log_role",
            aws.iam.Role,
            {
                "assume_role_policy": iam.assume_role_policy(
                    "vpc-flow-logs.amazonaws.com", source_account=iam.account_id()
                ),
                "description": f"Lets VPC flow logs of {self.name} write to their log group",
            },
            suffix="flow-logs-role",
        )
        self.flow_log_policy_document = iam.policy_document(
            [
                iam.statement(
                    ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    [group.arn, group.arn.apply(lambda arn: f"{arn}:*")],
                    sid="WriteFlowLogs",
                )
            ]
        )
        self.child(
            "flow_log_policy",
            aws.iam.RolePolicy,
            {"role": role.id, "policy": self.flow_log_policy_document},
            suffix="flow-logs-policy",
        )
        self.child(
            "flow_log",
            aws.ec2.FlowLog,
            {
                "vpc_id": vpc.id,
                "traffic_type": "ALL",
                "log_destination_type": "cloud-watch-logs",
                "log_destination": group.arn,
                "iam_role_arn": role.arn,
                "max_aggregation_interval": 60,
            },
            suffix="flow-log",
        )


__all__ = ["LOG_RETENTION_DAYS", "NAT_STRATEGIES", "Network", "NetworkArgs", "plan_subnets"]
