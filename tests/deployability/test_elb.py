"""Elastic Load Balancing rules (core/aws_rules/elb.py): each refused where a component can
see it (nothing registered) or failed by its mandatory policy rule, and accepted when
within AWS's limits."""

from __future__ import annotations

import re
from typing import Any

import pulumi_aws as aws

from gridops_infra import FargateCluster, Network, StatelessService
from gridops_infra.core.aws_rules.elb import (
    ALB_TWO_AZS,
    DEREGISTRATION_DELAY,
    LISTENER_RULE_PRIORITY,
    RULE_CONDITION_VALUES,
    TARGET_GROUP_HEALTH_CHECK,
    TARGET_TYPE,
)
from gridops_infra.testing import preview

from .compute_helpers import assert_cites, refusal, registered_by, violations

CLUSTER = "gridops:aws:FargateCluster"
SERVICE = "gridops:aws:StatelessService"
IMAGE = "ghcr.io/acme/api:1.4.2"
FORWARD = {
    "type": "fixed-response",
    "fixed_response": {"content_type": "text/plain", "status_code": "200"},
}


def cluster() -> FargateCluster:
    return FargateCluster("prod", {"network": Network("prod", {"az_count": 2})})


def service_refusal(**args: Any) -> str:
    message, plan = refusal(
        cluster, lambda c: StatelessService("api", {"platform": c, "image": IMAGE, **args})
    )
    assert registered_by(plan, SERVICE) == []
    return message


# elb-alb-two-azs


def test_a_fargate_cluster_on_a_one_az_network_is_refused_before_it_registers() -> None:
    message, plan = refusal(
        lambda: Network("solo", {"az_count": 1}),
        lambda net: FargateCluster("prod", {"network": net}),
    )
    assert_cites(message, ALB_TWO_AZS, "network='solo'")
    assert "1 Availability Zone (us-east-1a)" in message
    assert registered_by(plan, CLUSTER) == []
    assert registered_by(plan, "gridops:aws:Network")  # the network itself is fine


def alb_program(zones: tuple[str, str]) -> None:
    vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
    subnets = [
        aws.ec2.Subnet(
            f"public-{i}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=zone
        )
        for i, zone in enumerate(zones)
    ]
    aws.lb.LoadBalancer("alb", load_balancer_type="application", subnets=[s.id for s in subnets])


def test_alb_two_azs_policy_fails_an_alb_whose_subnets_share_one_zone() -> None:
    (found,) = violations(lambda: alb_program(("us-east-1a", "us-east-1a")), "alb-two-azs")
    assert found.resource_name == "alb" and "us-east-1a" in found.message
    assert violations(lambda: alb_program(("us-east-1a", "us-east-1b")), "alb-two-azs") == []


def test_the_cluster_on_two_zones_passes_alb_two_azs() -> None:
    plan = preview(cluster)
    assert registered_by(plan, CLUSTER)
    assert violations(plan, "alb-two-azs") == []


# elb-name-32-characters


def test_names_that_would_autoname_past_32_characters_get_a_prefix_that_fits() -> None:
    """A cluster or service name too long for `<name>-<role>-<7 random>` in 32 characters
    keeps Pulumi's autonaming through a 6-character name_prefix the provider completes with
    its 26-character id, so the load balancer and target groups still fit."""

    def program() -> None:
        c = FargateCluster("c" * 25, {"network": Network("prod", {"az_count": 2})})
        StatelessService("s" * 25, {"platform": c, "image": IMAGE})

    plan = preview(program)
    assert registered_by(plan, CLUSTER) and registered_by(plan, SERVICE)
    named = [
        *plan.of_type("aws:lb/loadBalancer:LoadBalancer"),
        *plan.of_type("aws:lb/targetGroup:TargetGroup"),
    ]
    assert len(named) >= 2
    for r in named:
        assert "name" not in r.inputs
        assert re.fullmatch(r"[cs]{5}-", r.inputs["namePrefix"]), r.inputs
    assert violations(plan, "elb-name-valid") == []


def test_elb_name_policy_checks_explicit_names() -> None:
    def program(name: str) -> None:
        aws.lb.TargetGroup("tg", name=name, port=80, protocol="HTTP", vpc_id="vpc-1")

    (found,) = violations(lambda: program("t" * 33), "elb-name-valid")
    assert "33 characters" in found.message
    assert violations(lambda: program("-api"), "elb-name-valid")
    assert violations(lambda: program("t" * 32), "elb-name-valid") == []


# elb-target-group-health-check


