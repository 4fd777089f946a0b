"""Pulumi programs the benchmarks preview.

- `services_on_one_cluster(n)`: one Network and FargateCluster, n StatelessServices, each
  linked to its own SqsWorkerQueue (the scaling benchmark).
- `component_services(n)` / `raw_services(n)`: Fargate services with their ALB rules,
  autoscaling, deployment alarms, roles and logs, built by `StatelessService` and by hand
  with raw pulumi_aws calls, on the same cluster. `cluster_only` is that shared base, so the
  services' own share of a preview can be told apart; `raw_services(n, in_a_component=True)`
  parents the raw resources to a bare ComponentResource (what Pulumi's resource tree costs
  by itself). All register the same resource types and counts (`benchmarks/test_overhead.py`
  compares the Plans' `counts_by_type`, and in fact their names, inputs and dependencies).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra import FargateCluster, Network, StatelessService
from gridops_infra.queue import SqsWorkerQueue

Program = Callable[[], None]

API_IMAGE = "ghcr.io/acme/api:1.4.2"
WORKER_IMAGE = "ghcr.io/acme/worker:1.4.2"
PORT = 8080


def cluster() -> FargateCluster:
    """The DESIGN's network (3 AZs, a NAT gateway per AZ) and a Fargate cluster."""
    net = Network("bench", {"az_count": 3, "nat": "per-az"})
    return FargateCluster("bench", {"network": net})


def cluster_only() -> None:
    cluster()


def services_on_one_cluster(count: int, *, queues: bool = True) -> Program:
    """`count` services on one cluster, each on its own path and, with `queues`, linked to
    its own worker queue (the queue's workers run on the same cluster)."""

    def program() -> None:
        platform = cluster()
        for i in range(count):
            links: list[Any] = []
            if queues:
                links.append(
                    SqsWorkerQueue(
                        f"jobs{i}",
                        {"platform": platform, "image": WORKER_IMAGE, "max_workers": 20},
                    )
                )
            StatelessService(
                f"api{i}",
                {
                    "platform": platform,
                    "image": API_IMAGE,
                    "port": PORT,
                    "health_check_path": "/healthz",
                    "path_patterns": [f"/api{i}/*"],
                    "links": links,
                },
            )

    return program


def _route(i: int) -> tuple[str, str, int]:
    """Service i's name, path pattern and listener rule priority."""
    return f"api{i}", f"/api{i}/*", 100 + 10 * i


def component_services(count: int) -> Program:
    """`count` StatelessServices on one cluster, each with its ALB rule, autoscaling,
    deployment alarms, roles and logs."""

    def program() -> None:
        platform = cluster()
        for i in range(count):
            name, path, priority = _route(i)
            StatelessService(
                name,
                {
                    "platform": platform,
                    "image": API_IMAGE,
                    "port": PORT,
                    "health_check_path": "/healthz",
                    "path_patterns": [path],
                    "priority": priority,
                },
            )

    return program


def raw_services(count: int, *, in_a_component: bool = False) -> Program:
    """What `component_services(count)` registers for its services, written as a Pulumi user
    would without gridops: the same resources, inputs and dependencies. `in_a_component`
    parents each service's resources to a bare ComponentResource: what Pulumi's resource
    tree costs by itself, whoever builds it."""

    def program() -> None:
        platform = cluster()
        for i in range(count):
            name, path, priority = _route(i)
            owner = None
            if in_a_component:
                owner = pulumi.ComponentResource("benchmark:raw:Service", name)
            _raw_service(platform, owner, name, path, priority)
            if owner is not None:
                owner.register_outputs({})

    return program


