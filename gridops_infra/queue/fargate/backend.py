"""The Fargate backend of SqsWorkerQueue: the worker as an ECS service without a load
balancer, built from the same pieces as a StatelessService on Fargate.

Reused from gridops_infra.service.fargate.backend*: the task definition, execution and task
roles and log group (`build_task`), the link grants (`merge_grants`), the tasks' security
group (`security_group(..., from_alb=False)`: nothing comes in) and the capacity
provider strategy (FARGATE_SPOT by default, optional on-demand base; the cluster's Managed
Instances provider on `capacity="managed-instances"`). Worker-specific:
the task role consumes this queue only (plus task scale-in protection on this cluster's
tasks), no port mapping, a stop timeout that covers the job timeout (at most 120 s),
scaling on backlog per task (gridops_infra.queue.fargate.scaling), and deployments that
roll back when jobs start reaching the dead-letter queue (plus `rollback_alarm_names`).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.links import LinkGrant
from gridops_infra.core.metrics import Metric
from gridops_infra.platforms.fargate.component import FargateCluster
from gridops_infra.queue.args import QueueSettings
from gridops_infra.queue.backend import QueueRefs, WorkerOutputs
from gridops_infra.queue.fargate.scaling import ROLES as SCALING_ROLES
from gridops_infra.queue.fargate.scaling import autoscaling
from gridops_infra.queue.iam import consume_statements, task_protection_statement
from gridops_infra.queue.sqs import dlq_growth_alarm
from gridops_infra.service.fargate import backend as fargate_service
from gridops_infra.service.fargate import capacity as fargate_capacity
from gridops_infra.service.fargate import iam as fargate_iam
from gridops_infra.service.fargate import routing as fargate_routing
from gridops_infra.service.fargate.reachability import check_reachability
from gridops_infra.service.spec.settings import ServiceSpec

CHILD_ROLES = (
    "log_group",
    "task_definition",
    "service",
    "security_group",
    "egress_rule",
    *(r for r in fargate_iam.ROLES if not r.startswith("infrastructure")),
    *SCALING_ROLES,
)
FAMILY_SUFFIX = "-worker"


def check(spec: ServiceSpec, platform: Any, settings: QueueSettings) -> LinkGrant:
    """A FargateCluster, at most 10 containers, link grants without clashing names, and a
    network the worker can start in (it polls its queue, so it also needs SQS)."""
    fargate_service.check_task(spec, platform, component="SqsWorkerQueue")
    grant = fargate_service.merge_grants(spec, component="SqsWorkerQueue")
    check_reachability(
        spec, grant, platform.network, iam.region_name(), "SqsWorkerQueue", polls_queue=True
    )
    return grant


def queue_grant(queue: QueueRefs, settings: QueueSettings, cluster: FargateCluster) -> LinkGrant:
    """What the worker gets from its own queue: the URL and job timeout as settings,
    consume rights on this queue only, and task protection on this cluster's tasks."""
    region = iam.region_name()
    statements = consume_statements(queue.name, queue.arn, queue.kms_key_arn, region)
    if settings.task_protection:
        statements.append(
            task_protection_statement(queue.name, cluster.cluster_name, region, iam.account_id())
        )
    return LinkGrant(
        environment={
            "QUEUE_URL": queue.url,
            "JOB_TIMEOUT_SECONDS": str(settings.job_timeout_seconds),
        },
        task_statements=statements,
    )


def _with(links: LinkGrant, own: LinkGrant) -> LinkGrant:
    return LinkGrant(
        environment={**links.environment, **own.environment},
        secrets=dict(links.secrets),
        secret_arns=list(links.secret_arns),
        kms_key_arns=list(links.kms_key_arns),
        task_statements=[*own.task_statements, *links.task_statements],
        pull_repository_arns=list(links.pull_repository_arns),
        start_after=[*links.start_after, *own.start_after],
    )


def build(
    owner: GridopsComponent,
    spec: ServiceSpec,
    cluster: FargateCluster,
    prepared: LinkGrant,
    queue: QueueRefs,
    settings: QueueSettings,
) -> WorkerOutputs:
    grant = _with(prepared, queue_grant(queue, settings, cluster))
    task = fargate_service.build_task(
        owner,
        spec,
        grant,
        family_suffix=FAMILY_SUFFIX,
        listens=False,
        stop_timeout_seconds=settings.stop_timeout_seconds,
        compatibility=fargate_capacity.compatibility(cluster),
    )
    sg = fargate_routing.security_group(owner, spec, cluster, from_alb=False)
    for link in spec.links:
        link.allow_from(f"{spec.name}{FAMILY_SUFFIX}", sg.id)

    service_args: dict[str, Any] = {
        "cluster": cluster.cluster_arn,
        "task_definition": task.task_definition.arn,
        "desired_count": spec.min_count,
        **fargate_capacity.placement(spec, cluster),
        "network_configuration": {
            "subnets": cluster.network.private_subnet_ids,
            "security_groups": [sg.id],
            "assign_public_ip": False,
        },
        "deployment_circuit_breaker": {"enable": True, "rollback": True},
        "deployment_minimum_healthy_percent": 100,
        "deployment_maximum_percent": 200,
        # Rebalancing would stop running workers only to move them between zones.
        "availability_zone_rebalancing": "DISABLED",
        "enable_execute_command": spec.enable_execute_command,
        "enable_ecs_managed_tags": True,
        "propagate_tags": "SERVICE",
        "wait_for_steady_state": True,
    }
    # A deployment whose workers send jobs to the dead-letter queue rolls back.
    growth = dlq_growth_alarm(owner, queue.metrics)
    service_args["alarms"] = {
        "alarm_names": [growth.name, *spec.rollback_alarm_names],
        "enable": True,
        "rollback": True,
    }
    service = owner.child(
        "service",
        aws.ecs.Service,
        service_args,
        suffix="worker",
        opts=pulumi.ResourceOptions(
            # The autoscaler owns the task count after creation.
            ignore_changes=["desiredCount"],
            depends_on=[cluster.capacity_providers, *task.policies, *grant.start_after],
        ),
    )
    autoscaling(
        owner,
        settings.scaling,
        cluster_name=cluster.cluster_name,
        service_name=service.name,
        queue_name=queue.queue_name,
    )
    return WorkerOutputs(
        service_name=service.name,
        security_group_id=sg.id,
        task_role=task.task_role,
        task_role_arn=task.task_role.arn,
        execution_role_arn=task.execution_role.arn,
        container_definitions=task.container_definitions,
        policy_documents=task.documents,
        utilization=tuple(
            Metric(
                "AWS/ECS",
                name,
                {"ClusterName": cluster.cluster_name, "ServiceName": service.name},
                "Average",
                60,
                "Percent",
                label,
            )
            for name, label in (("CPUUtilization", "CPU"), ("MemoryUtilization", "memory"))
        ),
    )


__all__ = ["CHILD_ROLES", "FAMILY_SUFFIX", "build", "check", "queue_grant"]
