"""Application Auto Scaling rules (core/aws_rules/application_autoscaling.py): refused in the
components (nothing registered) and failed by mandatory policy rules on the Plan's scalable
targets and scheduled actions; accepted within AWS's limits."""

from __future__ import annotations

from typing import Any

import pulumi_aws as aws

from gridops_infra import FargateCluster, Network, SqsWorkerQueue, StatelessService
from gridops_infra.core.aws_rules.application_autoscaling import (
    MIN_NOT_ABOVE_MAX,
    SCHEDULE_EXPRESSION,
)

from .compute_helpers import assert_cites, refusal, registered_by, violations

IMAGE = "ghcr.io/acme/api:1.4.2"
RESOURCE_ID = "service/prod/api"


def cluster() -> FargateCluster:
    return FargateCluster("prod", {"network": Network("prod", {"az_count": 2})})


def service_refusal(**args: Any) -> str:
    message, plan = refusal(
        cluster, lambda c: StatelessService("api", {"platform": c, "image": IMAGE, **args})
    )
    assert registered_by(plan, "gridops:aws:StatelessService") == []
    return message


def scheduled(**fields: Any) -> dict[str, Any]:
    return {
        "scheduled_scaling": [{"schedule": "rate(1 day)", "min_count": 1, "max_count": 4, **fields}]
    }


# application-autoscaling-min-not-above-max


def test_a_minimum_above_the_maximum_is_refused() -> None:
    message = service_refusal(min_count=5, max_count=3)
    assert_cites(message, MIN_NOT_ABOVE_MAX, "min_count=5")
    message = service_refusal(**scheduled(min_count=6, max_count=4))
    assert_cites(message, MIN_NOT_ABOVE_MAX, "scheduled_scaling[0].min_count=6")
    message, plan = refusal(
        cluster,
        lambda c: SqsWorkerQueue(
            "jobs", {"platform": c, "image": IMAGE, "min_workers": 4, "max_workers": 2}
        ),
    )
    assert_cites(message, MIN_NOT_ABOVE_MAX, "min_workers=4")
    assert registered_by(plan, "gridops:aws:SqsWorkerQueue") == []


def target_program(lo: int, hi: int) -> None:
    target = aws.appautoscaling.Target(
        "target",
        service_namespace="ecs",
        scalable_dimension="ecs:service:DesiredCount",
        resource_id=RESOURCE_ID,
        min_capacity=lo,
        max_capacity=hi,
    )
    aws.appautoscaling.ScheduledAction(
        "night",
        service_namespace="ecs",
        scalable_dimension="ecs:service:DesiredCount",
        resource_id=target.resource_id,
        schedule="cron(0 22 * * ? *)",
        scalable_target_action={"min_capacity": hi, "max_capacity": lo},
    )


def test_min_not_above_max_policy_checks_targets_and_scheduled_actions() -> None:
    found = violations(lambda: target_program(5, 3), "appautoscaling-min-not-above-max")
    assert {v.resource_name for v in found} == {"target"}
    found = violations(lambda: target_program(3, 5), "appautoscaling-min-not-above-max")
    assert {v.resource_name for v in found} == {"night"}
    assert violations(lambda: target_program(4, 4), "appautoscaling-min-not-above-max") == []


def test_the_service_scaling_passes() -> None:
    def program() -> None:
        StatelessService("api", {"platform": cluster(), "image": IMAGE, **scheduled()})

    assert violations(program, "appautoscaling-min-not-above-max") == []
    assert violations(program, "appautoscaling-schedule-expression") == []


# application-autoscaling-schedule-expression


def test_a_schedule_in_no_form_aws_knows_is_refused() -> None:
    message = service_refusal(**scheduled(schedule="cron(0 8 * * *)"))
    assert_cites(message, SCHEDULE_EXPRESSION, "scheduled_scaling[0].schedule='cron(0 8 * * *)'")

    def program(schedule: str) -> None:
        aws.appautoscaling.ScheduledAction(
            "morning",
            service_namespace="ecs",
            scalable_dimension="ecs:service:DesiredCount",
            resource_id=RESOURCE_ID,
            schedule=schedule,
            scalable_target_action={"min_capacity": 2, "max_capacity": 4},
        )

    for bad in ("every day at 8", "cron(0 8 * * *)", "rate(2 weeks)"):
        assert violations(lambda bad=bad: program(bad), "appautoscaling-schedule-expression")
    for good in ("cron(0 8 ? * MON-FRI *)", "rate(5 minutes)", "at(2030-01-05T08:00:00)"):
        assert (
            violations(lambda good=good: program(good), "appautoscaling-schedule-expression") == []
        )
