"""The Fargate backend of StatelessService: one ServiceSpec -> task definition, roles,
security group, target group and listener rule on the cluster's ALB, ECS service with
circuit breaker and alarm rollback, autoscaling."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.aws_rules.ec2 import SECURITY_GROUP_RULES_QUOTA
from gridops_infra.core.aws_rules.ecs import (
    CONTAINERS_PER_TASK_DEFINITION,
    MAX_CONTAINERS_PER_TASK_DEFINITION,
)
from gridops_infra.core.aws_rules.elb import RULE_CONDITION_VALUES
from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.links import LinkGrant
from gridops_infra.core.validation import ArgError
from gridops_infra.platforms.fargate.component import FargateCluster
from gridops_infra.service.backend import ServiceOutputs, slo_alarm_name
from gridops_infra.service.fargate import alarms as fargate_alarms
from gridops_infra.service.fargate import capacity as fargate_capacity
from gridops_infra.service.fargate import iam as fargate_iam
from gridops_infra.service.fargate import routing as fargate_routing
from gridops_infra.service.fargate import scaling as fargate_scaling
from gridops_infra.service.fargate.containers import (
    STOP_TIMEOUT_SECONDS,
    container_definitions_json,
    task_volumes,
)
from gridops_infra.service.fargate.reachability import check_reachability
from gridops_infra.service.fargate.tracing import tracing_statements, with_tracing
from gridops_infra.service.link_sidecars import attach_links, with_link_sidecars
from gridops_infra.service.spec.checks import MAX_RULE_VALUES
from gridops_infra.service.spec.settings import ServiceSpec

CHILD_ROLES = (
    "log_group",
    "task_definition",
    "service",
    *fargate_iam.ROLES,
    *fargate_routing.ROLES,
    *fargate_alarms.ROLES,
    *fargate_scaling.ROLES,
)
MAX_CONTAINERS = MAX_CONTAINERS_PER_TASK_DEFINITION
STRATEGY = {
    "rolling": "ROLLING",
    "blue-green": "BLUE_GREEN",
    "canary": "CANARY",
    "linear": "LINEAR",
}


@dataclass
class Prepared:
    """What `check` settled before anything was registered."""

    priority: int
    grant: LinkGrant = field(default_factory=LinkGrant)


def check(spec: ServiceSpec, platform: Any) -> Prepared:
    """Fargate-only rules, the merged link grants and a listener-rule priority."""
    check_task(spec, platform)
    if platform.behind_cdn:
        _check_behind_cdn(spec, platform)
    grant = merge_grants(spec)
    if grant.sidecars:
        check_task(with_link_sidecars(spec, grant), platform)
    check_reachability(spec, grant, platform.network, iam.region_name(), "StatelessService")
    priority = platform.reserve_rule_priority(
        spec.name, spec.hosts, spec.path_patterns, spec.priority
    )
    return Prepared(priority=priority, grant=grant)


def check_task(spec: ServiceSpec, platform: Any, component: str = "StatelessService") -> None:
    """What every task on a FargateCluster needs: the cluster, at most 10 containers and,
    on Managed Instances, a strategy of one kind and an instance type that holds it."""
    if not isinstance(platform, FargateCluster):
        raise ArgError(
            f"{component} '{spec.name}': platform={type(platform).__name__} is not a FargateCluster"
        )
    fargate_capacity.check_capacity(spec, platform, component)
    # Tracing adds its collector as one more container (see fargate_tracing).
    count = 1 + len(spec.containers) + (1 if spec.tracing else 0)
    if count > MAX_CONTAINERS:
        raise CONTAINERS_PER_TASK_DEFINITION.refuse(
            f"{component} '{spec.name}'",
            f"containers has {len(spec.containers)} sidecars",
            f"the task would hold {count} containers (the app, {len(spec.containers)} sidecars"
            + (" and the tracing collector" if spec.tracing else "")
            + ")",
        )


def _check_behind_cdn(spec: ServiceSpec, cluster: FargateCluster) -> None:
    """The origin-secret header (public ALB) takes one of the rule's five condition values,
    and the CloudFront prefix list may be admitted on one port only (it counts as 55 rules)."""
    with_header = cluster.origin_verify_secret is not None
    if with_header and len(spec.path_patterns) + len(spec.hosts) > MAX_RULE_VALUES - 1:
        raise RULE_CONDITION_VALUES.refuse(
            f"StatelessService '{spec.name}'",
            f"path_patterns={list(spec.path_patterns)!r} is not allowed",
            "behind a CDN the origin header takes one of the rule's "
            f"{MAX_RULE_VALUES} values, so at most {MAX_RULE_VALUES - 1} hosts and path_patterns",
        )
    if spec.domain and not cluster.redirects_http:
        raise SECURITY_GROUP_RULES_QUOTA.refuse(
            f"StatelessService '{spec.name}'",
            f"domain={spec.domain!r} is not allowed on cluster '{cluster.name}'",
            "behind a CDN without a certificate it would open port 443 next to 80 to "
            "CloudFront's prefix list, which counts as 55 rules per port",
            "Give the cluster a domain or certificate_arn",
        )


def merge_grants(
    spec: ServiceSpec, component: str = "StatelessService", *, shares_localhost: bool = True
) -> LinkGrant:
    """Every link's grant in one, refusing an environment name set twice (and, where the
    workload's containers share localhost, a link sidecar on a port or name taken)."""
    merged = LinkGrant()
    taken = {name: "environment" for name in spec.environment} | {
        name: "secrets" for name in spec.secrets
    }
    for link in spec.links:
        grant = link.link_grant()
        source = getattr(link, "name", type(link).__name__)
        for env_name in [*grant.environment, *grant.secrets]:
            if env_name in taken:
                raise ArgError(
                    f"{component} '{spec.name}': links={source!r} is not allowed; it sets "
                    f"{env_name}, which {taken[env_name]} already sets"
                )
            taken[env_name] = f"link {source!r}"
        merged.environment.update(grant.environment)
        merged.secrets.update(grant.secrets)
        merged.secret_arns.extend(grant.secret_arns)
        merged.kms_key_arns.extend(grant.kms_key_arns)
        merged.task_statements.extend(grant.task_statements)
        merged.pull_repository_arns.extend(grant.pull_repository_arns)
        merged.start_after.extend(grant.start_after)
        if grant.sidecars or grant.attach:
            _check_link_sidecars(spec, component, source, grant, merged, shares_localhost)
        merged.sidecars.extend(grant.sidecars)
        merged.attach.extend(grant.attach)
    return merged


