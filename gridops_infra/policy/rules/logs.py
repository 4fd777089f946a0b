"""CloudWatch log groups keep logs for a bounded time."""

from __future__ import annotations

from typing import Any

from gridops_infra.policy._props import get, number
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


@resource_rule(
    name="log-group-retention",
    description="CloudWatch log groups set a retention period (the default keeps logs, and "
    "their cost, forever).",
    severity=MANDATORY,
    remediation="Set retention_in_days (e.g. 30 for application logs, 365 for audit logs).",
    types=(LOG_GROUP,),
)
def retention(args: Any, report: ReportViolation) -> None:
    days = number(get(args.props, "retentionInDays"))
    if days is None or days <= 0:
        report("retentionInDays is not set: logs are kept (and billed) forever.")