def test_health_check_policy_fails_out_of_range_values_from_a_transform() -> None:
    def program(health_check: dict[str, Any]) -> None:
        StatelessService(
            "api",
            {
                "platform": cluster(),
                "image": IMAGE,
                "transforms": {"target_group": {"health_check": health_check}},
            },
        )

    bad = {"path": "/", "interval": 3, "timeout": 121, "healthy_threshold": 11}
    found = violations(lambda: program(bad), "elb-target-group-health-check")
    assert {v.resource_name for v in found} == {"api-tg"}
    text = " ".join(v.message for v in found)
    assert "interval=3" in text and "timeout=121" in text and "healthyThreshold=11" in text
    assert TARGET_GROUP_HEALTH_CHECK.id == "elb-target-group-health-check"
    good = {"path": "/", "interval": 15, "timeout": 5, "healthy_threshold": 2}
    assert violations(lambda: program(good), "elb-target-group-health-check") == []


# elb-deregistration-delay


def test_deregistration_delay_is_refused_past_3600_and_checked_in_the_plan() -> None:
    message = service_refusal(deregistration_delay_seconds=3601)
    assert_cites(message, DEREGISTRATION_DELAY, "deregistration_delay_seconds=3601")

    def program(delay: int) -> None:
        aws.lb.TargetGroup(
            "tg", port=80, protocol="HTTP", vpc_id="vpc-1", deregistration_delay=delay
        )

    assert violations(lambda: program(4000), "elb-deregistration-delay")
    assert violations(lambda: program(3600), "elb-deregistration-delay") == []


# elb-listener-rule-priority


def test_priority_outside_1_to_50000_is_refused() -> None:
    message = service_refusal(priority=50001)
    assert_cites(message, LISTENER_RULE_PRIORITY, "priority=50001")


def test_listener_rule_priority_policy_fails_a_taken_priority() -> None:
    def program(second_priority: int) -> None:
        c = cluster()
        StatelessService(
            "api", {"platform": c, "image": IMAGE, "path_patterns": ["/api/*"], "priority": 10}
        )
        aws.lb.ListenerRule(
            "mine",
            listener_arn=c.listener.arn,
            priority=second_priority,
            actions=[FORWARD],
            conditions=[{"path_pattern": {"values": ["/mine/*"]}}],
        )

    (found,) = violations(lambda: program(10), "elb-listener-rule-priority")
    # Whichever registers second is reported, naming the one that holds the priority.
    assert {found.resource_name, *re.findall(r"taken by '([^']+)'", found.message)} == {
        "mine",
        "api-rule",
    }
    assert violations(lambda: program(11), "elb-listener-rule-priority") == []


# elb-rule-condition-values


def test_more_than_five_condition_values_are_refused() -> None:
    paths = [f"/p{i}/*" for i in range(6)]
    message = service_refusal(path_patterns=paths)
    assert_cites(message, RULE_CONDITION_VALUES, "path_patterns=")

    def program(count: int) -> None:
        aws.lb.ListenerRule(
            "rule",
            listener_arn="arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/b/c",
            priority=5,
            actions=[FORWARD],
            conditions=[
                {"path_pattern": {"values": [f"/p{i}/*" for i in range(count - 1)]}},
                {"host_header": {"values": ["api.example.com"]}},
            ],
        )

    (found,) = violations(lambda: program(6), "elb-rule-condition-values")
    assert "6 condition values" in found.message
    assert violations(lambda: program(5), "elb-rule-condition-values") == []


# elb-target-type


def eks_service_behind_a_vpc_origin(target_group: dict[str, Any] | None = None) -> None:
    from gridops_infra import CdnFrontend, EksCluster

    net = Network("prod", {"az_count": 2})
    cluster = EksCluster("edge", {"network": net, "behind_cdn": True})
    transforms = {"target_group": target_group} if target_group else {}
    api = StatelessService("api", {"platform": cluster, "image": IMAGE, "transforms": transforms})
    CdnFrontend("web", {"api_origin": api})


TARGET_TYPE_POLICY = "elb-target-group-binding-target-type"


def test_the_policy_fails_a_binding_of_pod_ips_to_an_instance_target_group() -> None:
    """A transform turning the EKS service's target group into an `instance` one: the
    TargetGroupBinding still registers Pod IPs, which AWS refuses."""
    (found,) = violations(
        lambda: eks_service_behind_a_vpc_origin({"target_type": "instance"}), TARGET_TYPE_POLICY
    )
    assert found.resource_name == "api-target-group-binding", found
    assert "'ip'" in found.message and "'instance'" in found.message, found.message
    assert TARGET_TYPE.id == "elb-target-type"


def test_the_policy_passes_the_eks_services_ip_target_group() -> None:
    assert violations(eks_service_behind_a_vpc_origin, TARGET_TYPE_POLICY) == []