def _raw_service(
    platform: FargateCluster, parent: pulumi.Resource | None, name: str, path: str, priority: int
) -> None:
    opts = pulumi.ResourceOptions(parent=parent)
    net = platform.network
    stack = f"{pulumi.get_project()}-{pulumi.get_stack()}"
    tags = {"gridops:component": "StatelessService", "gridops:stage": pulumi.get_stack()}
    account = aws.get_caller_identity().account_id
    region = aws.get_region().region

    logs = aws.cloudwatch.LogGroup(
        f"{name}-logs", name=f"/gridops/{stack}/{name}", retention_in_days=30, tags=tags, opts=opts
    )
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": "sts:AssumeRole",
                    "Effect": "Allow",
                    "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                    "Condition": {
                        "ArnLike": {"aws:SourceArn": f"arn:aws:ecs:{region}:{account}:*"},
                        "StringEquals": {"aws:SourceAccount": account},
                    },
                }
            ],
        },
        sort_keys=True,
    )
    execution_role = aws.iam.Role(
        f"{name}-execution-role",
        description=f"ECS agent for {name}: pull image, write logs, read its secrets",
        assume_role_policy=trust,
        tags=tags,
        opts=opts,
    )
    task_role = aws.iam.Role(
        f"{name}-task-role",
        description=f"The {name} app itself: only what its links grant",
        assume_role_policy=trust,
        tags=tags,
        opts=opts,
    )
    execution_policy = aws.iam.RolePolicy(
        f"{name}-execution-policy",
        role=execution_role.id,
        policy=logs.arn.apply(
            lambda arn: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "WriteServiceLogs",
                            "Effect": "Allow",
                            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                            "Resource": [f"{arn}:log-stream:*"],
                        }
                    ],
                },
                sort_keys=True,
            )
        ),
        opts=opts,
    )
    security_group = aws.ec2.SecurityGroup(
        f"{name}-sg",
        vpc_id=net.vpc_id,
        description=f"Tasks of {name}: only the ALB may connect, on {PORT}",
        tags={**tags, "Name": f"{name}-tasks"},
        opts=opts,
    )
    aws.vpc.SecurityGroupIngressRule(
        f"{name}-in-from-alb",
        security_group_id=security_group.id,
        referenced_security_group_id=platform.alb_security_group_id,
        ip_protocol="tcp",
        from_port=PORT,
        to_port=PORT,
        description="from the cluster's ALB only",
        tags=tags,
        opts=opts,
    )
    aws.vpc.SecurityGroupEgressRule(
        f"{name}-alb-out",
        security_group_id=platform.alb_security_group_id,
        referenced_security_group_id=security_group.id,
        ip_protocol="tcp",
        from_port=PORT,
        to_port=PORT,
        description=f"ALB to {name} tasks and their health checks",
        tags=tags,
        opts=opts,
    )
    aws.vpc.SecurityGroupEgressRule(
        f"{name}-out-vpc",
        security_group_id=security_group.id,
        cidr_ipv4=net.cidr_block,
        ip_protocol="-1",
        description="inside the VPC: linked resources, DNS, endpoints",
        tags=tags,
        opts=opts,
    )
    aws.vpc.SecurityGroupEgressRule(
        f"{name}-out-internet-443",
        security_group_id=security_group.id,
        cidr_ipv4="0.0.0.0/0",
        ip_protocol="tcp",
        from_port=443,
        to_port=443,
        description="internet through NAT on 443",
        tags=tags,
        opts=opts,
    )
    target_group = aws.lb.TargetGroup(
        f"{name}-tg",
        vpc_id=net.vpc_id,
        port=PORT,
        protocol="HTTP",
        target_type="ip",
        deregistration_delay=30,
        health_check={
            "enabled": True,
            "path": "/healthz",
            "port": "traffic-port",
            "protocol": "HTTP",
            "matcher": "200-399",
            "interval": 15,
            "timeout": 5,
            "healthy_threshold": 2,
            "unhealthy_threshold": 3,
        },
        tags=tags,
        opts=opts,
    )
    rule = aws.lb.ListenerRule(
        f"{name}-rule",
        listener_arn=platform.http_listener.arn,
        priority=priority,
        conditions=[{"path_pattern": {"values": [path]}}],
        actions=[{"type": "forward", "target_group_arn": target_group.arn}],
        tags=tags,
        opts=opts,
    )
    task_definition = aws.ecs.TaskDefinition(
        f"{name}-task-definition",
        family=f"{stack}-{name}",
        requires_compatibilities=["FARGATE"],
        network_mode="awsvpc",
        cpu="256",
        memory="512",
        execution_role_arn=execution_role.arn,
        task_role_arn=task_role.arn,
        runtime_platform={"operating_system_family": "LINUX", "cpu_architecture": "ARM64"},
        container_definitions=logs.name.apply(lambda group: _containers(name, group, region)),
        volumes=[{"name": f"{name}-scratch-0"}],
        skip_destroy=True,
        tags=tags,
        opts=opts,
    )
    dimensions = pulumi.Output.all(platform.alb_arn_suffix, target_group.arn_suffix).apply(
        lambda suffixes: {"LoadBalancer": suffixes[0], "TargetGroup": suffixes[1]}
    )
    errors = aws.cloudwatch.MetricAlarm(
        f"{name}-5xx-ratio",
        alarm_description=(
            f"{name}: more than 5.0% of requests failed with 5xx; rolls a deployment back"
        ),
        comparison_operator="GreaterThanThreshold",
        threshold=5,
        evaluation_periods=3,
        datapoints_to_alarm=2,
        treat_missing_data="notBreaching",
        metric_queries=[
            {
                "id": "ratio",
                "expression": "IF((FILL(r1, 0)) >= 10, 100 * (FILL(e1, 0)) / (FILL(r1, 0)), 0)",
                "label": "5xx percent",
                "return_data": True,
            },
            _alb_query("e1", "HTTPCode_Target_5XX_Count", "Sum", dimensions),
            _alb_query("r1", "RequestCount", "Sum", dimensions),
        ],
        tags=tags,
        opts=opts,
    )
    unhealthy = aws.cloudwatch.MetricAlarm(
        f"{name}-unhealthy-hosts",
        alarm_description=f"{name}: tasks failing ALB health checks for 3 minutes",
        comparison_operator="GreaterThanOrEqualToThreshold",
        threshold=1,
        evaluation_periods=3,
        datapoints_to_alarm=3,
        treat_missing_data="notBreaching",
        metric_queries=[
            _alb_query("u1", "UnHealthyHostCount", "Maximum", dimensions, return_data=True)
        ],
        tags=tags,
        opts=opts,
    )
    service = aws.ecs.Service(
        f"{name}-service",
        cluster=platform.cluster_arn,
        task_definition=task_definition.arn,
        desired_count=2,
        capacity_provider_strategies=[{"capacity_provider": "FARGATE", "weight": 1, "base": 0}],
        platform_version="LATEST",
        network_configuration={
            "subnets": net.private_subnet_ids,
            "security_groups": [security_group.id],
            "assign_public_ip": False,
        },
        load_balancers=[
            {"target_group_arn": target_group.arn, "container_name": name, "container_port": PORT}
        ],
        health_check_grace_period_seconds=60,
        deployment_circuit_breaker={"enable": True, "rollback": True},
        alarms={
            "alarm_names": pulumi.Output.all(errors.name, unhealthy.name),
            "enable": True,
            "rollback": True,
        },
        deployment_configuration={"strategy": "ROLLING"},
        deployment_minimum_healthy_percent=100,
        deployment_maximum_percent=200,
        enable_ecs_managed_tags=True,
        propagate_tags="SERVICE",
        enable_execute_command=False,
        availability_zone_rebalancing="ENABLED",
        wait_for_steady_state=True,
        tags=tags,
        opts=pulumi.ResourceOptions(
            parent=parent,
            depends_on=[rule, errors, unhealthy, execution_policy, platform.capacity_providers],
        ),
    )
    resource_id = pulumi.Output.all(platform.cluster_name, service.name).apply(
        lambda names: f"service/{names[0]}/{names[1]}"
    )
    target = aws.appautoscaling.Target(
        f"{name}-scaling-target",
        service_namespace="ecs",
        scalable_dimension="ecs:service:DesiredCount",
        resource_id=resource_id,
        min_capacity=2,
        max_capacity=10,
        tags=tags,
        opts=opts,
    )
    aws.appautoscaling.Policy(
        f"{name}-scale-on-cpu",
        service_namespace=target.service_namespace,
        scalable_dimension=target.scalable_dimension,
        resource_id=target.resource_id,
        policy_type="TargetTrackingScaling",
        target_tracking_scaling_policy_configuration={
            "target_value": 60,
            "scale_in_cooldown": 300,
            "scale_out_cooldown": 60,
            "predefined_metric_specification": {
                "predefined_metric_type": "ECSServiceAverageCPUUtilization"
            },
        },
        opts=opts,
    )


