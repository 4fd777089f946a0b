"""What a subnet of the Plan reaches: a route to the internet, or which VPC endpoints.

Resources are matched to each other by property dependency (known during `pulumi preview`
too) or by id (the offline Plan's state carries ids inside ARNs). A subnet whose route
table is not in the Plan (the VPC's main table, another stack's network) is unknown, and
rules skip it rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gridops_infra.policy._props import UNKNOWN, as_list, depends_on, is_true, of_type, peek, text

SUBNET = "aws:ec2/subnet:Subnet"
VPC = "aws:ec2/vpc:Vpc"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
ROUTE = "aws:ec2/route:Route"
ROUTE_TABLE_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
TYPES = (SUBNET, VPC, ROUTE_TABLE, ROUTE, ROUTE_TABLE_ASSOCIATION, VPC_ENDPOINT)

ANYWHERE = ("0.0.0.0/0", "::/0")
# Targets of a default route that reach the internet without a public IP on the workload.
PRIVATE_EGRESS_TARGETS = (
    "natGatewayId",
    "transitGatewayId",
    "networkInterfaceId",
    "vpcPeeringConnectionId",
    "egressOnlyGatewayId",
)


def resource_id(resource: Any) -> str | None:
    """The resource's id: its `id` state, else the last part of its ARN."""
    value = peek(resource.props, "id")
    if isinstance(value, str) and value:
        return value
    arn = peek(resource.props, "arn")
    if isinstance(arn, str) and "/" in arn:
        return arn.rsplit("/", 1)[-1]
    return None


def points_at(resource: Any, prop: str, target: Any, *path: str) -> bool:
    """Whether `resource.props[prop]` (or a list inside it at `path`) names `target`."""
    if depends_on(resource, prop, target):
        return True
    target_id = resource_id(target)
    value = peek(resource.props, prop, *path)
    return target_id is not None and (value == target_id or target_id in as_list_of(value))


def as_list_of(value: Any) -> list[Any]:
    return as_list(value) if value is not UNKNOWN else []


def same_vpc(a: Any, b: Any, vpcs: list[Any]) -> bool:
    """Whether two resources name the same VPC in their `vpcId`."""
    va, vb = peek(a.props, "vpcId"), peek(b.props, "vpcId")
    if isinstance(va, str) and isinstance(vb, str):
        return va == vb
    return any(depends_on(a, "vpcId", v) and depends_on(b, "vpcId", v) for v in vpcs)


def endpoint_service(endpoint: Any) -> str:
    """`com.amazonaws.us-east-1.ecr.dkr` -> `ecr.dkr`."""
    parts = text(peek(endpoint.props, "serviceName")).split(".")
    return ".".join(parts[3:]) if len(parts) > 3 else ""


@dataclass(frozen=True)
class Reach:
    """What one subnet reaches."""

    internet: bool
    """A default route to NAT, a transit gateway, ... (or to an internet gateway, when the
    workload gets a public IP)."""
    endpoints: frozenset[str]
    """Interface endpoint services in its VPC with private DNS on (without it, clients still
    resolve the public names), plus `s3` when the S3 gateway endpoint is on its route
    table."""


class Routes:
    """The Plan's network, indexed once per rule run."""

    def __init__(self, resources: list[Any]) -> None:
        self.subnets = of_type(resources, SUBNET)
        self.vpcs = of_type(resources, VPC)
        self.tables = of_type(resources, ROUTE_TABLE)
        self.routes = of_type(resources, ROUTE)
        self.associations = of_type(resources, ROUTE_TABLE_ASSOCIATION)
        self.endpoints = of_type(resources, VPC_ENDPOINT)

    def subnets_of(self, workload: Any, prop: str, *path: str) -> list[Any]:
        return [s for s in self.subnets if points_at(workload, prop, s, *path)]

    def reach(self, subnet: Any, public_ip: bool) -> Reach | None:
        """What `subnet` reaches, or None when its route table is not in the Plan."""
        tables = [
            t
            for a in self.associations
            if points_at(a, "subnetId", subnet)
            for t in self.tables
            if points_at(a, "routeTableId", t)
        ]
        if not tables:
            return None
        internet = any(self._egress(t, public_ip) for t in tables)
        found: set[str] = set()
        for endpoint in self.endpoints:
            if not same_vpc(endpoint, subnet, self.vpcs):
                continue
            service = endpoint_service(endpoint)
            kind = text(peek(endpoint.props, "vpcEndpointType")) or "Gateway"
            if kind == "Interface":
                # Without private DNS, SDKs and agents still resolve the public names.
                dns = peek(endpoint.props, "privateDnsEnabled")
                if dns is UNKNOWN or is_true(dns):
                    found.add(service)
            elif any(points_at(endpoint, "routeTableIds", t) for t in tables):
                found.add(service)
        return Reach(internet=internet, endpoints=frozenset(found))

    def _egress(self, table: Any, public_ip: bool) -> bool:
        routes = [r.props for r in self.routes if points_at(r, "routeTableId", table)]
        routes += as_list_of(peek(table.props, "routes"))
        for route in routes:
            destination = peek(route, "destinationCidrBlock") or peek(route, "cidrBlock")
            destination = destination or peek(route, "destinationIpv6CidrBlock")
            if destination is not UNKNOWN and destination not in ANYWHERE:
                continue
            if any(peek(route, key) is not None for key in PRIVATE_EGRESS_TARGETS):
                return True
            if public_ip and peek(route, "gatewayId") is not None:
                return True
        return False


def public_ip_on_launch(subnet: Any) -> bool:
    return is_true(peek(subnet.props, "mapPublicIpOnLaunch"))