def _check_link_sidecars(
    spec: ServiceSpec,
    component: str,
    source: str,
    grant: LinkGrant,
    merged: LinkGrant,
    shares_localhost: bool,
) -> None:
    """A link that runs a sidecar (FeatureFlags' AppConfig agent) is built for services
    only, and in a task or pod its container needs a name and a port no other container
    has (on a single server it is a compose service of its own, with its own address)."""
    if component != "StatelessService":
        raise ArgError(
            f"{component} '{spec.name}': links={source!r} is not allowed; it runs a sidecar "
            "and attaches to the workload's deployment alarms, which is built for "
            "StatelessService only: link it from a StatelessService"
        )
    if not shares_localhost:
        return
    names = {spec.container_name, *(c.name for c in spec.containers)}
    names |= {s.name for s in merged.sidecars}
    ports = {spec.port, *(c.port for c in spec.containers if c.port is not None)}
    ports |= {s.port for s in merged.sidecars}
    for sidecar in grant.sidecars:
        if sidecar.name in names or sidecar.port in ports:
            raise ArgError(
                f"{component} '{spec.name}': links={source!r} is not allowed; it runs the "
                f"container {sidecar.name!r} on port {sidecar.port}, and another container "
                "of the service already has that name or port (containers of one task share "
                "localhost): move the app or the sidecar to another port or name"
            )


@dataclass
class Task:
    """A Fargate task definition and the roles it runs with (services and queue workers
    build theirs here)."""

    task_definition: aws.ecs.TaskDefinition
    execution_role: aws.iam.Role
    task_role: aws.iam.Role
    policies: list[aws.iam.RolePolicy]
    """The role policies; the ECS service waits for them."""
    documents: dict[str, pulumi.Output[str]]
    """Every policy document, by role (`execution`, `task`)."""
    container_definitions: pulumi.Output[str]


