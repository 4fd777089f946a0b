"""Scaling of a queue worker on Fargate (Application Auto Scaling on the ECS service).

- Backlog per task, target tracking with a customized metric-math specification:
  `visible / tasks` (AWS/SQS ApproximateNumberOfMessagesVisible over ECS/ContainerInsights
  RunningTaskCount) held at `acceptable_latency_seconds / seconds_per_job` (worked
  example in gridops_infra.queue.scaling), between `min_workers` and `max_workers`.
- Scale from zero: target tracking has no value to track at zero tasks, so an alarm on
  messages waiting while none is in flight triggers a step policy adding one task.
- Scale-in never kills a job in progress: ECS skips tasks that hold task scale-in
  protection, which the worker sets while it processes (see SqsWorkerQueue).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.queue.scaling import (
    BACKLOG_PER_TASK_EXPRESSION,
    IN_FLIGHT,
    QUEUE_NAMESPACE,
    VISIBLE,
    WAKE_COOLDOWN_SECONDS,
    WAKE_EXPRESSION,
    WAKE_THRESHOLD,
    BacklogScaling,
)

ROLES = ("scaling_target", "scaling_policy", "alarm")
CONTAINER_INSIGHTS = "ECS/ContainerInsights"


@dataclass
class WorkerScaling:
    target: aws.appautoscaling.Target
    backlog_policy: aws.appautoscaling.Policy
    wake_policy: aws.appautoscaling.Policy
    wake_alarm: aws.cloudwatch.MetricAlarm


def _stat(query_id: str, namespace: str, name: str, dims: dict[str, Any], stat: str) -> dict:
    return {
        "id": query_id,
        "metric_stat": {
            "metric": {
                "namespace": namespace,
                "metric_name": name,
                "dimensions": [{"name": k, "value": v} for k, v in dims.items()],
            },
            "stat": stat,
        },
        "return_data": False,
    }


def backlog_metrics(
    queue_name: pulumi.Input[str], cluster_name: pulumi.Input[str], service_name: pulumi.Input[str]
) -> list[dict[str, Any]]:
    """The customized metric specification's queries: backlog per running task."""
    return [
        _stat("visible", QUEUE_NAMESPACE, VISIBLE, {"QueueName": queue_name}, "Sum"),
        _stat(
            "tasks",
            CONTAINER_INSIGHTS,
            "RunningTaskCount",
            {"ClusterName": cluster_name, "ServiceName": service_name},
            "Average",
        ),
        {
            "id": "backlog_per_task",
            "expression": BACKLOG_PER_TASK_EXPRESSION,
            "label": "messages waiting per running worker",
            "return_data": True,
        },
    ]


def _alarm_query(query_id: str, name: str, queue_name: pulumi.Input[str]) -> dict[str, Any]:
    return {
        "id": query_id,
        "return_data": False,
        "metric": {
            "namespace": QUEUE_NAMESPACE,
            "metric_name": name,
            "dimensions": {"QueueName": queue_name},
            "period": 60,
            "stat": "Maximum",
        },
    }


def autoscaling(
    owner: GridopsComponent,
    scaling: BacklogScaling,
    *,
    cluster_name: pulumi.Input[str],
    service_name: pulumi.Input[str],
    queue_name: pulumi.Input[str],
) -> WorkerScaling:
    target = owner.child(
        "scaling_target",
        aws.appautoscaling.Target,
        {
            "min_capacity": scaling.min_workers,
            "max_capacity": scaling.max_workers,
            "resource_id": pulumi.Output.concat("service/", cluster_name, "/", service_name),
            "scalable_dimension": "ecs:service:DesiredCount",
            "service_namespace": "ecs",
        },
    )
    on_target = {
        "resource_id": target.resource_id,
        "scalable_dimension": target.scalable_dimension,
        "service_namespace": target.service_namespace,
    }
    backlog = owner.child(
        "scaling_policy",
        aws.appautoscaling.Policy,
        {
            **on_target,
            "policy_type": "TargetTrackingScaling",
            "target_tracking_scaling_policy_configuration": {
                "target_value": scaling.target_backlog_per_task,
                "customized_metric_specification": {
                    "metrics": backlog_metrics(queue_name, cluster_name, service_name)
                },
                "scale_in_cooldown": scaling.scale_in_cooldown_seconds,
                "scale_out_cooldown": scaling.scale_out_cooldown_seconds,
            },
        },
        suffix="scale-on-backlog",
    )
    wake = owner.child(
        "scaling_policy",
        aws.appautoscaling.Policy,
        {
            **on_target,
            "policy_type": "StepScaling",
            "step_scaling_policy_configuration": {
                "adjustment_type": "ChangeInCapacity",
                "cooldown": WAKE_COOLDOWN_SECONDS,
                "metric_aggregation_type": "Maximum",
                "step_adjustments": [{"metric_interval_lower_bound": "0", "scaling_adjustment": 1}],
            },
        },
        suffix="wake-from-zero",
    )
    alarm = owner.child(
        "alarm",
        aws.cloudwatch.MetricAlarm,
        {
            "alarm_description": f"{owner.name}: messages wait and no worker is consuming; "
            "starts one worker (target tracking takes over from there)",
            "comparison_operator": "GreaterThanOrEqualToThreshold",
            "threshold": WAKE_THRESHOLD,
            "evaluation_periods": 1,
            "datapoints_to_alarm": 1,
            "treat_missing_data": "notBreaching",
            "metric_queries": [
                {
                    "id": "waiting_unconsumed",
                    "expression": WAKE_EXPRESSION,
                    "label": "messages waiting with none in flight",
                    "return_data": True,
                },
                _alarm_query("visible", VISIBLE, queue_name),
                _alarm_query("in_flight", IN_FLIGHT, queue_name),
            ],
            "alarm_actions": [wake.arn],
        },
        suffix="wake-from-zero-alarm",
        # It shared its name with the step policy (another type), which `nodes` could not hold.
        opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name=f"{owner.name}-wake-from-zero")]),
    )
    return WorkerScaling(target, backlog, wake, alarm)


__all__ = ["ROLES", "WorkerScaling", "autoscaling", "backlog_metrics"]
