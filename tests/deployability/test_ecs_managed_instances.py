"""Amazon ECS rules a FargateCluster on Managed Instances can hit (core/aws_rules/ecs.py):
a strategy mixing Fargate Spot with Managed Instances, a task no allowed instance type holds
or of the other CPU architecture, and a capacity provider name AWS refuses. Each refused
before anything is registered, and each accepted within AWS's rules."""

from __future__ import annotations

from typing import Any

from gridops_infra import FargateCluster, Network, SqsWorkerQueue, StatelessService
from gridops_infra.core.aws_rules.ecs import (
    CAPACITY_PROVIDER_NAME,
    CAPACITY_STRATEGY_ONE_KIND,
    CONTAINER_INSTANCE_ENDPOINTS,
    MANAGED_INSTANCES_TASK_FITS,
)
from gridops_infra.testing import preview

from .compute_helpers import assert_cites, refusal, registered_by

SERVICE = "gridops:aws:StatelessService"
QUEUE = "gridops:aws:SqsWorkerQueue"
IMAGE = "ghcr.io/acme/api:1.4.2"
WORKER = "ghcr.io/acme/worker:1.4.2"
PROVIDER = "aws:ecs/capacityProvider:CapacityProvider"


def managed(**managed_instances: Any) -> FargateCluster:
    args: dict[str, Any] = {
        "network": Network("prod", {"az_count": 2}),
        "capacity": "managed-instances",
    }
    if managed_instances:
        args["managed_instances"] = managed_instances
    return FargateCluster("prod", args)  # pyright: ignore[reportArgumentType]


def service(cluster: FargateCluster, **fields: Any) -> StatelessService:
    return StatelessService("api", {"platform": cluster, "image": IMAGE, **fields})  # pyright: ignore[reportArgumentType]


# ecs-capacity-strategy-one-kind


def test_fargate_spot_beside_managed_instances_is_refused() -> None:
    message, plan = refusal(managed, lambda c: service(c, spot={"weight": 3}))
    assert_cites(message, CAPACITY_STRATEGY_ONE_KIND, "spot")
    assert "FARGATE_SPOT" in message and "capacity='managed-instances'" in message
    assert registered_by(plan, SERVICE) == []


def test_a_spot_worker_on_managed_instances_is_refused_and_the_default_is_on_demand() -> None:
    message, plan = refusal(
        managed,
        lambda c: SqsWorkerQueue(
            "jobs", {"platform": c, "image": WORKER, "max_workers": 4, "spot": True}
        ),
    )
    assert_cites(message, CAPACITY_STRATEGY_ONE_KIND, "spot")
    assert registered_by(plan, QUEUE) == []

    def accepted() -> None:
        SqsWorkerQueue("jobs", {"platform": managed(), "image": WORKER, "max_workers": 4})

    plan = preview(accepted)
    (worker,) = [r for r in plan.resources if r.name == "jobs-worker"]
    providers = [s["capacityProvider"] for s in worker.inputs["capacityProviderStrategies"]]
    assert len(providers) == 1 and providers[0].startswith("prod-managed-instances-")


# ecs-managed-instances-task-fits


def test_a_task_larger_than_every_allowed_instance_type_is_refused() -> None:
    message, plan = refusal(
        lambda: managed(instance_types=["m8g.large"]),  # 2 vCPUs, 8 GiB
        lambda c: service(c, cpu=2048, memory=8192),
    )
    assert_cites(message, MANAGED_INSTANCES_TASK_FITS, "memory")
    assert "m8g.large" in message and "8192 MiB installed" in message
    assert registered_by(plan, SERVICE) == []

    message, plan = refusal(
        lambda: managed(instance_types=["r8g.large"]),  # 2 vCPUs, 16 GiB
        lambda c: service(c, cpu=4096, memory=8192),
    )
    assert_cites(message, MANAGED_INSTANCES_TASK_FITS, "cpu")
    assert "2 vCPUs" in message
    assert registered_by(plan, SERVICE) == []


def test_a_task_of_the_other_architecture_is_refused() -> None:
    message, plan = refusal(managed, lambda c: service(c, cpu_architecture="X86_64"))
    assert_cites(message, MANAGED_INSTANCES_TASK_FITS, "cpu_architecture")
    assert "ARM64 instances" in message
    assert registered_by(plan, SERVICE) == []


def test_a_task_an_instance_type_holds_is_accepted() -> None:
    def program() -> None:
        service(managed(instance_types=["m8g.large", "m8g.xlarge"]), cpu=2048, memory=8192)

    plan = preview(program)
    (task,) = plan.of_type("aws:ecs/taskDefinition:TaskDefinition")
    assert task.inputs["requiresCompatibilities"] == ["MANAGED_INSTANCES"]
    assert task.inputs["networkMode"] == "awsvpc"


# ecs-capacity-provider-name


def test_a_cluster_name_the_capacity_provider_cannot_start_with_is_refused() -> None:
    for name in ("ecs-prod", "fargate", "AWS-main"):

        def program(name: str = name) -> None:
            FargateCluster(
                name,
                {"network": Network("prod", {"az_count": 2}), "capacity": "managed-instances"},
            )

        message, plan = refusal(lambda: None, lambda _, program=program: program())
        assert_cites(message, CAPACITY_PROVIDER_NAME, "capacity")
        assert plan.of_type("aws:ecs/cluster:Cluster") == []

    def accepted() -> None:
        FargateCluster(
            "ecs-prod", {"network": Network("prod", {"az_count": 2})}
        )  # on Fargate there is no provider to name

    assert len(preview(accepted).of_type("aws:ecs/cluster:Cluster")) == 1


# ecs-container-instance-endpoints


def test_managed_instances_without_a_route_to_ecs_are_refused() -> None:
    def cluster(nat: str) -> None:
        net = Network("prod", {"az_count": 2, "nat": nat, "vpc_endpoints": ["fargate"]})
        FargateCluster("prod", {"network": net, "capacity": "managed-instances"})

    message, plan = refusal(lambda: None, lambda _: cluster("none"))
    assert_cites(message, CONTAINER_INSTANCE_ENDPOINTS, "capacity")
    assert "nat='none'" in message
    assert plan.of_type("aws:ecs/cluster:Cluster") == []
    assert len(preview(lambda: cluster("single")).of_type(PROVIDER)) == 1
