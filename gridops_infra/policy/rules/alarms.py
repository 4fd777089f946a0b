"""CloudWatch alarms: every alarm reaches someone, or says what reads it.

Mandatory: an alarm with no action and no reader deploys fine and then never tells anyone
anything, which is the "green but wrong" this pack exists to catch. The fix is one line:
an alarm action (an SNS topic, an EC2 or Auto Scaling action), or the tag
`gridops:role` naming what evaluates it instead: `deployment-rollback` (ECS rolls a
deployment back on it), `composite-input` (a composite alarm's rule reads it) or
`route53-health-check` (a Route 53 health check follows it: a traffic cut-over's rollback).
"""

from __future__ import annotations

from typing import Any

from gridops_infra.policy._props import UNKNOWN, as_list, is_true, peek
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule

METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
ROLE_TAG = "gridops:role"
READ_BY = ("deployment-rollback", "composite-input", "route53-health-check")


def _role(props: Any) -> Any:
    return peek(props, "tags", ROLE_TAG)


@resource_rule(
    name="alarm-has-actions",
    description="Every CloudWatch alarm notifies someone (alarm actions) or is tagged as the "
    "input of a deployment rollback or a composite alarm.",
    severity=MANDATORY,
    remediation="Set alarm_actions=[<SNS topic arn>] (a platform's alarm_topic_arn, or an "
    "ObservabilityStack topic), or tag the alarm "
    '{"gridops:role": "deployment-rollback" | "composite-input" | "route53-health-check"} when '
    "an ECS deployment, a composite alarm or a Route 53 health check reads it.",
    types=(METRIC_ALARM, COMPOSITE_ALARM),
)
def alarm_has_actions(args: Any, report: ReportViolation) -> None:
    props = args.props
    actions = peek(props, "alarmActions")
    if actions is UNKNOWN or as_list(actions):
        if peek(props, "actionsEnabled") is False:
            report("its alarm actions are disabled (actionsEnabled=false).")
        return
    role = _role(props)
    if role is UNKNOWN or role in READ_BY:
        return
    if is_true(role) or role:
        report(f"it has no alarm actions, and {ROLE_TAG}={role!r} is not one of {READ_BY}.")
        return
    report("it has no alarm actions and no gridops:role tag naming what reads it.")
