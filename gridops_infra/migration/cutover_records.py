"""The records, the health check and the alarm a TrafficCutover registers, built from its
frozen settings (no import of the component: `owner` is any GridopsComponent)."""

from __future__ import annotations

from typing import Any, Literal

import pulumi
import pulumi_aws as aws

from gridops_infra.cdn.domain import CLOUDFRONT_REGION, regional_provider_args
from gridops_infra.core.component import GridopsComponent
from gridops_infra.migration.cutover_settings import CutoverSettings, Rollback, Side
from gridops_infra.observability.slo import burn_rate_tiers

ALARM_MINUTES = 5
"""The page tier's short window: the error rate must stay above the fast burn this long."""


def page_tier_error_rate_percent(objective: float) -> float:
    """CloudFront's 5xxErrorRate (percent) at the SLO page tier's fast burn (14.4 x the
    error budget for a 30-day window): 1.44 for 0.999."""
    page = burn_rate_tiers(objective)[0]
    return round(page.error_ratio_threshold * 100, 6)


def rollback_alarm(owner: GridopsComponent, rollback: Rollback) -> pulumi.Output[str]:
    """The one-metric alarm Route 53 can follow, on the new side's distribution; missing
    data (no traffic) leaves the alarm INSUFFICIENT_DATA, which the health check maps to
    `rollback.insufficient_data`."""
    provider = owner.child(
        "alarm_provider",
        aws.Provider,
        regional_provider_args(CLOUDFRONT_REGION),
        suffix=f"alarm-{CLOUDFRONT_REGION}",
        tag=False,
    )
    threshold = page_tier_error_rate_percent(rollback.availability_objective)
    alarm = owner.child(
        "alarm",
        aws.cloudwatch.MetricAlarm,
        {
            "alarm_description": (
                f"New side's 5xx rate above {threshold}% for {ALARM_MINUTES} minutes (the SLO "
                f"page tier's fast burn at {rollback.availability_objective:.4g}): Route 53 "
                "sends traffic back to the old side"
            ),
            "namespace": "AWS/CloudFront",
            "metric_name": "5xxErrorRate",
            "dimensions": {"DistributionId": rollback.distribution_id, "Region": "Global"},
            "statistic": "Average",
            "period": 60,
            "evaluation_periods": ALARM_MINUTES,
            "datapoints_to_alarm": ALARM_MINUTES,
            "threshold": threshold,
            "comparison_operator": "GreaterThanThreshold",
            "treat_missing_data": "missing",
            # Read by the health check; the new stage's own SLO alarms page people.
            "tags": {"gridops:role": "route53-health-check"},
        },
        opts=pulumi.ResourceOptions(provider=provider),
    )
    return alarm.name


def health_check(
    owner: GridopsComponent, rollback: Rollback, alarm_name: pulumi.Input[str], region: str
) -> aws.route53.HealthCheck:
    return owner.child(
        "health_check",
        aws.route53.HealthCheck,
        {
            "type": "CLOUDWATCH_METRIC",
            "cloudwatch_alarm_name": alarm_name,
            "cloudwatch_alarm_region": region,
            "insufficient_data_health_status": rollback.insufficient_data,
        },
    )


def weighted_record(
    owner: GridopsComponent,
    settings: CutoverSettings,
    side: Side,
    weight: int,
    health_check_id: pulumi.Input[str] | None,
    role: Literal["old_record", "new_record"],
) -> aws.route53.Record:
    args: dict[str, Any] = {
        "zone_id": settings.zone_id,
        "name": settings.record_name,
        "type": side.record_type,
        "set_identifier": side.set_identifier,
        "weighted_routing_policies": [{"weight": weight}],
        "allow_overwrite": False,
    }
    if side.alias is not None:
        # CloudFront cannot evaluate target health (AWS refuses it); the new side's health
        # is the health check.
        dns_name, zone_id = side.alias
        args["aliases"] = [{"name": dns_name, "zone_id": zone_id, "evaluate_target_health": False}]
    else:
        args["ttl"] = settings.ttl
        args["records"] = [side.ip if side.ip is not None else side.cname]
    if health_check_id is not None:
        args["health_check_id"] = health_check_id
    # Records take no tags. Two literal roles: the transforms page reads them from here.
    if role == "old_record":
        return owner.child("old_record", aws.route53.Record, args, tag=False)
    return owner.child("new_record", aws.route53.Record, args, tag=False)


__all__ = ["health_check", "page_tier_error_rate_percent", "rollback_alarm", "weighted_record"]
