"""CloudWatch alarms and CloudWatch Logs groups: the create-time rules AWS enforces
(`core/aws_rules/cloudwatch.py`), checked on every alarm and log group of the Plan."""

from __future__ import annotations

import re
from typing import Any

from gridops_infra.core.aws_rules import cloudwatch
from gridops_infra.core.logs import LOG_RETENTION_DAYS
from gridops_infra.policy._props import as_list, get, number, peek
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule

METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"

DAY_SECONDS = 86_400
WEEK_SECONDS = 7 * DAY_SECONDS
HOUR_SECONDS = 3_600
HIGH_RESOLUTION_PERIODS = (10, 20, 30)
MAX_ALARM_NAME = 255
MAX_ALARM_RULE = 10_240
LOG_GROUP_NAME = re.compile(r"[A-Za-z0-9_\-/.#]{1,512}")


def alarm_periods(props: Any) -> list[float]:
    """The alarm's own period and each metric period of its metric math, where known."""
    periods = [number(peek(props, "period"))]
    for query in as_list(peek(props, "metricQueries")):
        periods.append(number(get(query, "metric", "period")))
    return [p for p in periods if p is not None]


def valid_period(period: float) -> bool:
    return period in HIGH_RESOLUTION_PERIODS or (period > 0 and period % 60 == 0)


@resource_rule(
    name="cloudwatch-alarm-period",
    description="Every period of a metric alarm is 10, 20, 30 or a multiple of 60 seconds.",
    severity=MANDATORY,
    remediation=cloudwatch.ALARM_PERIOD.fix,
    types=(METRIC_ALARM,),
    aws_rule=cloudwatch.ALARM_PERIOD.id,
)
def alarm_period(args: Any, report: ReportViolation) -> None:
    for period in alarm_periods(args.props):
        if not valid_period(period):
            report(f"period {period:g} s: CloudWatch accepts 10, 20, 30 or a multiple of 60.")


@resource_rule(
    name="cloudwatch-alarm-evaluation-range",
    description="A metric alarm looks back at most seven days (period x evaluation periods), "
    "and at most one day when its period is under an hour.",
    severity=MANDATORY,
    remediation=cloudwatch.ALARM_EVALUATION_RANGE.fix,
    types=(METRIC_ALARM,),
    aws_rule=cloudwatch.ALARM_EVALUATION_RANGE.id,
)
def evaluation_range(args: Any, report: ReportViolation) -> None:
    evaluations = number(peek(args.props, "evaluationPeriods"))
    if evaluations is None:
        return
    for period in alarm_periods(args.props):
        limit = DAY_SECONDS if period < HOUR_SECONDS else WEEK_SECONDS
        if period * evaluations > limit:
            report(
                f"period {period:g} s x {evaluations:g} evaluation periods = "
                f"{period * evaluations:g} s, over CloudWatch's {limit} s for that period."
            )


@resource_rule(
    name="cloudwatch-datapoints-to-alarm",
    description="A metric alarm's datapoints to alarm is 1..evaluation periods.",
    severity=MANDATORY,
    remediation=cloudwatch.DATAPOINTS_TO_ALARM.fix,
    types=(METRIC_ALARM,),
    aws_rule=cloudwatch.DATAPOINTS_TO_ALARM.id,
)
def datapoints_to_alarm(args: Any, report: ReportViolation) -> None:
    datapoints = number(peek(args.props, "datapointsToAlarm"))
    evaluations = number(peek(args.props, "evaluationPeriods"))
    if datapoints is None or evaluations is None:
        return
    if not 1 <= datapoints <= evaluations:
        report(
            f"datapointsToAlarm is {datapoints:g} with {evaluations:g} evaluation periods; "
            "CloudWatch accepts 1..evaluationPeriods."
        )


@resource_rule(
    name="cloudwatch-alarm-name",
    description="Metric and composite alarm names are at most 255 characters.",
    severity=MANDATORY,
    remediation=cloudwatch.ALARM_NAME.fix,
    types=(METRIC_ALARM, COMPOSITE_ALARM),
    aws_rule=cloudwatch.ALARM_NAME.id,
)
def alarm_name(args: Any, report: ReportViolation) -> None:
    name = peek(args.props, "name") or peek(args.props, "alarmName")
    if isinstance(name, str) and len(name) > MAX_ALARM_NAME:
        report(f"alarm name has {len(name)} characters; CloudWatch accepts at most 255.")


@resource_rule(
    name="cloudwatch-composite-alarm-rule",
    description="A composite alarm's rule is at most 10,240 characters.",
    severity=MANDATORY,
    remediation=cloudwatch.COMPOSITE_ALARM_RULE.fix,
    types=(COMPOSITE_ALARM,),
    aws_rule=cloudwatch.COMPOSITE_ALARM_RULE.id,
)
def composite_alarm_rule(args: Any, report: ReportViolation) -> None:
    rule = peek(args.props, "alarmRule")
    if isinstance(rule, str) and len(rule) > MAX_ALARM_RULE:
        report(f"alarmRule has {len(rule)} characters; CloudWatch accepts at most 10240.")


@resource_rule(
    name="cloudwatch-log-retention",
    description="A log group's retention is one of the values CloudWatch Logs accepts.",
    severity=MANDATORY,
    remediation=cloudwatch.LOG_RETENTION.fix,
    types=(LOG_GROUP,),
    aws_rule=cloudwatch.LOG_RETENTION.id,
)
def log_retention(args: Any, report: ReportViolation) -> None:
    days = number(peek(args.props, "retentionInDays"))
    if days is not None and days != 0 and days not in LOG_RETENTION_DAYS:
        report(f"retentionInDays is {days:g}; CloudWatch Logs accepts only {LOG_RETENTION_DAYS}.")


@resource_rule(
    name="cloudwatch-log-group-name",
    description="A log group name is 1..512 characters of letters, digits and _ - / . #.",
    severity=MANDATORY,
    remediation=cloudwatch.LOG_GROUP_NAME.fix,
    types=(LOG_GROUP,),
    aws_rule=cloudwatch.LOG_GROUP_NAME.id,
)
def log_group_name(args: Any, report: ReportViolation) -> None:
    name = peek(args.props, "name")
    if isinstance(name, str) and name and not LOG_GROUP_NAME.fullmatch(name):
        report(f"log group name {name!r} has characters or a length CloudWatch Logs refuses.")
