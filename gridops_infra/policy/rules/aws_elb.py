"""AWS's own create-time rules for load balancers, listener rules and target groups
(catalogue: `gridops_infra.core.aws_rules.elb`), for what only the whole Plan shows:
transforms, your own resources, components combined."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from gridops_infra.policy._props import (
    UNKNOWN,
    as_list,
    depends_on,
    get,
    number,
    of_type,
    peek,
    text,
)
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, stack_rule

LOAD_BALANCERS = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
TARGET_GROUPS = ("aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup")
LISTENER_RULES = ("aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule")
# The load balancer controller's binding of a Kubernetes Service to a target group (its
# apiVersion depends on the controller; the kind does not).
TARGET_GROUP_BINDING = "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding"
SUBNET = "aws:ec2/subnet:Subnet"

ELB_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?")
HEALTH_CHECK_RANGES = {
    "interval": (5, 300),
    "timeout": (2, 120),
    "healthyThreshold": (2, 10),
    "unhealthyThreshold": (2, 10),
}
MAX_CONDITION_VALUES = 5
PRIORITIES = (1, 50000)


def zone_of(subnet: Any) -> str:
    return text(peek(subnet.props, "availabilityZone")) or text(
        peek(subnet.props, "availabilityZoneId")
    )


def zones_of(resource: Any, subnets: list[Any], *props: str) -> set[str] | None:
    """The zones of the Plan's subnets that `resource` takes through `props`; None when
    it names subnets the Plan does not hold (their zones are unknown here)."""
    used = [s for s in subnets if any(depends_on(resource, p, s) for p in props)]
    if not used:
        return None
    zones = {zone_of(s) for s in used}
    if "" in zones:
        return None
    return zones


def subnet_count(props: Any) -> int | None:
    values = [peek(props, "subnets"), peek(props, "subnetMappings")]
    if any(v is UNKNOWN for v in values):
        return None
    return sum(len(as_list(v)) for v in values)


@stack_rule(
    name="alb-two-azs",
    description="Application Load Balancers have subnets in at least two Availability Zones "
    "(AWS refuses to create one with fewer).",
    severity=MANDATORY,
    remediation="Give the Network az_count >= 2, or pass subnets of two zones.",
    types=(*LOAD_BALANCERS, SUBNET),
    aws_rule="elb-alb-two-azs",
)
def alb_two_azs(args: Any, report: ReportViolation) -> None:
    subnets = of_type(args.resources, SUBNET)
    for lb in of_type(args.resources, LOAD_BALANCERS):
        if (text(peek(lb.props, "loadBalancerType")) or "application") != "application":
            continue
        count = subnet_count(lb.props)
        zones = zones_of(lb, subnets, "subnets", "subnetMappings")
        if zones is not None and len(zones) < 2:
            report(
                f"load balancer {lb.name!r} has subnets in one Availability Zone only "
                f"({', '.join(sorted(zones))}).",
                lb.urn,
            )
        elif zones is None and count is not None and count < 2:
            report(f"load balancer {lb.name!r} has {count} subnet(s).", lb.urn)


@resource_rule(
    name="elb-name-valid",
    description="Load balancer and target group names have at most 32 letters, digits and "
    "hyphens, not starting or ending with a hyphen.",
    severity=MANDATORY,
    remediation="Shorten the name (or leave it unset so Pulumi autonames it from a short "
    "logical name).",
    types=(*LOAD_BALANCERS, *TARGET_GROUPS),
    aws_rule="elb-name-32-characters",
)
def elb_name(args: Any, report: ReportViolation) -> None:
    name = peek(args.props, "name")
    if isinstance(name, str) and not ELB_NAME.fullmatch(name):
        report(f"name {name!r} ({len(name)} characters) is not a valid load balancer name.")


@resource_rule(
    name="elb-target-group-health-check",
    description="Target group health checks stay within AWS's ranges: interval 5-300 s, "
    "timeout 2-120 s, healthy and unhealthy thresholds 2-10.",
    severity=MANDATORY,
    remediation="Bring health_check interval, timeout and thresholds into range.",
    types=TARGET_GROUPS,
    aws_rule="elb-target-group-health-check",
)
def target_group_health_check(args: Any, report: ReportViolation) -> None:
    check = get(args.props, "healthCheck")
    for key, (lo, hi) in HEALTH_CHECK_RANGES.items():
        value = number(get(check, key))
        if value is not None and not lo <= value <= hi:
            report(f"healthCheck.{key}={value:g} is outside {lo}..{hi}.")


@resource_rule(
    name="elb-deregistration-delay",
    description="Target group deregistration delays are 0-3600 seconds.",
    severity=MANDATORY,
    remediation="Set deregistration_delay between 0 and 3600.",
    types=TARGET_GROUPS,
    aws_rule="elb-deregistration-delay",
)
def deregistration_delay(args: Any, report: ReportViolation) -> None:
    value = number(get(args.props, "deregistrationDelay"))
    if value is not None and not 0 <= value <= 3600:
        report(f"deregistrationDelay={value:g} is outside 0..3600.")


def listener_key(rule: Any, listeners: list[Any]) -> str | None:
    for listener in listeners:
        if depends_on(rule, "listenerArn", listener):
            return listener.urn
    value = peek(rule.props, "listenerArn")
    return value if isinstance(value, str) and value else None


@stack_rule(
    name="elb-listener-rule-priority",
    description="Listener rule priorities are 1-50000 and unique per listener (AWS refuses "
    "a second rule with a taken priority).",
    severity=MANDATORY,
    remediation="Give each rule on a listener its own priority (StatelessService `priority`, "
    "or leave it unset so the cluster hands out free ones).",
    types=(*LISTENER_RULES, "aws:lb/listener:Listener", "aws:alb/listener:Listener"),
    aws_rule="elb-listener-rule-priority",
)
def listener_rule_priority(args: Any, report: ReportViolation) -> None:
    listeners = of_type(args.resources, ("aws:lb/listener:Listener", "aws:alb/listener:Listener"))
    taken: dict[tuple[str, float], list[Any]] = defaultdict(list)
    for rule in of_type(args.resources, LISTENER_RULES):
        priority = number(peek(rule.props, "priority"))
        if priority is None:
            continue  # unset: AWS picks the next free one
        if not PRIORITIES[0] <= priority <= PRIORITIES[1]:
            report(f"rule {rule.name!r}: priority {priority:g} is outside 1..50000.", rule.urn)
        key = listener_key(rule, listeners)
        if key is not None:
            taken[(key, priority)].append(rule)
    for (_, priority), rules in taken.items():
        for rule in rules[1:]:
            report(
                f"rule {rule.name!r}: priority {priority:g} is already taken by "
                f"{rules[0].name!r} on the same listener.",
                rule.urn,
            )


def condition_values(condition: Any) -> int:
    count = 0
    for key in ("hostHeader", "pathPattern", "httpHeader", "httpRequestMethod", "sourceIp"):
        count += len(as_list(get(condition, key, "values")))
    count += len(as_list(get(condition, "queryStrings")))
    return count


@resource_rule(
    name="elb-rule-condition-values",
    description="An ALB listener rule has at most 5 condition values (hosts, paths, headers, "
    "methods, source IPs and query strings together).",
    severity=MANDATORY,
    remediation="Split the rule in two, or use wildcards to need fewer values.",
    types=LISTENER_RULES,
    aws_rule="elb-rule-condition-values",
)
def rule_condition_values(args: Any, report: ReportViolation) -> None:
    total = sum(condition_values(c) for c in as_list(get(args.props, "conditions")))
    if total > MAX_CONDITION_VALUES:
        report(f"the rule has {total} condition values; at most {MAX_CONDITION_VALUES}.")


def is_target_group_binding(resource: Any) -> bool:
    return str(resource.resource_type).endswith(":TargetGroupBinding")


@stack_rule(
    name="elb-target-group-binding-target-type",
    description="A TargetGroupBinding's targetType is its target group's: the controller "
    "registers Pod IPs for `ip` and instance IDs for `instance`, and a target group refuses "
    "targets of another type.",
    severity=MANDATORY,
    remediation="Give the target group target_type='ip' (the default is 'instance') to match "
    "the binding's targetType 'ip', or leave the binding's targetType out.",
    types=(*TARGET_GROUPS, TARGET_GROUP_BINDING),
    aws_rule="elb-target-type",
)
def target_group_binding_target_type(args: Any, report: ReportViolation) -> None:
    groups = of_type(args.resources, TARGET_GROUPS)
    for binding in (r for r in args.resources if is_target_group_binding(r)):
        wanted = peek(binding.props, "spec", "targetType")
        if wanted is None or wanted is UNKNOWN:
            continue  # the controller reads the group's type
        for group in (g for g in groups if depends_on(binding, "spec", g)):
            group_type = peek(group.props, "targetType")
            if group_type is UNKNOWN:
                continue
            group_type = text(group_type) or "instance"
            if text(wanted) != group_type:
                report(
                    f"TargetGroupBinding {binding.name!r} registers {text(wanted)!r} targets "
                    f"in target group {group.name!r}, whose target type is {group_type!r}: "
                    "AWS refuses them.",
                    binding.urn,
                )
