"""The Express backend of StatelessService: one ServiceSpec -> an ECS Express Mode service
(`aws.ecs.ExpressGatewayService`) with gridops' own log group, execution and task roles
and task security group; ECS builds the load balancer, endpoint, deployment and scaling."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.links import LinkGrant
from gridops_infra.core.metrics import Metric
from gridops_infra.core.validation import ArgError
from gridops_infra.platforms.express.component import ExpressCluster
from gridops_infra.service.backend import ServiceOutputs
from gridops_infra.service.express.checks import Scaling, check_spec
from gridops_infra.service.express.network import ROLES as NETWORK_ROLES
from gridops_infra.service.express.network import task_security_group
from gridops_infra.service.fargate import iam as fargate_iam
from gridops_infra.service.fargate.backend import merge_grants
from gridops_infra.service.fargate.reachability import check_reachability
from gridops_infra.service.spec.settings import ServiceSpec

CHILD_ROLES = (
    "log_group",
    "service",
    *(r for r in fargate_iam.ROLES if not r.startswith("infrastructure")),
    *NETWORK_ROLES,
)
ECS = "AWS/ECS"


@dataclass
class Prepared:
    """What `check` settled before anything was registered."""

    scaling: Scaling
    grant: LinkGrant = field(default_factory=LinkGrant)


def check(spec: ServiceSpec, platform: Any) -> Prepared:
    """Express-only rules, the merged link grants, and a network the tasks can start in."""
    if not isinstance(platform, ExpressCluster):
        raise ArgError(
            f"StatelessService '{spec.name}': platform={type(platform).__name__} is not an "
            "ExpressCluster"
        )
    scaling = check_spec(spec, platform)
    grant = merge_grants(spec)
    if grant.sidecars:
        raise ArgError(
            f"StatelessService '{spec.name}': links={[s.name for s in grant.sidecars]!r} is "
            f"not allowed on ExpressCluster '{platform.name}'; those links run a sidecar "
            "container next to the app, and an Express Mode service runs one container: "
            "run the service on a FargateCluster (or EksCluster) instead"
        )
    if platform.endpoint == "internal":
        # Public services run in public subnets with public addresses; private ones need
        # the network's NAT or endpoints to pull images, write logs and read secrets.
        check_reachability(spec, grant, platform.network, iam.region_name(), "StatelessService")
    return Prepared(scaling=scaling, grant=grant)


@dataclass(frozen=True)
class ExpressMetrics:
    """An Express service's CloudWatch metrics. CPU and memory are the ECS service's; the
    load balancer's are not reachable: ECS creates that load balancer and its target
    group after gridops runs, and the provider exposes neither's name."""

    cluster_name: pulumi.Input[str]
    service_name: pulumi.Input[str]

    def _ecs(self, name: str, label: str) -> Metric:
        dims = {"ClusterName": self.cluster_name, "ServiceName": self.service_name}
        return Metric(ECS, name, dims, "Average", 60, "Percent", label)

    def cpu(self) -> Metric:
        return self._ecs("CPUUtilization", "CPU")

    def memory(self) -> Metric:
        return self._ecs("MemoryUtilization", "memory")

    def _no_alb(self, what: str) -> Metric:
        raise NotImplementedError(
            f"{what} is not available for a StatelessService on an ExpressCluster: ECS creates its load balancer and target group "
            "itself and the provider exposes neither, so there is no metric to alarm on "
            "or to build an SLO from yet; run the service on a FargateCluster for "
            "load-balancer SLOs"
        )

    def http_5xx(self) -> Metric:
        return self._no_alb("metric_5xx")

    def requests(self) -> Metric:
        return self._no_alb("metric_requests")

    def elb_5xx(self) -> Metric | None:
        return self._no_alb("metric_elb_5xx")

    def latency_p99(self) -> Metric:
        return self._no_alb("metric_latency_p99")

    def unhealthy_hosts(self) -> Metric:
        return self._no_alb("metric_unhealthy_hosts")


