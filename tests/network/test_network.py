"""Network: CIDR math, NAT strategies, flow logs, and refused arguments."""

from __future__ import annotations

import ipaddress
import json
from itertools import combinations

import pytest

from gridops_infra.network.component import Network, plan_subnets
from gridops_infra.testing import preview
from gridops_infra.testing.validators import iam_findings

SUBNET = "aws:ec2/subnet:Subnet"
NAT = "aws:ec2/natGateway:NatGateway"
ROUTE = "aws:ec2/route:Route"


@pytest.mark.parametrize("az_count", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("block", ["10.0.0.0/16", "172.20.0.0/20", "192.168.4.0/24"])
def test_subnet_layout_has_no_overlaps_and_stays_inside_the_vpc(az_count: int, block: str) -> None:
    vpc = ipaddress.IPv4Network(block)
    if vpc.prefixlen == 24 and az_count > 2:
        with pytest.raises(ValueError, match="too small"):
            plan_subnets(vpc, az_count)
        return
    layout = plan_subnets(vpc, az_count)
    subnets = layout.private + layout.public
    assert len(layout.private) == len(layout.public) == az_count
    assert all(s.subnet_of(vpc) for s in subnets)
    assert not any(a.overlaps(b) for a, b in combinations(subnets, 2))
    assert all(s.prefixlen <= 28 for s in subnets)
    assert all(
        p.num_addresses > q.num_addresses
        for p, q in zip(layout.private, layout.public, strict=True)
    )


@pytest.fixture(scope="module")
def per_az_plan():
    return preview(lambda: Network("prod", {"az_count": 3, "nat": "per-az"}), stack="fargate")


def test_plan_subnets_match_the_layout(per_az_plan) -> None:
    cidrs = sorted(r.inputs["cidrBlock"] for r in per_az_plan.of_type(SUBNET))
    assert cidrs == sorted(
        [
            "10.0.0.0/19",
            "10.0.32.0/19",
            "10.0.64.0/19",
            "10.0.128.0/21",
            "10.0.136.0/21",
            "10.0.144.0/21",
        ]
    )
    zones = {r.inputs["availabilityZone"] for r in per_az_plan.of_type(SUBNET)}
    assert zones == {"us-east-1a", "us-east-1b", "us-east-1c"}
    assert not any(r.inputs["mapPublicIpOnLaunch"] for r in per_az_plan.of_type(SUBNET))


@pytest.mark.parametrize(
    ("nat", "gateways", "private_default_routes"),
    [("per-az", 3, 3), ("single", 1, 3), ("none", 0, 0)],
)
def test_nat_strategies(nat: str, gateways: int, private_default_routes: int) -> None:
    plan = preview(lambda: Network("net", {"az_count": 3, "nat": nat}))
    assert len(plan.of_type(NAT)) == gateways
    assert len(plan.of_type("aws:ec2/eip:Eip")) == gateways
    nat_routes = [r for r in plan.of_type(ROUTE) if r.inputs.get("natGatewayId")]
    igw_routes = [r for r in plan.of_type(ROUTE) if r.inputs.get("gatewayId")]
    assert len(nat_routes) == private_default_routes
    assert len(igw_routes) == 1
    if nat == "per-az":
        # each private route table uses the NAT gateway of its own AZ
        nat_ids = {r.urn: r.id for r in plan.of_type(NAT)}
        assert len({r.inputs["natGatewayId"] for r in nat_routes}) == 3
        assert {r.inputs["natGatewayId"] for r in nat_routes} == set(nat_ids.values())
    if nat == "single":
        assert len({r.inputs["natGatewayId"] for r in nat_routes}) == 1


def test_nat_gateways_sit_in_public_subnets(per_az_plan) -> None:
    public_ids = {
        r.id for r in per_az_plan.of_type(SUBNET) if r.inputs["tags"]["gridops:tier"] == "public"
    }
    assert {r.inputs["subnetId"] for r in per_az_plan.of_type(NAT)} == public_ids


def test_outputs_and_tags(per_az_plan) -> None:
    component = per_az_plan.one("gridops:aws:Network")
    assert component.outputs["vpc_id"] == per_az_plan.one("aws:ec2/vpc:Vpc").id
    assert len(component.outputs["private_subnet_ids"]) == 3
    for record in per_az_plan.custom_resources:
        if "tags" in record.inputs:
            assert record.inputs["tags"]["gridops:component"] == "Network"
            assert record.inputs["tags"]["gridops:stage"] == "fargate"
        assert record.parent == component.urn


def test_user_tags_are_merged() -> None:
    plan = preview(lambda: Network("n", {"tags": {"team": "core"}}))
    assert plan.one("aws:ec2/vpc:Vpc").inputs["tags"]["team"] == "core"


def test_flow_logs_with_retention_and_scoped_policy(per_az_plan) -> None:
    group = per_az_plan.one("aws:cloudwatch/logGroup:LogGroup")
    assert group.inputs["retentionInDays"] == 30
    flow_log = per_az_plan.one("aws:ec2/flowLog:FlowLog")
    assert flow_log.inputs["trafficType"] == "ALL"
    assert flow_log.inputs["logDestination"] == group.outputs["arn"]
    policy = per_az_plan.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"]
    resources = json.loads(policy)["Statement"][0]["Resource"]
    assert resources == [group.outputs["arn"], group.outputs["arn"] + ":*"]
    assert iam_findings(policy) == []
    assert (
        iam_findings(per_az_plan.one("aws:iam/role:Role").inputs["assumeRolePolicy"], trust=True)
        == []
    )


def test_s3_gateway_endpoint_on_every_route_table(per_az_plan) -> None:
    endpoint = per_az_plan.one("aws:ec2/vpcEndpoint:VpcEndpoint")
    assert endpoint.inputs["serviceName"] == "com.amazonaws.us-east-1.s3"
    assert len(endpoint.inputs["routeTableIds"]) == len(
        per_az_plan.of_type("aws:ec2/routeTable:RouteTable")
    )


def test_default_security_group_is_emptied(per_az_plan) -> None:
    sg = per_az_plan.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert not sg.inputs.get("ingress") and not sg.inputs.get("egress")


def test_transforms_reach_children() -> None:
    plan = preview(lambda: Network("n", {"transforms": {"vpc": {"enable_dns_hostnames": False}}}))
    assert plan.one("aws:ec2/vpc:Vpc").inputs["enableDnsHostnames"] is False


def test_fewer_azs_than_the_region_offers_is_refused_with_the_region_count() -> None:
    with pytest.raises(ValueError, match=r"az_count=3 .*region has 2"):
        preview(lambda: Network("n", {"az_count": 3}), config={"aws:region": "us-west-1"})


BAD_ARGS = [
    ({"az_count": 0}, "az_count"),
    ({"az_count": 7}, "az_count"),
    ({"az_count": "3"}, "az_count"),
    ({"cidr_block": "10.0.0.0/33"}, "cidr_block"),
    ({"cidr_block": "not-a-cidr"}, "cidr_block"),
    ({"cidr_block": "10.0.0.1/16"}, "cidr_block"),
    ({"cidr_block": "8.8.0.0/16"}, "cidr_block"),
    ({"cidr_block": "10.0.0.0/8"}, "cidr_block"),
    ({"cidr_block": "10.0.0.0/26"}, "cidr_block"),
    ({"cidr_block": "192.168.0.0/24", "az_count": 6}, "cidr_block"),
    ({"nat": "per-region"}, "nat"),
    ({"flow_log_retention_days": 10}, "flow_log_retention_days"),
    ({"availability_zones": ["us-east-1a"], "az_count": 2}, "availability_zones"),
    ({"availability_zones": ["x", "y"], "az_count": 2}, "x, y is not an available AZ"),
    (
        {"availability_zones": ["us-east-1a", "eu-west-1b"], "az_count": 2},
        "eu-west-1b is not an available AZ of this region",
    ),
    ({"az_cuont": 2}, "az_cuont"),
    ({"transforms": {"no_such_child": {}}}, "no_such_child"),
]


@pytest.mark.parametrize(("args", "field"), BAD_ARGS)
def test_bad_arguments_are_refused_before_anything_is_registered(args: dict, field: str) -> None:
    errors: list[str] = []

    def program() -> None:
        try:
            Network("n", args)
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program)
    assert len(errors) == 1 and field in errors[0] and "Network 'n'" in errors[0]
    assert len(plan) == 0


@pytest.mark.parametrize("name", ["net a", "net.a", "net/a", "ünï", ""])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="name="):
        preview(lambda: Network(name))


@pytest.mark.parametrize("name", ["1net", "net--a", "net_a", "x" * 41, "Net_" * 30])
def test_names_of_any_length_and_case_are_accepted(name: str) -> None:
    plan = preview(lambda: Network(name, {"az_count": 2}))
    assert plan.one("gridops:aws:Network").name == name
    for r in plan.custom_resources:
        value = (r.inputs.get("tags") or {}).get("Name")
        assert value is None or len(value) <= 256
