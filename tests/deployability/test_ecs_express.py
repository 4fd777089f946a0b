"""Amazon ECS Express Mode rules (core/aws_rules/ecs_express.py): a StatelessService on
an ExpressCluster refuses what CreateExpressGatewayService would, registering nothing of
itself, and accepts what is within it."""

from __future__ import annotations

from typing import Any

import pytest

from gridops_infra import ExpressCluster, Network, StatelessService
from gridops_infra.core.aws_rules.ecs_express import (
    EXPRESS_ONE_SCALING_METRIC,
    EXPRESS_PRIMARY_CONTAINER,
    EXPRESS_TASK_SIZE,
)
from gridops_infra.core.aws_rules.elb import ALB_TWO_AZS
from gridops_infra.testing import preview

from .compute_helpers import assert_cites, refusal, registered_by

SERVICE = "gridops:aws:StatelessService"
EXPRESS = "aws:ecs/expressGatewayService:ExpressGatewayService"
IMAGE = "ghcr.io/acme/api:1.4.2"


def cluster() -> ExpressCluster:
    return ExpressCluster("prod", {"network": Network("prod", {"az_count": 2})})


def service_on_express(**fields: Any) -> tuple[str, Any]:
    return refusal(
        cluster, lambda c: StatelessService("api", {"platform": c, "image": IMAGE, **fields})
    )


def accepted(**fields: Any) -> dict[str, Any]:
    def program() -> None:
        StatelessService("api", {"platform": cluster(), "image": IMAGE, **fields})

    (service,) = preview(program).of_type(EXPRESS)
    return service.inputs


# ecs-express-task-size


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"cpu": 8192, "memory": 16384}, "cpu"), ({"cpu": 4096, "memory": 16384}, "memory")],
)
def test_a_task_larger_than_express_offers_is_refused(fields: dict, field: str) -> None:
    message, plan = service_on_express(**fields)
    assert_cites(message, EXPRESS_TASK_SIZE, field)
    assert "ExpressCluster" in message
    assert registered_by(plan, SERVICE) == []


def test_the_largest_express_task_is_accepted() -> None:
    inputs = accepted(cpu=4096, memory=8192)
    assert (inputs["cpu"], inputs["memory"]) == ("4096", "8192")


# ecs-express-one-scaling-metric


@pytest.mark.parametrize("field", ["memory_target_percent", "requests_per_target"])
def test_a_second_scaling_metric_is_refused(field: str) -> None:
    message, plan = service_on_express(**{field: 70})
    assert_cites(message, EXPRESS_ONE_SCALING_METRIC, field)
    assert "cpu_target_percent" in message
    assert registered_by(plan, SERVICE) == []


@pytest.mark.parametrize(
    ("fields", "metric", "target"),
    [
        ({}, "AVERAGE_CPU", 60),
        ({"cpu_target_percent": 0, "memory_target_percent": 70}, "AVERAGE_MEMORY", 70),
        ({"cpu_target_percent": 0, "requests_per_target": 500}, "REQUEST_COUNT_PER_TARGET", 500),
    ],
)
def test_one_scaling_metric_is_the_express_scaling_target(
    fields: dict, metric: str, target: int
) -> None:
    (scaling,) = accepted(**fields)["scalingTargets"]
    assert scaling["autoScalingMetric"] == metric
    assert scaling["autoScalingTargetValue"] == target


# ecs-express-primary-container


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("containers", [{"name": "proxy", "image": "ghcr.io/acme/proxy:1.0"}]),
        ("container_health_check_command", ["CMD", "/app/healthcheck"]),
        ("user", "10001:10001"),
        ("writable_paths", ["/var/cache/app"]),
        ("tracing", True),
        ("read_only_root_filesystem", True),
    ],
)
def test_what_the_primary_container_cannot_carry_is_refused(field: str, value: Any) -> None:
    message, plan = service_on_express(**{field: value})
    assert_cites(message, EXPRESS_PRIMARY_CONTAINER, field)
    assert "FargateCluster" in message
    assert registered_by(plan, SERVICE) == []


def test_the_primary_container_carries_command_environment_and_pull_credentials() -> None:
    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-AbCdEf"
    container = accepted(
        command=["serve"],
        environment={"LOG_LEVEL": "debug"},
        image_pull_secret_arn=secret,
        read_only_root_filesystem=False,
    )["primaryContainer"]
    assert container["commands"] == ["serve"]
    assert {"name": "LOG_LEVEL", "value": "debug"} in container["environments"]
    assert container["repositoryCredentials"] == {"credentialsParameter": secret}


# elb-alb-two-azs (the load balancer ECS creates for the cluster's services)


def test_an_express_cluster_in_one_zone_is_refused() -> None:
    message, plan = refusal(
        lambda: Network("one", {"az_count": 1}),
        lambda net: ExpressCluster("prod", {"network": net}),
    )
    assert_cites(message, ALB_TWO_AZS, "network")
    assert registered_by(plan, "gridops:aws:ExpressCluster") == []
