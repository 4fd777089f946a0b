"""Backlog-per-task scaling and scale-from-zero, as math and as the Plan shows them.

Worked example (the module docstring of gridops_infra.queue.scaling): jobs take 2 s,
a message may wait 300 s, so each task may hold 300 / 2 = 150 messages; 3,000 waiting
messages need 20 tasks, 450 need 3.
"""

from __future__ import annotations

import pulumi
import pytest
from queue_programs import ALARM, POLICY, QUEUE, WORKER_IMAGE

from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.queue.scaling import WAKE_EXPRESSION, BacklogScaling
from gridops_infra.testing import preview

EXAMPLE = BacklogScaling(
    acceptable_latency_seconds=300,
    seconds_per_job=2,
    min_workers=0,
    max_workers=20,
    scale_in_cooldown_seconds=300,
    scale_out_cooldown_seconds=60,
)


def test_target_backlog_per_task_is_latency_over_seconds_per_job():
    assert EXAMPLE.target_backlog_per_task == 150.0


@pytest.mark.parametrize(
    ("visible", "tasks"),
    [(0, 0), (1, 1), (150, 1), (151, 2), (450, 3), (3000, 20), (1_000_000, 20)],
)
def test_tasks_for_a_backlog_follow_the_target_within_the_bounds(visible, tasks):
    assert EXAMPLE.tasks_for(visible) == tasks


def test_min_workers_is_a_floor():
    floor = BacklogScaling(300, 2, 2, 20, 300, 60)
    assert floor.tasks_for(0) == 2 and floor.tasks_for(450) == 3


def _program() -> None:
    cluster = FargateCluster("prod", {"network": Network("prod", {})})
    jobs = SqsWorkerQueue(
        "jobs",
        {
            "platform": cluster,
            "image": WORKER_IMAGE,
            "max_workers": 20,
            "acceptable_latency_seconds": 300,
            "seconds_per_job": 2,
        },
    )
    pulumi.export("cluster_name", cluster.cluster_name)
    pulumi.export("target", jobs.scaling.target_backlog_per_task)


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="fargate")


@pytest.fixture(scope="module")
def target(plan):
    return plan.one("aws:appautoscaling/target:Target", "jobs-scaling-target")


def test_scaling_target_spans_zero_to_max_workers(plan, target):
    service = plan.one("aws:ecs/service:Service", "jobs-worker")
    assert target.inputs["minCapacity"] == 0 and target.inputs["maxCapacity"] == 20
    cluster = plan.outputs["cluster_name"]
    assert target.inputs["resourceId"] == f"service/{cluster}/{service.outputs['name']}"
    assert target.inputs["scalableDimension"] == "ecs:service:DesiredCount"


def test_target_tracking_holds_backlog_per_task_at_the_worked_example(plan, target):
    policy = plan.one(POLICY, "jobs-scale-on-backlog")
    assert policy.inputs["policyType"] == "TargetTrackingScaling"
    assert policy.inputs["resourceId"] == target.inputs["resourceId"]
    config = policy.inputs["targetTrackingScalingPolicyConfiguration"]
    assert config["targetValue"] == 150.0 == plan.outputs["target"]
    assert config["scaleInCooldown"] == 300 and config["scaleOutCooldown"] == 60
    metrics = {m["id"]: m for m in config["customizedMetricSpecification"]["metrics"]}
    assert metrics["backlog_per_task"] == {
        "id": "backlog_per_task",
        "expression": "visible / tasks",
        "label": "messages waiting per running worker",
        "returnData": True,
    }
    visible = metrics["visible"]["metricStat"]
    assert visible["metric"]["namespace"] == "AWS/SQS"
    assert visible["metric"]["metricName"] == "ApproximateNumberOfMessagesVisible"
    queue_name = plan.one(QUEUE, "jobs-queue").outputs["name"]
    assert visible["metric"]["dimensions"] == [{"name": "QueueName", "value": queue_name}]
    tasks = metrics["tasks"]["metricStat"]
    assert tasks["metric"]["namespace"] == "ECS/ContainerInsights"
    assert tasks["metric"]["metricName"] == "RunningTaskCount"
    service = plan.one("aws:ecs/service:Service", "jobs-worker")
    assert tasks["metric"]["dimensions"] == [
        {"name": "ClusterName", "value": plan.outputs["cluster_name"]},
        {"name": "ServiceName", "value": service.outputs["name"]},
    ]
    assert metrics["visible"]["returnData"] is False and metrics["tasks"]["returnData"] is False


def test_one_waiting_message_wakes_a_worker_from_zero(plan, target):
    wake = plan.one(POLICY, "jobs-wake-from-zero")
    assert wake.inputs["policyType"] == "StepScaling"
    assert wake.inputs["resourceId"] == target.inputs["resourceId"]
    step = wake.inputs["stepScalingPolicyConfiguration"]
    assert step["adjustmentType"] == "ChangeInCapacity"
    assert step["stepAdjustments"] == [{"metricIntervalLowerBound": "0", "scalingAdjustment": 1}]
    alarm = plan.one(ALARM, "jobs-wake-from-zero-alarm")
    # Renamed so `nodes` holds both; the alias keeps the deployed alarm in place.
    assert alarm.aliases and "jobs-wake-from-zero" in str(alarm.aliases)
    assert alarm.inputs["alarmActions"] == [wake.outputs["arn"]]
    assert alarm.inputs["comparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm.inputs["threshold"] == 1 and alarm.inputs["evaluationPeriods"] == 1
    queries = {q["id"]: q for q in alarm.inputs["metricQueries"]}
    # messages waiting while none is in flight: nobody consumes, so start one worker
    assert queries["waiting_unconsumed"]["expression"] == WAKE_EXPRESSION
    assert WAKE_EXPRESSION == "IF(visible >= 1 AND FILL(in_flight, 0) == 0, visible, 0)"
    assert queries["waiting_unconsumed"]["returnData"] is True
    queue_name = plan.one(QUEUE, "jobs-queue").outputs["name"]
    assert queries["visible"]["metric"]["metricName"] == "ApproximateNumberOfMessagesVisible"
    assert queries["in_flight"]["metric"]["metricName"] == "ApproximateNumberOfMessagesNotVisible"
    for query_id in ("visible", "in_flight"):
        assert queries[query_id]["metric"]["dimensions"] == {"QueueName": queue_name}
