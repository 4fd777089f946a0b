"""Amazon ECS rules (core/aws_rules/ecs.py): refused in the service spec where it can see
them (nothing registered), failed by mandatory policy rules on the registered task
definition otherwise, and accepted within AWS's limits."""

from __future__ import annotations

import json
from typing import Any

import pulumi_aws as aws

from gridops_infra import FargateCluster, Network, SqsWorkerQueue, StatelessService
from gridops_infra.core.aws_rules.ecs import (
    CONTAINER_HEALTH_CHECK,
    CONTAINER_NAME,
    CONTAINERS_PER_TASK_DEFINITION,
    FARGATE_TASK_SIZE,
    TASK_DEFINITION_SIZE,
)

from .compute_helpers import assert_cites, refusal, registered_by, violations

SERVICE = "gridops:aws:StatelessService"
IMAGE = "ghcr.io/acme/api:1.4.2"


def cluster() -> FargateCluster:
    return FargateCluster("prod", {"network": Network("prod", {"az_count": 2})})


def sidecars(count: int) -> list[dict[str, Any]]:
    return [{"name": f"side{i}", "image": "ghcr.io/acme/agent:1"} for i in range(count)]


def task_definition(name: str, containers: list[dict[str, Any]], **fields: Any) -> None:
    aws.ecs.TaskDefinition(
        name,
        family=name,
        requires_compatibilities=["FARGATE"],
        network_mode="awsvpc",
        cpu=fields.pop("cpu", "256"),
        memory=fields.pop("memory", "512"),
        container_definitions=json.dumps(containers),
        **fields,
    )


def container(name: str = "app", **fields: Any) -> dict[str, Any]:
    return {"name": name, "image": IMAGE, "essential": True, **fields}


# ecs-task-definition-size


def test_a_task_definition_over_64_kib_fails_the_plan() -> None:
    def program(value_bytes: int) -> None:
        StatelessService(
            "api",
            {"platform": cluster(), "image": IMAGE, "environment": {"BIG": "x" * value_bytes}},
        )

    (found,) = violations(lambda: program(70_000), "ecs-task-definition-size")
    assert found.resource_name == "api-task-definition" and "65,536" in found.message
    assert TASK_DEFINITION_SIZE.id == "ecs-task-definition-size"
    assert violations(lambda: program(10_000), "ecs-task-definition-size") == []


# ecs-containers-per-task-definition


def test_more_than_ten_containers_are_refused_counting_the_tracing_collector() -> None:
    message, plan = refusal(
        cluster,
        lambda c: StatelessService(
            "api", {"platform": c, "image": IMAGE, "containers": sidecars(9), "tracing": True}
        ),
    )
    assert_cites(message, CONTAINERS_PER_TASK_DEFINITION, "containers has 9 sidecars")
    assert "11 containers" in message and "tracing collector" in message
    assert registered_by(plan, SERVICE) == []
    message, plan = refusal(
        cluster,
        lambda c: SqsWorkerQueue(
            "jobs", {"platform": c, "image": IMAGE, "containers": sidecars(10)}
        ),
    )
    assert_cites(message, CONTAINERS_PER_TASK_DEFINITION, "containers has 10 sidecars")
    assert registered_by(plan, "gridops:aws:SqsWorkerQueue") == []


def test_containers_per_task_definition_policy_counts_the_registered_containers() -> None:
    def program(count: int) -> None:
        task_definition("td", [container(f"c{i}") for i in range(count)])

    (found,) = violations(lambda: program(11), "ecs-containers-per-task-definition")
    assert "11 containers" in found.message
    assert violations(lambda: program(10), "ecs-containers-per-task-definition") == []


def test_nine_sidecars_without_tracing_fit() -> None:
    def program() -> None:
        StatelessService("api", {"platform": cluster(), "image": IMAGE, "containers": sidecars(9)})

    assert violations(program, "ecs-containers-per-task-definition") == []


# ecs-fargate-task-size


def test_a_cpu_memory_pair_fargate_does_not_offer_is_refused() -> None:
    message, plan = refusal(
        cluster,
        lambda c: StatelessService(
            "api", {"platform": c, "image": IMAGE, "cpu": 256, "memory": 4096}
        ),
    )
    assert_cites(message, FARGATE_TASK_SIZE, "memory=4096")
    assert registered_by(plan, SERVICE) == []


def test_fargate_task_size_policy_checks_the_registered_pair() -> None:
    (found,) = violations(
        lambda: task_definition("td", [container()], cpu="256", memory="4096"),
        "ecs-fargate-task-size",
    )
    assert "memory=4096" in found.message
    assert violations(
        lambda: task_definition("td", [container()], cpu="300"), "ecs-fargate-task-size"
    )
    assert (
        violations(
            lambda: task_definition("td", [container()], cpu="256", memory="2048"),
            "ecs-fargate-task-size",
        )
        == []
    )


# ecs-container-name


def test_container_names_outside_ecs_charset_fail() -> None:
    message, plan = refusal(
        cluster,
        lambda c: StatelessService(
            "api",
            {
                "platform": c,
                "image": IMAGE,
                "containers": [{"name": "log.router", "image": IMAGE}],
            },
        ),
    )
    assert "containers[0].name='log.router'" in message
    assert registered_by(plan, SERVICE) == []
    (found,) = violations(
        lambda: task_definition("td", [container("log.router")]), "ecs-container-name"
    )
    assert "'log.router'" in found.message and CONTAINER_NAME.id == "ecs-container-name"
    assert (
        violations(lambda: task_definition("td", [container("log_router-2")]), "ecs-container-name")
        == []
    )


# ecs-container-health-check


def test_container_health_check_timings_outside_ecs_ranges_fail() -> None:
    message, plan = refusal(
        cluster,
        lambda c: StatelessService(
            "api", {"platform": c, "image": IMAGE, "health_check_grace_period_seconds": 301}
        ),
    )
    assert_cites(message, CONTAINER_HEALTH_CHECK, "health_check_grace_period_seconds=301")
    assert registered_by(plan, SERVICE) == []

    def program(**timing: int) -> None:
        check = {"command": ["CMD", "/bin/true"], "interval": 30, "timeout": 5, "retries": 3}
        task_definition("td", [container(healthCheck={**check, **timing})])

    (found,) = violations(lambda: program(timeout=61), "ecs-container-health-check")
    assert "healthCheck.timeout=61" in found.message
    assert violations(lambda: program(retries=0, interval=4), "ecs-container-health-check")
    assert violations(lambda: program(startPeriod=300), "ecs-container-health-check") == []


def test_the_service_s_own_container_health_check_passes() -> None:
    def program() -> None:
        StatelessService(
            "api", {"platform": cluster(), "image": IMAGE, "health_check_grace_period_seconds": 300}
        )

    assert violations(program, "ecs-container-health-check") == []
