"""Autoscaling of a Fargate service: target tracking on CPU, memory and ALB requests
per task, cooldowns, bounds, and scheduled changes of the bounds.

The ECS service's `desiredCount` is ignored by Pulumi after creation, so the
autoscaler owns the task count and deploys never reset it.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.service.spec.settings import ServiceSpec

ROLES = ("scaling_target", "scaling_policy", "scheduled_scaling")


def autoscaling(
    owner: GridopsComponent,
    spec: ServiceSpec,
    *,
    cluster_name: pulumi.Input[str],
    service_name: pulumi.Input[str],
    request_label: pulumi.Input[str],
) -> aws.appautoscaling.Target:
    """`request_label` is `<alb arn suffix>/<target group arn suffix>`."""
    target = owner.child(
        "scaling_target",
        aws.appautoscaling.Target,
        {
            "min_capacity": spec.min_count,
            "max_capacity": spec.max_count,
            "resource_id": pulumi.Output.concat("service/", cluster_name, "/", service_name),
            "scalable_dimension": "ecs:service:DesiredCount",
            "service_namespace": "ecs",
        },
    )
    trackers = [
        ("cpu", spec.cpu_target_percent, "ECSServiceAverageCPUUtilization", None),
        ("memory", spec.memory_target_percent, "ECSServiceAverageMemoryUtilization", None),
        ("requests", spec.requests_per_target, "ALBRequestCountPerTarget", request_label),
    ]
    for suffix, value, metric_type, label in trackers:
        if not value:
            continue
        predefined: dict[str, pulumi.Input[str]] = {"predefined_metric_type": metric_type}
        if label is not None:
            predefined["resource_label"] = label
        owner.child(
            "scaling_policy",
            aws.appautoscaling.Policy,
            {
                "policy_type": "TargetTrackingScaling",
                "resource_id": target.resource_id,
                "scalable_dimension": target.scalable_dimension,
                "service_namespace": target.service_namespace,
                "target_tracking_scaling_policy_configuration": {
                    "target_value": float(value),
                    "predefined_metric_specification": predefined,
                    "scale_in_cooldown": spec.scale_in_cooldown_seconds,
                    "scale_out_cooldown": spec.scale_out_cooldown_seconds,
                },
            },
            suffix=f"scale-on-{suffix}",
        )
    for i, item in enumerate(spec.scheduled_scaling):
        owner.child(
            "scheduled_scaling",
            aws.appautoscaling.ScheduledAction,
            {
                "name": f"{spec.name}-schedule-{i}",
                "resource_id": target.resource_id,
                "scalable_dimension": target.scalable_dimension,
                "service_namespace": target.service_namespace,
                "schedule": item.schedule,
                "timezone": item.timezone,
                "scalable_target_action": {
                    "min_capacity": item.min_count,
                    "max_capacity": item.max_count,
                },
            },
            suffix=f"schedule-{i}",
        )
    return target


__all__ = ["ROLES", "autoscaling"]
