"""Amazon ECS: the rules AWS enforces when it registers a task definition."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Amazon ECS"

# Fargate task sizes: CPU units (1024 = 1 vCPU) -> the memory MiB Fargate pairs with it.
FARGATE_TASK_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}
MAX_TASK_DEFINITION_BYTES = 64 * 1024
MAX_CONTAINERS_PER_TASK_DEFINITION = 10

TASK_DEFINITION_SIZE = aws_rule(
    id="ecs-task-definition-size",
    service=SERVICE,
    rule="A task definition is at most 64 KiB (the quota 'Task definition size', not adjustable).",
    source="https://docs.aws.amazon.com/general/latest/gr/ecs-service.html",
    fix="Move large values out of the task definition: long environment values into SSM or "
    "Secrets Manager (`secrets`), fewer sidecars, shorter commands.",
)

CONTAINERS_PER_TASK_DEFINITION = aws_rule(
    id="ecs-containers-per-task-definition",
    service=SERVICE,
    rule="A task definition has at most 10 containers (the quota 'Containers per task "
    "definition', not adjustable).",
    source="https://docs.aws.amazon.com/general/latest/gr/ecs-service.html",
    fix="Give a service at most 9 sidecar containers (8 with tracing, whose collector is one "
    "more), or move some into a service of their own.",
)

FARGATE_TASK_SIZE = aws_rule(
    id="ecs-fargate-task-size",
    service=SERVICE,
    rule="A Fargate task's cpu is 256, 512, 1024, 2048, 4096, 8192 or 16384 units, and its "
    "memory one of the values Fargate pairs with that cpu.",
    source="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html",
    fix="Pick a cpu/memory pair from the table (e.g. cpu=512 with memory 1024-4096 in 1024 steps).",
)

CONTAINER_NAME = aws_rule(
    id="ecs-container-name",
    service=SERVICE,
    rule="A container name has up to 255 letters, digits, underscores and hyphens.",
    source="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_name",
    fix="Name containers with letters, digits and hyphens only (gridops also keeps them DNS "
    "labels so the same spec runs on EKS).",
)

CONTAINER_HEALTH_CHECK = aws_rule(
    id="ecs-container-health-check",
    service=SERVICE,
    rule="A container health check's interval is 5-300 seconds, its timeout 2-60 seconds, its "
    "retries 1-10 and its start period 0-300 seconds.",
    source="https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html",
    fix="Keep health_check_grace_period_seconds (the container's start period) within 0-300, "
    "and a transformed healthCheck within these ranges.",
)

CAPACITY_STRATEGY_ONE_KIND = aws_rule(
    id="ecs-capacity-strategy-one-kind",
    service=SERVICE,
    rule="A cluster may hold Fargate, Auto Scaling group and Managed Instances capacity "
    "providers side by side, but one capacity provider strategy names providers of one kind "
    "only: FARGATE and FARGATE_SPOT, or Auto Scaling group providers, or Managed Instances "
    "providers.",
    source="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-capacity-providers.html",
    fix="On a FargateCluster with capacity='managed-instances' leave `spot` off (tasks run on "
    "the cluster's Managed Instances provider); for Fargate Spot use a cluster with "
    "capacity='fargate'.",
)

MANAGED_INSTANCES_TASK_FITS = aws_rule(
    id="ecs-managed-instances-task-fits",
    service=SERVICE,
    rule="On Amazon ECS Managed Instances a task is placed only on an instance its capacity "
    "provider may launch that has the task's CPU architecture and more CPU and memory than "
    "the task reserves (an instance registers less memory than it has installed); a task "
    "no allowed instance type can hold is never placed and its service never becomes "
    "stable.",
    source="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html",
    fix="Give the FargateCluster's managed_instances.instance_types a type larger than the "
    "task (and of the task's cpu_architecture), or make the task's cpu/memory smaller.",
)

CAPACITY_PROVIDER_NAME = aws_rule(
    id="ecs-capacity-provider-name",
    service=SERVICE,
    rule="A capacity provider's name has up to 255 letters, digits, underscores and hyphens "
    "and does not start with 'aws', 'ecs' or 'fargate'.",
    source="https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html",
    fix="Give a FargateCluster with capacity='managed-instances' a name that starts otherwise "
    "(e.g. 'prod'): its capacity provider is named after it.",
)

CONTAINER_INSTANCE_ENDPOINTS = aws_rule(
    id="ecs-container-instance-endpoints",
    service=SERVICE,
    rule="An ECS container instance (the ECS agent on EC2, Managed Instances included) in "
    "subnets without an internet route reaches Amazon ECS only through the Region's ecs-agent, "
    "ecs-telemetry and ecs interface VPC endpoints, all three.",
    source="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html",
    fix="Give the Network a NAT (nat='single' or 'per-az') for a FargateCluster with "
    "capacity='managed-instances', or keep capacity='fargate', whose tasks need no agent "
    "endpoints.",
)
