"""The SQS side of SqsWorkerQueue: the work queue, its dead-letter queue, the redrive
policies between them, TLS-only queue policies, the queues' metrics and two alarms."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.metrics import Metric
from gridops_infra.queue.args import MAX_RETENTION_SECONDS, QueueSettings
from gridops_infra.queue.iam import tls_only_policy
from gridops_infra.queue.scaling import OLDEST_AGE, QUEUE_NAMESPACE, VISIBLE

ROLES = ("queue", "dead_letter_queue", "redrive_allow_policy", "queue_policy", "alarm")
KMS_DATA_KEY_REUSE_SECONDS = 300
DLQ_RETENTION_SECONDS = MAX_RETENTION_SECONDS
OLDEST_AGE_PERIODS = 3  # minutes in a row before the age alarm fires


@dataclass(frozen=True)
class QueueMetrics:
    """CloudWatch metrics of the work queue and its dead-letter queue."""

    queue_name: pulumi.Input[str]
    dlq_name: pulumi.Input[str]

    def age_of_oldest_message(self) -> Metric:
        return Metric(
            QUEUE_NAMESPACE,
            OLDEST_AGE,
            {"QueueName": self.queue_name},
            "Maximum",
            60,
            "Seconds",
            "oldest message age",
        )

    def visible_messages(self) -> Metric:
        return Metric(
            QUEUE_NAMESPACE,
            VISIBLE,
            {"QueueName": self.queue_name},
            "Maximum",
            60,
            "Count",
            "messages waiting",
        )

    def dlq_depth(self) -> Metric:
        return Metric(
            QUEUE_NAMESPACE,
            VISIBLE,
            {"QueueName": self.dlq_name},
            "Maximum",
            60,
            "Count",
            "dead-lettered messages",
        )


@dataclass
class Queues:
    queue: aws.sqs.Queue
    dlq: aws.sqs.Queue
    metrics: QueueMetrics


def _common(s: QueueSettings) -> dict[str, Any]:
    args: dict[str, Any] = {
        "visibility_timeout_seconds": s.visibility_timeout_seconds,
        "receive_wait_time_seconds": s.receive_wait_time_seconds,
    }
    if s.kms_key_arn:
        args["kms_master_key_id"] = s.kms_key_arn
        args["kms_data_key_reuse_period_seconds"] = KMS_DATA_KEY_REUSE_SECONDS
    else:
        args["sqs_managed_sse_enabled"] = True
    if s.fifo:
        args["fifo_queue"] = True
        args["content_based_deduplication"] = s.content_based_deduplication
        if s.high_throughput:
            args["deduplication_scope"] = "messageGroup"
            args["fifo_throughput_limit"] = "perMessageGroupId"
    return args


def build_queues(owner: GridopsComponent, s: QueueSettings) -> Queues:
    """The dead-letter queue (14 days' retention, same encryption and type), the work
    queue redriving to it after `max_receive_count` receives, a redrive allow policy on
    the DLQ admitting this queue alone, and a TLS-only policy on both."""
    dlq_args = {**_common(s), "message_retention_seconds": DLQ_RETENTION_SECONDS}
    if s.dlq_name:
        dlq_args["name"] = s.dlq_name
    dlq = owner.child("dead_letter_queue", aws.sqs.Queue, dlq_args, suffix="dlq")
    queue_args = {
        **_common(s),
        "message_retention_seconds": s.message_retention_seconds,
        "delay_seconds": s.delay_seconds,
        "redrive_policy": dlq.arn.apply(
            lambda arn: json.dumps(
                {"deadLetterTargetArn": arn, "maxReceiveCount": s.max_receive_count},
                sort_keys=True,
            )
        ),
    }
    if s.queue_name:
        queue_args["name"] = s.queue_name
    queue = owner.child("queue", aws.sqs.Queue, queue_args)
    owner.child(
        "redrive_allow_policy",
        aws.sqs.RedriveAllowPolicy,
        {
            "queue_url": dlq.url,
            "redrive_allow_policy": queue.arn.apply(
                lambda arn: json.dumps(
                    {"redrivePermission": "byQueue", "sourceQueueArns": [arn]}, sort_keys=True
                )
            ),
        },
        suffix="dlq-redrive-allow",
    )
    for target, suffix in ((queue, "queue-policy"), (dlq, "dlq-policy")):
        owner.child(
            "queue_policy",
            aws.sqs.QueuePolicy,
            {"queue_url": target.url, "policy": tls_only_policy(target.arn)},
            suffix=suffix,
        )
    return Queues(queue, dlq, QueueMetrics(queue.name, dlq.name))


def queue_alarms(
    owner: GridopsComponent,
    s: QueueSettings,
    metrics: QueueMetrics,
    platform_topic_arn: pulumi.Input[str] | None = None,
) -> list[aws.cloudwatch.MetricAlarm]:
    """A message reached the dead-letter queue; the oldest message has waited longer
    than `acceptable_latency_seconds` for three minutes in a row. Both notify
    `alarm_actions`, or else the platform's alarm topic."""
    actions: list[pulumi.Input[str]] = list(s.alarm_actions)
    if not actions and platform_topic_arn is not None:
        actions = [platform_topic_arn]
    dlq = owner.child(
        "alarm",
        aws.cloudwatch.MetricAlarm,
        {
            **metrics.dlq_depth().alarm_args(),
            "alarm_description": f"{owner.name}: messages in the dead-letter queue (jobs that "
            f"failed {s.max_receive_count} times)",
            "comparison_operator": "GreaterThanOrEqualToThreshold",
            "threshold": 1,
            "evaluation_periods": 1,
            "datapoints_to_alarm": 1,
            "treat_missing_data": "notBreaching",
            "alarm_actions": actions,
            "ok_actions": actions,
        },
        suffix="dlq-not-empty",
    )
    latency = s.scaling.acceptable_latency_seconds
    age = owner.child(
        "alarm",
        aws.cloudwatch.MetricAlarm,
        {
            **metrics.age_of_oldest_message().alarm_args(),
            "alarm_description": f"{owner.name}: a message has waited more than {latency} s "
            "(the acceptable latency) for a worker",
            "comparison_operator": "GreaterThanThreshold",
            "threshold": latency,
            "evaluation_periods": OLDEST_AGE_PERIODS,
            "datapoints_to_alarm": OLDEST_AGE_PERIODS,
            "treat_missing_data": "notBreaching",
            "alarm_actions": actions,
            "ok_actions": actions,
        },
        suffix="oldest-message-age",
    )
    return [dlq, age]


def dlq_growth_alarm(owner: GridopsComponent, metrics: QueueMetrics) -> aws.cloudwatch.MetricAlarm:
    """The dead-letter queue grew in the last minute (metric math `DIFF` of its visible
    messages > 0): the signal a worker deployment uses to roll back, since a bad worker
    image sends jobs there. Unlike `dlq-not-empty` it returns to OK once nothing more
    arrives, so old failures waiting in the DLQ do not block every later deployment. It
    notifies nobody (the dlq-not-empty alarm does)."""
    depth = metrics.dlq_depth()
    name = f"{pulumi.get_project()}-{pulumi.get_stack()}-{owner.name}-dlq-growing"
    return owner.child(
        "alarm",
        aws.cloudwatch.MetricAlarm,
        {
            "name": name,
            "alarm_description": f"{owner.name}: jobs reached the dead-letter queue in the "
            "last minute (rolls back a worker deployment in progress)",
            "comparison_operator": "GreaterThanThreshold",
            "threshold": 0,
            "evaluation_periods": 1,
            "datapoints_to_alarm": 1,
            "treat_missing_data": "notBreaching",
            # No actions: it is an input of the ECS deployment rollback.
            "tags": {"gridops:role": "deployment-rollback"},
            "metric_queries": [
                {
                    "id": "depth",
                    "metric": {
                        "namespace": depth.namespace,
                        "metric_name": depth.name,
                        "dimensions": dict(depth.dimensions),
                        "period": depth.period_seconds,
                        "stat": depth.statistic,
                    },
                    "return_data": False,
                },
                {
                    "id": "growth",
                    "expression": "DIFF(depth)",
                    "label": "messages added to the dead-letter queue",
                    "return_data": True,
                },
            ],
        },
        suffix="dlq-growing",
    )


__all__ = [
    "ROLES",
    "QueueMetrics",
    "Queues",
    "build_queues",
    "dlq_growth_alarm",
    "queue_alarms",
]
