"""Amazon ECS Express Mode: the rules AWS enforces when it creates an Express service
(`CreateExpressGatewayService`)."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Amazon ECS Express Mode"

EXPRESS_MAX_CPU = 4096
EXPRESS_MAX_MEMORY = 8192
EXPRESS_SCALING_METRICS = ("AVERAGE_CPU", "AVERAGE_MEMORY", "REQUEST_COUNT_PER_TARGET")

EXPRESS_TASK_SIZE = aws_rule(
    id="ecs-express-task-size",
    service=SERVICE,
    rule="An Express service's task has at most 4096 cpu units (4 vCPU) and 8192 MiB of "
    "memory, in the Fargate pairs below that.",
    source="https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateExpressGatewayService.html",
    fix="Give the service cpu <= 4096 and memory <= 8192, or run it on a FargateCluster, "
    "which offers every Fargate size.",
)

EXPRESS_ONE_SCALING_METRIC = aws_rule(
    id="ecs-express-one-scaling-metric",
    service=SERVICE,
    rule="An Express service scales on one target-tracking metric: AVERAGE_CPU, "
    "AVERAGE_MEMORY or REQUEST_COUNT_PER_TARGET, with one target value.",
    source="https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ExpressGatewayScalingTarget.html",
    fix="Set one of cpu_target_percent, memory_target_percent (with cpu_target_percent=0) or "
    "requests_per_target (with cpu_target_percent=0), or run the service on a FargateCluster, "
    "which tracks several.",
)

EXPRESS_PRIMARY_CONTAINER = aws_rule(
    id="ecs-express-primary-container",
    service=SERVICE,
    rule="An Express service runs one primary container, configured by its image, port, "
    "command, environment, secrets, log configuration and repository credentials only.",
    source="https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateExpressGatewayService.html",
    fix="Leave out what the primary container cannot carry (sidecars, a container health "
    "check, a user, a read-only root filesystem), or run the service on a FargateCluster.",
)
