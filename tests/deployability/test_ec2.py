"""Amazon EC2 / VPC rules (core/aws_rules/ec2.py): refused in Network and FargateCluster
(nothing registered) and failed by mandatory policy rules on the Plan's VPCs, subnets and
security groups; accepted within AWS's limits."""

from __future__ import annotations

from typing import Any

import pulumi_aws as aws

from gridops_infra import FargateCluster, Network, SingleServer, StatelessService
from gridops_infra.core.aws_rules.ec2 import (
    GP3_VOLUME_SIZE,
    SECURITY_GROUP_DESCRIPTION,
    SECURITY_GROUP_RULES_QUOTA,
    SUBNET_CIDR_SIZE,
    VPC_CIDR_SIZE,
)
from gridops_infra.testing import preview

from .compute_helpers import assert_cites, refusal, registered_by, violations

NETWORK = "gridops:aws:Network"


def network_refusal(args: dict[str, Any]) -> str:
    message, plan = refusal(lambda: None, lambda _: Network("prod", args))
    assert plan.resources == []
    return message


# ec2-vpc-cidr-size


def test_a_vpc_block_larger_than_16_is_refused() -> None:
    message = network_refusal({"cidr_block": "10.0.0.0/15"})
    assert_cites(message, VPC_CIDR_SIZE, "cidr_block='10.0.0.0/15'")

    def program(block: str) -> None:
        aws.ec2.Vpc("vpc", cidr_block=block)

    assert violations(lambda: program("10.0.0.0/15"), "ec2-vpc-cidr-size")
    assert violations(lambda: program("10.0.0.0/29"), "ec2-vpc-cidr-size")
    assert violations(lambda: program("10.0.0.0/16"), "ec2-vpc-cidr-size") == []


# ec2-subnet-cidr-size


def test_subnets_smaller_than_28_are_refused() -> None:
    message = network_refusal({"cidr_block": "10.0.0.0/24", "az_count": 3})
    assert_cites(message, SUBNET_CIDR_SIZE, "cidr_block='10.0.0.0/24'")
    assert "/29" in message
    plan = preview(lambda: Network("prod", {"cidr_block": "10.0.0.0/24", "az_count": 2}))
    assert registered_by(plan, NETWORK)
    assert violations(plan, "ec2-subnet-cidr-size") == []

    def program(block: str) -> None:
        aws.ec2.Subnet("subnet", vpc_id="vpc-1", cidr_block=block)

    (found,) = violations(lambda: program("10.0.0.0/29"), "ec2-subnet-cidr-size")
    assert "/29" in found.message
    assert violations(lambda: program("10.0.0.0/28"), "ec2-subnet-cidr-size") == []


# ec2-security-group-rules-quota


def blocks(count: int) -> list[str]:
    return [f"203.0.{i}.0/24" for i in range(count)]


def test_more_alb_ingress_blocks_than_the_rule_quota_are_refused() -> None:
    message, plan = refusal(
        lambda: Network("prod", {"az_count": 2}),
        lambda net: FargateCluster("prod", {"network": net, "ingress_cidrs": blocks(31)}),
    )
    assert_cites(message, SECURITY_GROUP_RULES_QUOTA, "ingress_cidrs='<31 CIDR blocks>'")
    assert "62 inbound rules" in message
    assert registered_by(plan, "gridops:aws:FargateCluster") == []


def test_the_rule_quota_policy_counts_every_rule_of_a_group() -> None:
    def program(count: int) -> None:
        sg = aws.ec2.SecurityGroup("web", vpc_id="vpc-1", description="web servers")
        for i, block in enumerate(blocks(count)):
            aws.vpc.SecurityGroupIngressRule(
                f"in-{i}",
                security_group_id=sg.id,
                ip_protocol="tcp",
                from_port=443,
                to_port=443,
                cidr_ipv4=block,
            )

    plan = preview(lambda: program(61))
    (found,) = violations(plan, "ec2-security-group-rules-quota")
    assert found.resource_name == "web" and "61 inbound rules" in found.message
    raised = {"ec2-security-group-rules-quota": {"max_rules": 100}}
    assert violations(plan, "ec2-security-group-rules-quota", raised) == []
    assert violations(lambda: program(60), "ec2-security-group-rules-quota") == []


def test_thirty_alb_blocks_with_https_stay_within_the_quota() -> None:
    def program() -> None:
        net = Network("prod", {"az_count": 2})
        FargateCluster(
            "prod",
            {
                "network": net,
                "ingress_cidrs": blocks(30),
                "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
            },
        )

    plan = preview(program)
    assert registered_by(plan, "gridops:aws:FargateCluster")
    assert violations(plan, "ec2-security-group-rules-quota") == []


# ec2-security-group-description


def test_descriptions_with_characters_ec2_refuses_fail() -> None:
    def program(description: str) -> None:
        sg = aws.ec2.SecurityGroup("web", vpc_id="vpc-1", description=description)
        aws.vpc.SecurityGroupIngressRule(
            "in",
            security_group_id=sg.id,
            ip_protocol="tcp",
            from_port=443,
            to_port=443,
            cidr_ipv4="10.0.0.0/16",
            description=description,
        )

    found = violations(lambda: program("the app's servers"), "ec2-security-group-description")
    assert {v.resource_name for v in found} == {"web", "in"}
    assert SECURITY_GROUP_DESCRIPTION.id == "ec2-security-group-description"
    ok = "App servers: HTTPS (443) from 10.0.0.0/16 #1, @ops [prod] +=&;{}!$*"
    assert violations(lambda: program(ok), "ec2-security-group-description") == []


def test_a_fargate_service_s_own_descriptions_pass() -> None:
    # The service's ingress rule once read "from the cluster's ALB only"; EC2 refuses the
    # apostrophe in rule descriptions.
    def program() -> None:
        cluster = FargateCluster("prod", {"network": Network("prod", {"az_count": 2})})
        StatelessService("api", {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2"})

    assert violations(program, "ec2-security-group-description") == []


# ec2-gp3-volume-size


def test_a_data_volume_past_16_tib_is_refused() -> None:
    message, plan = refusal(
        lambda: Network("prod", {"az_count": 2, "nat": "none"}),
        lambda net: SingleServer("web", {"network": net, "data_volume_gb": 16385}),
    )
    assert_cites(message, GP3_VOLUME_SIZE, "data_volume_gb=16385")
    assert registered_by(plan, "gridops:aws:SingleServer") == []


def test_gp3_volume_size_policy_reads_volumes_instances_and_launch_templates() -> None:
    def program(size: int) -> None:
        aws.ebs.Volume("data", availability_zone="us-east-1a", type="gp3", size=size)
        aws.ec2.LaunchTemplate(
            "nodes",
            block_device_mappings=[
                {"device_name": "/dev/xvda", "ebs": {"volume_size": size, "volume_type": "gp3"}}
            ],
        )
        aws.ec2.Instance(
            "host",
            ami="ami-0123456789abcdef0",
            instance_type="t4g.small",
            root_block_device={"volume_size": size, "volume_type": "gp3"},
        )

    found = violations(lambda: program(16385), "ec2-gp3-volume-size")
    assert {v.resource_name for v in found} == {"data", "nodes", "host"}
    assert violations(lambda: program(16384), "ec2-gp3-volume-size") == []
