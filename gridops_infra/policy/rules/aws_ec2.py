"""AWS's own create-time rules for VPCs, subnets and security groups (catalogue:
`gridops_infra.core.aws_rules.ec2`)."""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from typing import Any

from gridops_infra.policy._props import as_list, depends_on, get, number, of_type, peek, text
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, setting, stack_rule

VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
DESCRIPTION = re.compile(r"[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]{0,255}")
DEFAULT_MAX_RULES = 60


def prefix_length(value: Any) -> int | None:
    try:
        return ipaddress.ip_network(text(value), strict=False).prefixlen
    except ValueError:
        return None


@resource_rule(
    name="ec2-vpc-cidr-size",
    description="A VPC's IPv4 block is between /16 and /28.",
    severity=MANDATORY,
    remediation="Use a cidr_block from /16 to /28.",
    types=(VPC,),
    aws_rule="ec2-vpc-cidr-size",
)
def vpc_cidr_size(args: Any, report: ReportViolation) -> None:
    prefix = prefix_length(get(args.props, "cidrBlock"))
    if prefix is not None and not 16 <= prefix <= 28:
        report(f"cidrBlock is /{prefix}; AWS accepts /16 to /28.")


@resource_rule(
    name="ec2-subnet-cidr-size",
    description="A subnet's IPv4 block is between /16 and /28.",
    severity=MANDATORY,
    remediation="Use a subnet block from /16 to /28.",
    types=(SUBNET,),
    aws_rule="ec2-subnet-cidr-size",
)
def subnet_cidr_size(args: Any, report: ReportViolation) -> None:
    prefix = prefix_length(get(args.props, "cidrBlock"))
    if prefix is not None and not 16 <= prefix <= 28:
        report(f"cidrBlock is /{prefix}; AWS accepts /16 to /28.")


def inline_rule_count(rules: Any) -> int:
    """Rules of inline ingress/egress blocks: each CIDR, group and prefix list is one."""
    total = 0
    for rule in as_list(rules):
        sources = sum(
            len(as_list(get(rule, key)))
            for key in ("cidrBlocks", "ipv6CidrBlocks", "prefixListIds", "securityGroups")
        )
        total += max(sources, 1) if not get(rule, "self") else sources + 1
    return total


def group_of(rule: Any, groups: list[Any]) -> str | None:
    for group in groups:
        if depends_on(rule, "securityGroupId", group):
            return group.urn
    value = peek(rule.props, "securityGroupId")
    return value if isinstance(value, str) and value else None


@stack_rule(
    name="ec2-security-group-rules-quota",
    description="A security group has at most 60 inbound and 60 outbound rules (AWS's "
    "default quota; a prefix list counts once here, as the Plan does not hold its size).",
    severity=MANDATORY,
    remediation="Merge CIDR blocks into fewer or a managed prefix list; if your account's "
    "quota is raised, set this rule's max_rules.",
    types=(SECURITY_GROUP, INGRESS_RULE, EGRESS_RULE, GROUP_RULE),
    config_schema={
        "max_rules": {
            "type": "integer",
            "minimum": 1,
            "default": DEFAULT_MAX_RULES,
            "description": "Your account's 'Inbound or outbound rules per security group'.",
        }
    },
    aws_rule="ec2-security-group-rules-quota",
)
def security_group_rules_quota(args: Any, report: ReportViolation) -> None:
    limit = int(setting(args, "max_rules", DEFAULT_MAX_RULES))
    groups = of_type(args.resources, SECURITY_GROUP)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    names = {g.urn: g.name for g in groups}
    for group in groups:
        counts[(group.urn, "inbound")] += inline_rule_count(peek(group.props, "ingress"))
        counts[(group.urn, "outbound")] += inline_rule_count(peek(group.props, "egress"))
    for rule in of_type(args.resources, (INGRESS_RULE, EGRESS_RULE, GROUP_RULE)):
        key = group_of(rule, groups)
        if key is None:
            continue
        if rule.resource_type == GROUP_RULE:
            direction = "inbound" if text(peek(rule.props, "type")) == "ingress" else "outbound"
            counts[(key, direction)] += inline_rule_count([rule.props])
        else:
            direction = "inbound" if rule.resource_type == INGRESS_RULE else "outbound"
            counts[(key, direction)] += 1
    for (key, direction), count in sorted(counts.items()):
        if count > limit:
            report(
                f"security group {names.get(key, key)!r} has {count} {direction} rules; the "
                f"quota is {limit}.",
                key if key in names else None,
            )


def bad_description(value: Any) -> str | None:
    if isinstance(value, str) and not DESCRIPTION.fullmatch(value):
        return value
    return None


@resource_rule(
    name="ec2-security-group-description",
    description="Security group and rule descriptions use only the characters EC2 accepts "
    "(a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*), at most 255.",
    severity=MANDATORY,
    remediation="Drop quotes, apostrophes, angle brackets and non-ASCII characters from the "
    "description.",
    types=(SECURITY_GROUP, INGRESS_RULE, EGRESS_RULE, GROUP_RULE),
    aws_rule="ec2-security-group-description",
)
def security_group_description(args: Any, report: ReportViolation) -> None:
    found = [bad_description(peek(args.props, "description"))]
    if args.resource_type == SECURITY_GROUP:
        for key in ("ingress", "egress"):
            found += [
                bad_description(get(r, "description")) for r in as_list(peek(args.props, key))
            ]
    for value in filter(None, found):
        report(f"description {value!r} has characters or a length EC2 refuses.")


VOLUME = "aws:ebs/volume:Volume"
INSTANCE = "aws:ec2/instance:Instance"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
GENERAL_PURPOSE = ("gp2", "gp3")
MAX_GENERAL_PURPOSE_GIB = 16384


def general_purpose_sizes(resource_type: str, props: Any) -> list[tuple[str, float]]:
    """(where, GiB) of every gp2/gp3 volume the resource creates with a known size."""
    if resource_type == VOLUME:
        found = [("size", get(props, "type") or "gp2", get(props, "size"))]
    elif resource_type == INSTANCE:
        root = get(props, "rootBlockDevice")
        found = [("rootBlockDevice", get(root, "volumeType") or "gp3", get(root, "volumeSize"))]
        found += [
            (f"ebsBlockDevices[{i}]", get(d, "volumeType") or "gp3", get(d, "volumeSize"))
            for i, d in enumerate(as_list(get(props, "ebsBlockDevices")))
        ]
    else:
        found = [
            (
                f"blockDeviceMappings[{i}]",
                get(m, "ebs", "volumeType") or "gp3",
                get(m, "ebs", "volumeSize"),
            )
            for i, m in enumerate(as_list(get(props, "blockDeviceMappings")))
        ]
    return [
        (where, size)
        for where, kind, value in found
        if text(kind) in GENERAL_PURPOSE and (size := number(value)) is not None
    ]


@resource_rule(
    name="ec2-gp3-volume-size",
    description="gp2 and gp3 EBS volumes (standalone, instance and launch template) are "
    "1-16384 GiB.",
    severity=MANDATORY,
    remediation="Size the volume between 1 and 16384 GiB.",
    types=(VOLUME, INSTANCE, LAUNCH_TEMPLATE),
    aws_rule="ec2-gp3-volume-size",
)
def gp3_volume_size(args: Any, report: ReportViolation) -> None:
    for where, size in general_purpose_sizes(args.resource_type, args.props):
        if not 1 <= size <= MAX_GENERAL_PURPOSE_GIB:
            report(f"{where} is {size:g} GiB; gp2/gp3 volumes are 1-16384 GiB.")
