"""Elastic Load Balancing: the rules AWS enforces when it creates an Application Load
Balancer, its listeners and listener rules, and its target groups."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Elastic Load Balancing"

ALB_TWO_AZS = aws_rule(
    id="elb-alb-two-azs",
    service=SERVICE,
    rule="An Application Load Balancer needs subnets in at least two Availability Zones.",
    source="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
    fix="Give the Network az_count >= 2 (or two availability_zones), or put the load balancer "
    "in subnets of two zones.",
)

NAME_32_CHARACTERS = aws_rule(
    id="elb-name-32-characters",
    service=SERVICE,
    rule="A load balancer or target group name has at most 32 characters, only letters, digits "
    "and hyphens, and neither begins nor ends with a hyphen.",
    source="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    fix="Leave the name unset (components derive a name_prefix that fits from a long "
    "component name), or set a name of at most 32 letters, digits and inner hyphens.",
)

TARGET_GROUP_HEALTH_CHECK = aws_rule(
    id="elb-target-group-health-check",
    service=SERVICE,
    rule="A target group's health check interval is 5-300 seconds, its timeout 2-120 seconds, "
    "and its healthy and unhealthy threshold counts 2-10.",
    source="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    fix="Keep health_check interval, timeout, healthy_threshold and unhealthy_threshold within "
    "these ranges (a transform that changes them must too).",
)

DEREGISTRATION_DELAY = aws_rule(
    id="elb-deregistration-delay",
    service=SERVICE,
    rule="A target group's deregistration delay is 0-3600 seconds.",
    source="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html",
    fix="Set deregistration_delay_seconds between 0 and 3600.",
)

LISTENER_RULE_PRIORITY = aws_rule(
    id="elb-listener-rule-priority",
    service=SERVICE,
    rule="A listener rule's priority is 1-50000, and no two rules of one listener share a "
    "priority.",
    source="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html",
    fix="Give each service on the load balancer its own priority between 1 and 50000 (or leave "
    "priority unset: the cluster hands out free ones).",
)

TARGET_TYPE = aws_rule(
    id="elb-target-type",
    service=SERVICE,
    rule="A target group takes targets of its own target type only, fixed at creation: IP "
    "addresses (of its VPC's subnets or private ranges) in an `ip` group, instance IDs in an "
    "`instance` group, which is the default when none is given.",
    source="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    fix="Pods are registered by IP (a TargetGroupBinding of a ClusterIP Service): give the "
    "target group target_type='ip' and the binding targetType 'ip'.",
)

RULE_CONDITION_VALUES = aws_rule(
    id="elb-rule-condition-values",
    service=SERVICE,
    rule="An Application Load Balancer rule has at most 5 condition values (the quota "
    "'Condition values per rule', not adjustable).",
    source="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html",
    fix="Give a service at most 5 hosts and path_patterns together (use wildcards, or split it "
    "into two services).",
)
