"""AWS's own create-time rules for Application Auto Scaling targets and scheduled actions
(catalogue: `gridops_infra.core.aws_rules.application_autoscaling`)."""

from __future__ import annotations

import re
from typing import Any

from gridops_infra.policy._props import get, number, text
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule

TARGET = "aws:appautoscaling/target:Target"
SCHEDULED_ACTION = "aws:appautoscaling/scheduledAction:ScheduledAction"
SCHEDULE = re.compile(
    r"at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)"
    r"|rate\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\)"
    r"|cron\(\S+( \S+){5}\)"
)


@resource_rule(
    name="appautoscaling-min-not-above-max",
    description="A scalable target's (and a scheduled action's) minimum capacity is not above "
    "its maximum.",
    severity=MANDATORY,
    remediation="Keep min_capacity <= max_capacity.",
    types=(TARGET, SCHEDULED_ACTION),
    aws_rule="application-autoscaling-min-not-above-max",
)
def min_not_above_max(args: Any, report: ReportViolation) -> None:
    scope = args.props if args.resource_type == TARGET else get(args.props, "scalableTargetAction")
    lo, hi = number(get(scope, "minCapacity")), number(get(scope, "maxCapacity"))
    if lo is not None and hi is not None and lo > hi:
        report(f"minCapacity={lo:g} is above maxCapacity={hi:g}.")


@resource_rule(
    name="appautoscaling-schedule-expression",
    description="Scheduled actions use at(...), rate(...) or a six-field cron(...) schedule.",
    severity=MANDATORY,
    remediation="Write the schedule as at(yyyy-mm-ddThh:mm:ss), rate(<n> <unit>) or "
    "cron(minutes hours day-of-month month day-of-week year).",
    types=(SCHEDULED_ACTION,),
    aws_rule="application-autoscaling-schedule-expression",
)
def schedule_expression(args: Any, report: ReportViolation) -> None:
    schedule = text(get(args.props, "schedule"))
    if not SCHEDULE.fullmatch(schedule):
        report(f"schedule {schedule!r} is not at(...), rate(...) or a six-field cron(...).")