def build_task(
    owner: GridopsComponent,
    spec: ServiceSpec,
    grant: LinkGrant,
    *,
    family_suffix: str = "",
    listens: bool = True,
    stop_timeout_seconds: int = STOP_TIMEOUT_SECONDS,
    compatibility: str = "FARGATE",
) -> Task:
    """Log group `/gridops/<project>-<stack>/<name><family_suffix>`, execution role (image,
    logs, the referenced secrets), task role (the grant's and the spec's statements) and
    the task definition running `spec` with the grant's environment and secrets."""
    region = iam.region_name()
    spec = with_tracing(spec)
    stack = f"{pulumi.get_project()}-{pulumi.get_stack()}".replace(".", "-")
    log_group = owner.child(
        "log_group",
        aws.cloudwatch.LogGroup,
        {
            "name": f"/gridops/{stack}/{spec.name}{family_suffix}",
            "retention_in_days": spec.log_retention_days,
        },
        suffix="logs",
    )
    execution_role, execution_document, execution_policy = fargate_iam.execution_role(
        owner,
        log_group_arn=log_group.arn,
        value_froms=_value_froms(spec, grant),
        secret_arns=[*grant.secret_arns, *_pull_secret(spec)],
        kms_key_arns=grant.kms_key_arns,
        images=[spec.image, *(s.image for s in spec.containers)],
        repository_arns=grant.pull_repository_arns,
    )
    task_statements = [
        *grant.task_statements,
        *(dict(s) for s in spec.task_statements),
        *tracing_statements(spec, iam.account_id(), region),
    ]
    task_role, task_document, task_policy = fargate_iam.task_role(
        owner, task_statements, execute_command=spec.enable_execute_command
    )
    documents = {"execution": execution_document}
    if task_document is not None:
        documents["task"] = task_document
    containers = container_definitions_json(
        spec,
        environment={**spec.environment, **grant.environment},
        secrets={**spec.secrets, **grant.secrets},
        log_group=log_group.name,
        region=region,
        listens=listens,
        stop_timeout_seconds=stop_timeout_seconds,
    )
    task_definition = owner.child(
        "task_definition",
        aws.ecs.TaskDefinition,
        {
            "family": f"{stack}-{spec.name}{family_suffix}",
            "requires_compatibilities": [compatibility],
            "network_mode": "awsvpc",
            "cpu": str(spec.cpu),
            "memory": str(spec.memory),
            "execution_role_arn": execution_role.arn,
            "task_role_arn": task_role.arn,
            "runtime_platform": {
                "operating_system_family": "LINUX",
                "cpu_architecture": spec.cpu_architecture,
            },
            "container_definitions": containers,
            "volumes": task_volumes(spec),
            # Keep old revisions registered so ECS can always roll back to them.
            "skip_destroy": True,
        },
    )
    policies = [execution_policy, *([task_policy] if task_policy else [])]
    return Task(task_definition, execution_role, task_role, policies, documents, containers)


