"""RDS and Aurora: the create-time limits AWS enforces (`core/aws_rules/rds.py`), checked on
the whole Plan so transforms and hand-written resources are held to them too."""

from __future__ import annotations

from typing import Any

from gridops_infra.core.aws_rules import rds
from gridops_infra.policy._props import number, of_type, peek
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, stack_rule
from gridops_infra.policy.rules.rds import (
    RDS_CLUSTER,
    RDS_CLUSTER_INSTANCE,
    RDS_INSTANCE,
    is_read_replica,
)

DB_SUBNET_GROUP = "aws:rds/subnetGroup:SubnetGroup"
DB_PROXY = "aws:rds/proxy:Proxy"
SUBNET = "aws:ec2/subnet:Subnet"

PI_RETENTION_DAYS = frozenset({7, *(31 * m for m in range(1, 24)), 731})
MAX_BACKUP_RETENTION_DAYS = 35


def subnet_zones(holder: Any, prop: str) -> set[str] | None:
    """The Availability Zones of the subnets `holder.props[prop]` was built from, or None
    when any of them is not a subnet of this stack with a known zone (nothing to judge)."""
    deps = (getattr(holder, "property_dependencies", None) or {}).get(prop) or []
    subnets = [d for d in deps if d.resource_type == SUBNET]
    if not subnets or len(subnets) != len(deps):
        return None
    zones = {peek(s.props, "availabilityZone") for s in subnets}
    if not all(isinstance(z, str) and z for z in zones):
        return None
    return zones


def _report_single_zone(
    args: Any, report: ReportViolation, resource_type: str, prop: str, what: str
) -> None:
    for holder in of_type(args.resources, resource_type):
        zones = subnet_zones(holder, prop)
        if zones is not None and len(zones) < 2:
            report(
                f"{what} {holder.name!r} has subnets in one Availability Zone only "
                f"({', '.join(sorted(zones))}); AWS refuses it at create time.",
                holder.urn,
            )


@stack_rule(
    name="rds-subnet-group-two-azs",
    description="A DB subnet group has subnets in at least two Availability Zones.",
    severity=MANDATORY,
    remediation=rds.SUBNET_GROUP_TWO_AZS.fix,
    types=(DB_SUBNET_GROUP, SUBNET),
    aws_rule=rds.SUBNET_GROUP_TWO_AZS.id,
)
def subnet_group_two_azs(args: Any, report: ReportViolation) -> None:
    _report_single_zone(args, report, DB_SUBNET_GROUP, "subnetIds", "DB subnet group")


@stack_rule(
    name="rds-proxy-two-azs",
    description="An RDS Proxy has subnets in at least two Availability Zones.",
    severity=MANDATORY,
    remediation=rds.PROXY_TWO_AZS.fix,
    types=(DB_PROXY, SUBNET),
    aws_rule=rds.PROXY_TWO_AZS.id,
)
def proxy_two_azs(args: Any, report: ReportViolation) -> None:
    _report_single_zone(args, report, DB_PROXY, "vpcSubnetIds", "RDS Proxy")


@resource_rule(
    name="rds-backup-retention-range",
    description="Automated backups are kept at most 35 days (the most RDS accepts).",
    severity=MANDATORY,
    remediation=rds.BACKUP_RETENTION.fix,
    types=(RDS_INSTANCE, RDS_CLUSTER),
    aws_rule=rds.BACKUP_RETENTION.id,
)
def backup_retention_range(args: Any, report: ReportViolation) -> None:
    if is_read_replica(args.props):
        return
    days = number(peek(args.props, "backupRetentionPeriod"))
    if days is not None and not 0 <= days <= MAX_BACKUP_RETENTION_DAYS:
        report(f"backupRetentionPeriod is {days:g}; RDS accepts 0..35 days (Aurora 1..35).")


@resource_rule(
    name="rds-performance-insights-retention",
    description="Performance Insights retention is 7, a multiple of 31 up to 713, or 731 days.",
    severity=MANDATORY,
    remediation=rds.PERFORMANCE_INSIGHTS_RETENTION.fix,
    types=(RDS_INSTANCE, RDS_CLUSTER, RDS_CLUSTER_INSTANCE),
    aws_rule=rds.PERFORMANCE_INSIGHTS_RETENTION.id,
)
def performance_insights_retention(args: Any, report: ReportViolation) -> None:
    days = number(peek(args.props, "performanceInsightsRetentionPeriod"))
    if days is not None and days not in PI_RETENTION_DAYS:
        report(
            f"performanceInsightsRetentionPeriod is {days:g}; RDS accepts 7, 31 x 1..23 "
            "or 731 days."
        )