def build(
    service: GridopsComponent, spec: ServiceSpec, cluster: ExpressCluster, prepared: Prepared
) -> ServiceOutputs:
    grant = prepared.grant
    stack = f"{pulumi.get_project()}-{pulumi.get_stack()}".replace(".", "-")
    log_group = service.child(
        "log_group",
        aws.cloudwatch.LogGroup,
        {
            "name": f"/gridops/{stack}/{spec.name}",
            "retention_in_days": spec.log_retention_days,
        },
        suffix="logs",
    )
    secrets = {**spec.secrets, **grant.secrets}
    pull_secret = [spec.image_pull_secret_arn] if spec.image_pull_secret_arn else []
    execution_role, execution_document, execution_policy = fargate_iam.execution_role(
        service,
        log_group_arn=log_group.arn,
        value_froms=list(secrets.values()),
        secret_arns=[*grant.secret_arns, *pull_secret],
        kms_key_arns=grant.kms_key_arns,
        images=[spec.image],
        repository_arns=grant.pull_repository_arns,
    )
    task_role, task_document, task_policy = fargate_iam.task_role(
        service,
        [*grant.task_statements, *(dict(s) for s in spec.task_statements)],
        execute_command=False,
    )
    documents = {"execution": execution_document}
    if task_document is not None:
        documents["task"] = task_document
    sg = task_security_group(service, spec, cluster.network)
    for link in spec.links:
        link.allow_from(spec.name, sg.id)

    environment = {**spec.environment, **grant.environment}
    container: dict[str, Any] = {
        "image": spec.image,
        "container_port": spec.port,
        "environments": [{"name": k, "value": environment[k]} for k in sorted(environment)],
        "secrets": [{"name": k, "value_from": secrets[k]} for k in sorted(secrets)],
        "aws_logs_configurations": [{"log_group": log_group.name, "log_stream_prefix": spec.name}],
    }
    if spec.command:
        container["commands"] = list(spec.command)
    if spec.image_pull_secret_arn:
        container["repository_credentials"] = {"credentials_parameter": spec.image_pull_secret_arn}

    express = service.child(
        "service",
        aws.ecs.ExpressGatewayService,
        {
            "cluster": cluster.cluster_name,
            "service_name": spec.name,
            "cpu": str(spec.cpu),
            "memory": str(spec.memory),
            "execution_role_arn": execution_role.arn,
            "infrastructure_role_arn": cluster.infrastructure_role_arn,
            "task_role_arn": task_role.arn,
            "health_check_path": spec.health_check_path,
            "network_configurations": [{"subnets": cluster.subnet_ids, "security_groups": [sg.id]}],
            "primary_container": container,
            "scaling_targets": [
                {
                    "auto_scaling_metric": prepared.scaling.metric,
                    "auto_scaling_target_value": prepared.scaling.target,
                    "min_task_count": spec.min_count,
                    "max_task_count": spec.max_count,
                }
            ],
            # `pulumi up` waits until the first revision is healthy behind its endpoint.
            "wait_for_steady_state": True,
        },
        opts=pulumi.ResourceOptions(
            # The policies outlive the service on delete, so it never hangs in DRAINING.
            depends_on=[
                cluster.capacity_providers,
                cluster.infrastructure_policy,
                execution_policy,
                *([task_policy] if task_policy else []),
                *grant.start_after,
            ]
        ),
    )
    url = express.ingress_paths.apply(_url)
    return ServiceOutputs(
        url=url,
        service_name=express.service_name,
        security_group_id=sg.id,
        task_role=task_role,
        task_role_arn=task_role.arn,
        execution_role_arn=execution_role.arn,
        target_group_arn=None,
        deployment_alarm_names=pulumi.Output.from_input([]),
        metrics=ExpressMetrics(cluster.cluster_name, express.service_name),
        policy_documents=documents,
    )


def _url(paths: Any) -> str:
    """`https://<endpoint>` of the service's first ingress path (ECS serves HTTPS on an
    AWS-provided domain)."""
    endpoints = [
        (p.get("endpoint") if isinstance(p, dict) else getattr(p, "endpoint", None))
        for p in paths or []
    ]
    endpoint = next((e for e in endpoints if e), "")
    return endpoint if endpoint.startswith("https://") else f"https://{endpoint}"


__all__ = ["CHILD_ROLES", "ExpressMetrics", "Prepared", "build", "check"]