def build(
    service: GridopsComponent, spec: ServiceSpec, cluster: FargateCluster, prepared: Prepared
) -> ServiceOutputs:
    grant = prepared.grant
    spec = with_link_sidecars(spec, grant)
    task = build_task(service, spec, grant, compatibility=fargate_capacity.compatibility(cluster))
    task_definition, documents = task.task_definition, task.documents
    routing = fargate_routing.route(service, spec, cluster, prepared.priority)
    for link in spec.links:
        link.allow_from(spec.name, routing.security_group.id)

    target_metrics = [
        fargate_alarms.TargetGroupMetrics(cluster.alb_arn_suffix, tg.arn_suffix)
        for tg in routing.target_groups
    ]
    own_alarms = fargate_alarms.deployment_alarms(service, spec, target_metrics)
    # The 5xx-ratio alarm (the first) judges link changes such as a feature-flag rollout.
    attached = attach_links(spec, grant, task.task_role, task.task_role.name, [own_alarms[0].arn])
    alarm_names = pulumi.Output.all(
        *[a.name for a in own_alarms],
        *spec.rollback_alarm_names,
        *([slo_alarm_name(spec.name)] if spec.slo_rollback else []),
    )

    load_balancer: dict[str, Any] = {
        "target_group_arn": routing.target_groups[0].arn,
        "container_name": spec.container_name,
        "container_port": spec.port,
    }
    if len(routing.target_groups) > 1:
        infra_role, infra_document = fargate_iam.infrastructure_role(
            service, [routing.rule.arn], [tg.arn for tg in routing.target_groups]
        )
        documents["infrastructure"] = infra_document
        load_balancer["advanced_configuration"] = {
            "alternate_target_group_arn": routing.target_groups[1].arn,
            "production_listener_rule": routing.rule.arn,
            "role_arn": infra_role.arn,
        }

    ecs_service = service.child(
        "service",
        aws.ecs.Service,
        {
            "cluster": cluster.cluster_arn,
            "task_definition": task_definition.arn,
            "desired_count": spec.min_count,
            **fargate_capacity.placement(spec, cluster),
            "network_configuration": {
                "subnets": cluster.network.private_subnet_ids,
                "security_groups": [routing.security_group.id],
                "assign_public_ip": False,
            },
            "load_balancers": [load_balancer],
            "health_check_grace_period_seconds": spec.health_check_grace_period_seconds,
            "deployment_circuit_breaker": {"enable": True, "rollback": True},
            "alarms": {"alarm_names": alarm_names, "enable": True, "rollback": True},
            "deployment_configuration": deployment_configuration(spec),
            "deployment_minimum_healthy_percent": 100,
            "deployment_maximum_percent": 200,
            "availability_zone_rebalancing": "ENABLED",
            "enable_execute_command": spec.enable_execute_command,
            "enable_ecs_managed_tags": True,
            "propagate_tags": "SERVICE",
            # `pulumi up` waits until the deployment is stable and fails if ECS rolls back.
            "wait_for_steady_state": True,
        },
        opts=pulumi.ResourceOptions(
            # The autoscaler owns the task count after creation.
            ignore_changes=["desiredCount"],
            depends_on=[
                routing.rule,
                cluster.capacity_providers,
                *task.policies,
                *grant.start_after,
                *attached,
            ],
        ),
    )
    metrics = fargate_alarms.FargateMetrics(
        cluster.alb_arn_suffix,
        routing.target_groups[0].arn_suffix,
        cluster.cluster_name,
        ecs_service.name,
    )
    fargate_scaling.autoscaling(
        service,
        spec,
        cluster_name=cluster.cluster_name,
        service_name=ecs_service.name,
        request_label=pulumi.Output.concat(
            cluster.alb_arn_suffix, "/", routing.target_groups[0].arn_suffix
        ),
    )
    return ServiceOutputs(
        url=routing.url,
        service_name=ecs_service.name,
        security_group_id=routing.security_group.id,
        task_role=task.task_role,
        task_role_arn=task.task_role.arn,
        execution_role_arn=task.execution_role.arn,
        target_group_arn=routing.target_groups[0].arn,
        deployment_alarm_names=alarm_names,
        metrics=metrics,
        policy_documents=documents,
    )


def deployment_configuration(spec: ServiceSpec) -> dict[str, Any]:
    config: dict[str, Any] = {"strategy": STRATEGY[spec.deployment_strategy]}
    if spec.deployment_strategy == "rolling":
        return config
    config["bake_time_in_minutes"] = str(spec.bake_time_minutes)
    if spec.deployment_strategy == "canary":
        config["canary_configuration"] = {
            "canary_percent": spec.traffic_step_percent,
            "canary_bake_time_in_minutes": str(spec.traffic_step_minutes),
        }
    elif spec.deployment_strategy == "linear":
        config["linear_configuration"] = {
            "step_percent": spec.traffic_step_percent,
            "step_bake_time_in_minutes": str(spec.traffic_step_minutes),
        }
    return config


def _value_froms(spec: ServiceSpec, grant: LinkGrant) -> list[pulumi.Input[str]]:
    refs: list[pulumi.Input[str]] = [*spec.secrets.values(), *grant.secrets.values()]
    for sidecar in spec.containers:
        refs += list(sidecar.secrets.values())
    return refs


def _pull_secret(spec: ServiceSpec) -> list[str]:
    return [spec.image_pull_secret_arn] if spec.image_pull_secret_arn else []


__all__ = [
    "CHILD_ROLES",
    "Prepared",
    "Task",
    "build",
    "build_task",
    "check",
    "check_task",
    "merge_grants",
]