def _alb_query(
    query_id: str,
    metric: str,
    stat: str,
    dimensions: pulumi.Output[dict[str, str]],
    *,
    return_data: bool = False,
) -> aws.cloudwatch.MetricAlarmMetricQueryArgsDict:
    return {
        "id": query_id,
        "return_data": return_data,
        "metric": {
            "namespace": "AWS/ApplicationELB",
            "metric_name": metric,
            "stat": stat,
            "period": 60,
            "dimensions": dimensions,
        },
    }


def _containers(name: str, log_group: str, region: str) -> str:
    health = f"curl -fsS http://localhost:{PORT}/healthz > /dev/null || exit 1"
    return json.dumps(
        [
            {
                "name": name,
                "image": API_IMAGE,
                "essential": True,
                "portMappings": [{"containerPort": PORT, "hostPort": PORT, "protocol": "tcp"}],
                "healthCheck": {
                    "command": ["CMD-SHELL", health],
                    "interval": 15,
                    "retries": 3,
                    "startPeriod": 60,
                    "timeout": 5,
                },
                "linuxParameters": {"initProcessEnabled": True},
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": log_group,
                        "awslogs-region": region,
                        "awslogs-stream-prefix": name,
                        "max-buffer-size": "25m",
                        "mode": "non-blocking",
                    },
                },
                "mountPoints": [
                    {
                        "containerPath": "/tmp",
                        "readOnly": False,
                        "sourceVolume": f"{name}-scratch-0",
                    }
                ],
                "readonlyRootFilesystem": True,
                "stopTimeout": 30,
            }
        ],
        sort_keys=True,
    )
