"""Route 53's create-time rules on records: aliases take no TTL; a routing policy needs a
set identifier (and a simple record takes none); a health check follows only an alarm on
one metric."""

from __future__ import annotations

from typing import Any

from gridops_infra.core.aws_rules import route53
from gridops_infra.policy._props import as_list, get, of_type, peek
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, stack_rule

RECORD = "aws:route53/record:Record"
HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck"
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
BASIC_STATISTICS = ("Average", "Minimum", "Maximum", "Sum", "SampleCount")
ROUTING_POLICIES = (
    "weightedRoutingPolicies",
    "failoverRoutingPolicies",
    "latencyRoutingPolicies",
    "geolocationRoutingPolicies",
    "geoproximityRoutingPolicy",
    "cidrRoutingPolicy",
    "multivalueAnswerRoutingPolicy",
)


@resource_rule(
    name="route53-alias-without-ttl",
    description="A Route 53 alias record sets no TTL.",
    severity=MANDATORY,
    remediation=route53.ALIAS_WITHOUT_TTL.fix,
    types=(RECORD,),
    aws_rule=route53.ALIAS_WITHOUT_TTL.id,
)
def alias_without_ttl(args: Any, report: ReportViolation) -> None:
    if as_list(get(args.props, "aliases")) and get(args.props, "ttl") is not None:
        report(f"alias record with ttl {get(args.props, 'ttl')!r}; an alias takes no TTL.")


def _routing_policies(props: Any) -> list[str]:
    out = []
    for key in ROUTING_POLICIES:
        value = get(props, key)
        if value is True or (value not in (None, False) and as_list(value)):
            out.append(key)
    return out


@resource_rule(
    name="route53-set-identifier-with-routing-policy",
    description="A Route 53 record has a set identifier exactly when it has a routing policy.",
    severity=MANDATORY,
    remediation=route53.SET_IDENTIFIER_WITH_ROUTING_POLICY.fix,
    types=(RECORD,),
    aws_rule=route53.SET_IDENTIFIER_WITH_ROUTING_POLICY.id,
)
def set_identifier_with_routing_policy(args: Any, report: ReportViolation) -> None:
    policies = _routing_policies(args.props)
    identifier = get(args.props, "setIdentifier")
    if policies and not identifier:
        report(f"{', '.join(policies)} without setIdentifier.")
    elif identifier and not policies:
        report(f"setIdentifier {identifier!r} on a simple record (no routing policy).")


@stack_rule(
    name="route53-health-check-alarm-single-metric",
    description="A CLOUDWATCH_METRIC health check follows a metric alarm on one "
    "standard-resolution metric with a basic statistic (not a composite, metric math or an "
    "extended statistic).",
    severity=MANDATORY,
    remediation=route53.HEALTH_CHECK_ALARM_SINGLE_METRIC.fix,
    types=(HEALTH_CHECK, METRIC_ALARM, COMPOSITE_ALARM),
    aws_rule=route53.HEALTH_CHECK_ALARM_SINGLE_METRIC.id,
)
def health_check_alarm_single_metric(args: Any, report: ReportViolation) -> None:
    """Checked against the alarms of the same stack (an alarm elsewhere is not seen)."""
    alarms = {
        peek(alarm.props, key): alarm
        for alarm in of_type(args.resources, (METRIC_ALARM, COMPOSITE_ALARM))
        for key in ("name", "alarmName")
    }
    for check in of_type(args.resources, HEALTH_CHECK):
        if get(check.props, "type") != "CLOUDWATCH_METRIC":
            continue
        name = peek(check.props, "cloudwatchAlarmName")
        alarm = alarms.get(name) if isinstance(name, str) else None
        if alarm is None:
            continue
        problem = _unfollowable(alarm)
        if problem:
            report(f"{check.name} follows alarm {name!r}, {problem}.", check.urn)


def _unfollowable(alarm: Any) -> str:
    """Why Route 53 cannot follow `alarm`, or ''."""
    if alarm.resource_type == COMPOSITE_ALARM:
        return "a composite alarm"
    props = alarm.props
    if as_list(get(props, "metricQueries")):
        return "an alarm on metric math (metric_queries)"
    if get(props, "extendedStatistic"):
        return f"an alarm on the extended statistic {get(props, 'extendedStatistic')!r}"
    statistic = get(props, "statistic")
    if statistic is not None and statistic not in BASIC_STATISTICS:
        return f"an alarm on the statistic {statistic!r}"
    return ""
