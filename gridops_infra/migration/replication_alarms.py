"""PostgresReplication's alarms: change-data-capture latency on either side above the
threshold, and the replication failing (EventBridge), both to the alarm topic."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.metrics import Metric

DMS_NAMESPACE = "AWS/DMS"
SERVERLESS_DIMENSION = "ReplicationConfigIdentifier"
# AWS's DMS Serverless pages name the latency metrics but none we found names the
# dimension they are published under; the config's resource identifier equals its
# identifier, so the value is right either way. Check the name in the console's metric
# list after the first deploy (the failure rule below does not depend on it).
LAG_MINUTES = 5
FAILED_EVENT = "REPLICATION_FAILED"


def latency_metric(identifier: str, side: str) -> Metric:
    """`CDCLatencySource` (the source's commit to DMS reading it) or `CDCLatencyTarget` (to
    the target's commit), in seconds."""
    return Metric(
        namespace=DMS_NAMESPACE,
        name=f"CDCLatency{side.capitalize()}",
        dimensions={SERVERLESS_DIMENSION: identifier},
        statistic="Maximum",
        period_seconds=60,
        unit="Seconds",
        label=f"CDC latency ({side})",
    )


def lag_alarms(
    owner: GridopsComponent, identifier: str, threshold_seconds: int, topic: pulumi.Input[str]
) -> dict[str, aws.cloudwatch.MetricAlarm]:
    alarms = {}
    for side in ("source", "target"):
        metric = latency_metric(identifier, side)
        alarms[f"lag-{side}"] = owner.child(
            "alarm",
            aws.cloudwatch.MetricAlarm,
            {
                **metric.alarm_args(),
                "alarm_description": (
                    f"{owner.name}: DMS change-data-capture latency ({side}) above "
                    f"{threshold_seconds} s for {LAG_MINUTES} minutes: the new database falls "
                    "behind the single server; do not cut over until it is back under"
                ),
                "evaluation_periods": LAG_MINUTES,
                "threshold": threshold_seconds,
                "comparison_operator": "GreaterThanThreshold",
                # DMS reports latency only while CDC runs (not during the full load).
                "treat_missing_data": "notBreaching",
                "alarm_actions": [topic],
                "ok_actions": [topic],
            },
            suffix=f"alarm-lag-{side}",
        )
    return alarms


def failure_event_pattern(config_arn: str) -> str:
    return json.dumps(
        {
            "source": ["aws.dms"],
            "detail-type": ["DMS Replication State Change"],
            "resources": [config_arn],
            "detail": {"eventType": [FAILED_EVENT]},
        },
        sort_keys=True,
    )


def failure_rule(
    owner: GridopsComponent, config_arn: pulumi.Output[str], topic: pulumi.Input[str]
) -> aws.cloudwatch.EventRule:
    """The replication's own failure event, straight to the topic."""
    rule = owner.child(
        "failure_rule",
        aws.cloudwatch.EventRule,
        {
            "description": f"{owner.name}: the DMS replication failed",
            "event_pattern": config_arn.apply(failure_event_pattern),
        },
        suffix="failed",
    )
    target: dict[str, Any] = {"rule": rule.name, "arn": topic}
    owner.child(
        "failure_target", aws.cloudwatch.EventTarget, target, suffix="failed-alert", tag=False
    )
    return rule


__all__ = ["DMS_NAMESPACE", "failure_event_pattern", "failure_rule", "lag_alarms", "latency_metric"]
