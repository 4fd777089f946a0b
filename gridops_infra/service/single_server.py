"""The single-server backend of StatelessService: one ServiceSpec -> a compose service on
a SingleServer, behind its Caddy reverse proxy.

What the spec becomes on one host:

- `image`, `command`, `environment`, `user`, `read_only_root_filesystem` (+
  `writable_paths` as tmpfs) and the container health check map one to one; `cpu` /
  `memory` become the container's limits (`cpu` / 1024 vCPUs, `memory` MiB), checked
  against what the host has left; `restart: always`.
- `secrets` and the links' secret references are resolved on the host by the gridops
  agent at start (never written to the compose fragment); the instance role gets read
  access to exactly those ARNs.
- `port`, `path_patterns`, `hosts` and `health_check_path` become proxy routes with an
  active health check: a replica failing it gets no traffic.
- `min_count` is the number of replicas. One host cannot autoscale: `max_count` and
  `cpu_target_percent` are recorded as container labels (for the move to Fargate or
  EKS), nothing more; the other scaling settings are refused when given. Deployments replace containers in place (`docker compose up`).
- Links: `allow_from` with the server's security group, once per host whichever
  containers link (RDS, Redis admit the host);
  linking `server.database` puts the service on the internal `db` network; link and
  `task_statements` IAM statements go on the instance role, which every container on
  the host shares (there are no per-container roles on one EC2 host); a linked
  ContainerRepository lets the instance role pull from it (the host's docker pulls with
  the ECR credential helper on that role).
- A link's sidecar (the AppConfig agent of a linked FeatureFlags) is a compose service of
  its own in the service's fragment (`<service>-<sidecar>`, on `web`, no host port,
  read-only root, unprivileged), the service `depends_on` it and reaches it by that name
  (`GRIDOPS_FLAGS_URL`); the link attaches with the instance role and no alarms of the
  service (one host has no per-service alarm), so only the flags' `alarm_arns` roll back.
- Metrics: requests, 5xx, latency and failed proxy health checks from the proxy's
  access log (CloudWatch Logs metric filters on the server's log group); CPU and memory
  are the host's.

Refused here, with the field named: blue-green/canary/linear deployments, Fargate
Spot, scheduled scaling and the other autoscaling targets and cooldowns (one host does
not scale), alarm rollbacks and their 5xx threshold, ECS Exec, a listener `priority` (the
proxy orders routes by specificity), a `log_retention_days` other than the server's (one
log group for every container), a CPU architecture the host does not have, a domain
other than the server's. Not built yet: sidecar containers and
`image_pull_secret_arn` (NotImplementedError).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.links import LinkGrant
from gridops_infra.core.metrics import Metric
from gridops_infra.core.validation import ArgError
from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.platforms.single_server.compose import (
    ACCESS_LOG_SERVICE_FIELD,
    DATABASE_NETWORK,
    WEB_NETWORK,
    ContainerSpec,
    ProxyRoute,
    container_names,
)
from gridops_infra.platforms.single_server.database import SingleServerDatabase
from gridops_infra.platforms.single_server.link_sidecars import (
    sidecar_containers,
    sidecar_environment,
    sidecar_service_name,
)
from gridops_infra.service.backend import ServiceOutputs
from gridops_infra.service.fargate.backend import merge_grants
from gridops_infra.service.fargate.iam import ECR_PULL_ACTIONS, ecr_repository_arns
from gridops_infra.service.fargate.routing import path_prefix
from gridops_infra.service.link_sidecars import attach_links
from gridops_infra.service.spec.checks import secret_policy_arn
from gridops_infra.service.spec.settings import ServiceSpec

CHILD_ROLES = ("compose_parameter", "host_policy", "metric_filter")
DEFAULT_LOG_RETENTION_DAYS = 30
ONE_HOST = (
    "one host does not autoscale (it runs min_count replicas); this setting applies on "
    "FargateCluster or EksCluster: leave it out here"
)
NO_AUTOSCALING = {
    "memory_target_percent": ONE_HOST,
    "requests_per_target": ONE_HOST,
    "scale_in_cooldown_seconds": ONE_HOST,
    "scale_out_cooldown_seconds": ONE_HOST,
}
NO_ROLLBACK = "compose has no deployment rollback alarm; redeploy the previous image"
ARCHITECTURE = {"ARM64": "arm64", "X86_64": "x86_64"}
HEALTH_LOGGER = "http.handlers.reverse_proxy.health_checker.active"
MAX_FILTER_PATTERN = 1024  # CloudWatch Logs' limit


@dataclasses.dataclass
class Prepared:
    """What `check` settled before anything was registered."""

    container: ContainerSpec
    grant: LinkGrant
    sidecars: tuple[ContainerSpec, ...]
    """The links' sidecars as compose services of the service's own fragment."""


def check(spec: ServiceSpec, platform: Any) -> Prepared:
    """Everything one host cannot do is refused here, then the container is reserved on
    the server (its name, its memory)."""
    if not isinstance(platform, SingleServer):
        raise ArgError(
            f"StatelessService '{spec.name}': platform={type(platform).__name__} is not a "
            "SingleServer"
        )
    where = f"StatelessService '{spec.name}'"
    refuse_unsupported(spec, platform, where)
    grant = merge_grants(spec, shares_localhost=False)
    sidecars = sidecar_containers(spec.name, grant.sidecars)
    container = container_spec(spec, grant, joins_database=links_database(spec, platform))
    pattern = health_filter_pattern(container)
    if len(pattern) > MAX_FILTER_PATTERN:
        raise ArgError(
            f"{where}: min_count={spec.min_count} is not allowed; the health metric filter "
            f"would need {len(pattern)} characters (CloudWatch allows {MAX_FILTER_PATTERN})"
        )
    platform.check_container(container)
    for sidecar in sidecars:
        platform.check_container(sidecar)
    return Prepared(container=container, grant=grant, sidecars=sidecars)


def build(
    service: GridopsComponent, spec: ServiceSpec, server: SingleServer, prepared: Prepared
) -> ServiceOutputs:
    for link in spec.links:
        link.allow_from(*server.link_consumer())
    for port in spec.internet_egress_ports:
        server.open_egress_port(port)

    documents: dict[str, pulumi.Output[str]] = {}
    document = host_policy_document(spec, prepared.grant)
    if document is not None:
        service.child(
            "host_policy",
            aws.iam.RolePolicy,
            {"role": server.instance_role.id, "policy": document},
            suffix="host-policy",
        )
        documents["host"] = document

    # The flags' environment and its read grant on the instance role; one host has no
    # per-service alarm, so only the flags' own alarm_arns watch the environment.
    attached = attach_links(
        spec, prepared.grant, server.instance_role, server.instance_role.name, []
    )
    server.add_container(
        prepared.container,
        owner=service,
        role="compose_parameter",
        companions=prepared.sidecars,
        after=attached,
    )
    metrics = SingleServerMetrics(metric_namespace(server, spec.name), server.instance_id)
    for suffix, pattern, name, value, unit in metric_filters(prepared.container):
        service.child(
            "metric_filter",
            aws.cloudwatch.LogMetricFilter,
            {
                "log_group_name": server.log_group_name,
                "pattern": pattern,
                "metric_transformation": {
                    "namespace": metrics.namespace,
                    "name": name,
                    "value": value,
                    "unit": unit,
                },
            },
            suffix=f"metric-{suffix}",
        )

    return ServiceOutputs(
        url=service_url(spec, server),
        service_name=pulumi.Output.from_input(spec.name),
        security_group_id=server.security_group_id,
        task_role=server.instance_role,
        task_role_arn=server.instance_role.arn,
        execution_role_arn=None,
        target_group_arn=None,
        deployment_alarm_names=pulumi.Output.from_input([]),
        metrics=metrics,
        policy_documents=documents,
    )


# -- the container ----------------------------------------------------------------------


def container_spec(spec: ServiceSpec, grant: LinkGrant, *, joins_database: bool) -> ContainerSpec:
    """The compose service the spec becomes (Outputs stay Outputs until rendering)."""
    route = ProxyRoute(hosts=spec.hosts, path_patterns=spec.path_patterns or ("/*",))
    extra: dict[str, Any] = {}
    if grant.sidecars:
        extra["depends_on"] = [sidecar_service_name(spec.name, s) for s in grant.sidecars]
    labels = {
        "gridops.service": spec.name,
        "gridops.min_count": str(spec.min_count),
        "gridops.max_count": str(spec.max_count),
        "gridops.cpu_target_percent": str(spec.cpu_target_percent),
    }
    return ContainerSpec(
        name=spec.name,
        image=spec.image,
        port=spec.port,
        routes=(route,),
        health_check_path=spec.health_check_path,
        environment={
            **spec.environment,
            **grant.environment,
            **sidecar_environment(spec.name, grant.sidecars),
        },
        secrets={**spec.secrets, **grant.secrets},
        command=spec.command,
        replicas=spec.min_count,
        cpus=spec.cpu / 1024,
        memory_mb=spec.memory,
        networks=(WEB_NETWORK, DATABASE_NETWORK) if joins_database else (WEB_NETWORK,),
        healthcheck=spec.container_health_check_command,
        healthcheck_start_seconds=spec.health_check_grace_period_seconds,
        stop_grace_seconds=spec.deregistration_delay_seconds,
        user=spec.user,
        read_only=spec.read_only_root_filesystem,
        tmpfs=spec.writable_paths if spec.read_only_root_filesystem else (),
        extra={**extra, "labels": labels},
    )


def links_database(
    spec: ServiceSpec, server: SingleServer, component: str = "StatelessService"
) -> bool:
    """Whether the workload joins the server's own database; refuses a database of
    another server, and a managed one beside the server's own unless that was chosen."""
    refuse_ambiguous_databases(spec, server, component)
    joins = False
    for link in spec.links:
        if isinstance(link, SingleServerDatabase):
            if link is not server.database:
                raise ArgError(
                    f"{component} '{spec.name}': links={link.name!r} is not allowed; that "
                    f"database runs on SingleServer '{link.server_name}', not on "
                    f"'{server.name}'"
                )
            joins = True
    return joins


def refuse_ambiguous_databases(spec: ServiceSpec, server: SingleServer, component: str) -> None:
    """A linked ManagedPostgresWithReplicas next to the server's own PostgreSQL: refused
    when the server's `database` was left to its default (it would run, back up and take
    memory for a database nothing may use). Linking both from one workload is refused by
    `merge_grants` (the same DATABASE_* settings)."""
    managed = [link for link in spec.links if isinstance(link, ManagedPostgresWithReplicas)]
    if not managed:
        return
    names = [link.name for link in managed]
    where = f"{component} '{spec.name}': links={names}"
    if server.database is not None and not server.database_chosen:
        raise ArgError(
            f"{where} is not allowed on SingleServer '{server.name}' as created: the server "
            "also runs its own PostgreSQL container (database defaults to true). Create the "
            "SingleServer with database=False to use only the managed database, or "
            "database=True to keep both on purpose"
        )


def refuse_unsupported(spec: ServiceSpec, server: SingleServer, where: str) -> None:
    def refuse(field: str, value: Any, why: str) -> ArgError:
        return ArgError(f"{where}: {field}={value!r} is not allowed on a SingleServer; {why}")

    if spec.containers:
        raise NotImplementedError(
            f"{where}: sidecar containers on a SingleServer are not built yet (an ECS task's "
            "shared network namespace needs a pause container in compose); run the sidecar "
            "as its own service, or use FargateCluster"
        )
    if spec.image_pull_secret_arn:
        raise NotImplementedError(
            f"{where}: image_pull_secret_arn on a SingleServer is not built yet; the host "
            "pulls public images and ECR images (with the instance role) only"
        )
    arch = ARCHITECTURE[spec.cpu_architecture]
    if arch != server.architecture:
        raise refuse(
            "cpu_architecture",
            spec.cpu_architecture,
            f"the host is {server.architecture} (set the SingleServer's architecture)",
        )
    if spec.deployment_strategy != "rolling":
        raise refuse(
            "deployment_strategy",
            spec.deployment_strategy,
            "one host replaces containers in place ('rolling'); traffic shifting needs "
            "FargateCluster",
        )
    if spec.spot is not None:
        raise refuse("spot", "set", "Fargate Spot exists only on FargateCluster")
    if spec.scheduled_scaling:
        raise refuse("scheduled_scaling", "set", "one host cannot scale; replicas = min_count")
    if spec.rollback_alarm_names or spec.slo_rollback:
        raise refuse(
            "rollback_alarm_names" if spec.rollback_alarm_names else "slo_rollback",
            list(spec.rollback_alarm_names) or True,
            "compose has no deployment rollback; redeploy the previous image",
        )
    if spec.tracing:
        raise refuse(
            "tracing",
            True,
            "no collector runs on the single server yet; send OTLP from the app to your "
            "own backend, or move to the fargate stage",
        )
    if spec.enable_execute_command:
        raise refuse(
            "enable_execute_command",
            True,
            "use `aws ssm start-session --target <instance id>` then `docker exec`",
        )
    if spec.log_retention_days not in (DEFAULT_LOG_RETENTION_DAYS, server.log_retention_days):
        raise refuse(
            "log_retention_days",
            spec.log_retention_days,
            "every container logs to the server's log group, kept for the SingleServer's "
            f"log_retention_days ({server.log_retention_days}); set it there",
        )
    if spec.priority is not None:
        raise refuse(
            "priority",
            spec.priority,
            "the proxy orders routes by how specific they are (host routes first, then longer "
            "path prefixes), so overlapping routes need none; leave it out",
        )
    for field, value, default in (
        ("memory_target_percent", spec.memory_target_percent, 0),
        ("requests_per_target", spec.requests_per_target, 0),
        ("scale_in_cooldown_seconds", spec.scale_in_cooldown_seconds, 300),
        ("scale_out_cooldown_seconds", spec.scale_out_cooldown_seconds, 60),
        ("rollback_5xx_percent", spec.rollback_5xx_percent, 5.0),
    ):
        if value != default:
            raise refuse(field, value, NO_AUTOSCALING.get(field, NO_ROLLBACK))
    if spec.domain and spec.domain != server.domain:
        raise refuse(
            "domain",
            spec.domain,
            "the proxy serves the server's own domain: give it to the SingleServer "
            f"(now {server.domain!r})",
        )


# -- IAM --------------------------------------------------------------------------------


def host_policy_document(spec: ServiceSpec, grant: LinkGrant) -> pulumi.Output[str] | None:
    """The instance role's additions for this service, or None when it needs none: read
    its secrets (as the agent does, on the host), pull its ECR image, and what links and
    `task_statements` grant."""
    refs: list[pulumi.Input[str]] = [
        *spec.secrets.values(),
        *grant.secrets.values(),
        *grant.secret_arns,
    ]
    fixed: list[dict[str, Any]] = []
    if grant.kms_key_arns:
        region = iam.region_name()
        fixed.append(
            iam.statement(
                ["kms:Decrypt"],
                list(grant.kms_key_arns),
                sid="DecryptServiceSecrets",
                conditions={
                    "StringEquals": {
                        "kms:ViaService": [
                            f"secretsmanager.{region}.amazonaws.com",
                            f"ssm.{region}.amazonaws.com",
                        ]
                    }
                },
            )
        )
    # The image's own repository (when it is a plain ECR reference) and linked ones.
    repositories: list[pulumi.Input[str]] = [
        *(ecr_repository_arns([spec.image]) if isinstance(spec.image, str) else []),
        *grant.pull_repository_arns,
    ]
    if repositories:
        # GetAuthorizationToken has no resource-level permissions: AWS requires "*".
        fixed.append(iam.statement(["ecr:GetAuthorizationToken"], "*", sid="EcrLogin"))
        fixed.append(iam.statement(ECR_PULL_ACTIONS, repositories, sid="EcrPull"))
    fixed += [dict(st) for st in grant.task_statements]
    fixed += [dict(st) for st in spec.task_statements]
    if not refs and not fixed:
        return None

    def document(resolved: list[Any]) -> str:
        values, others = resolved
        return json.dumps(
            {"Version": "2012-10-17", "Statement": [*secret_statements(values), *others]},
            sort_keys=True,
        )

    return pulumi.Output.all(pulumi.Output.all(*refs), fixed).apply(document)


def secret_statements(refs: list[str]) -> list[dict[str, Any]]:
    """`ssm:GetParameter` / `secretsmanager:GetSecretValue` on exactly the referenced
    parameters and secrets (a `:json-key:stage:version` suffix is not part of the ARN)."""
    arns = sorted({secret_policy_arn(r) for r in refs})
    out = []
    parameters = [a for a in arns if ":ssm:" in a]
    secrets = [a for a in arns if ":secretsmanager:" in a]
    if parameters:
        out.append(iam.statement(["ssm:GetParameter"], parameters, sid="ReadServiceParameters"))
    if secrets:
        out.append(
            iam.statement(["secretsmanager:GetSecretValue"], secrets, sid="ReadServiceSecrets")
        )
    return out


# -- routes and metrics -----------------------------------------------------------------


def service_url(spec: ServiceSpec, server: SingleServer) -> pulumi.Output[str]:
    prefix = path_prefix(spec)
    if spec.domain:
        return pulumi.Output.from_input(f"https://{spec.domain}{prefix}")
    plain_hosts = [h for h in spec.hosts if "*" not in h and "?" not in h]
    if plain_hosts:
        scheme = "https" if server.domain else "http"
        return pulumi.Output.from_input(f"{scheme}://{plain_hosts[0]}{prefix}")
    return server.url.apply(lambda base: f"{base}{prefix}")


def metric_namespace(server: SingleServer, service: str) -> str:
    """One namespace per service on a server: filter metrics carry no fixed dimensions."""
    return f"Gridops/SingleServer/{server.identity}/{service}"


def health_filter_pattern(container: ContainerSpec) -> str:
    """Proxy health-check failures of this service's replicas (Caddy logs each failed
    check with the upstream's `host`)."""
    names = container_names(container) or [f"{container.name}-has-no-replicas"]
    hosts = " || ".join(f'$.host = "{name}:{container.port}"' for name in names)
    return f'{{ $.logger = "{HEALTH_LOGGER}" && $.msg != "host is up" && ({hosts}) }}'


def metric_filters(container: ContainerSpec) -> list[tuple[str, str, str, str, str]]:
    """(suffix, pattern, metric name, value, unit) for each metric the proxy's logs give.
    The access log carries `gridops_service` (the route's `log_append`)."""
    mine = f'$.{ACCESS_LOG_SERVICE_FIELD} = "{container.name}"'
    return [
        ("requests", f"{{ {mine} }}", "Requests", "1", "Count"),
        ("5xx", f"{{ {mine} && $.status >= 500 }}", "Http5xx", "1", "Count"),
        ("latency", f"{{ {mine} }}", "Latency", "$.duration", "Seconds"),
        ("health", health_filter_pattern(container), "FailedHealthChecks", "1", "Count"),
    ]


@dataclasses.dataclass(frozen=True)
class SingleServerMetrics:
    """A service's metrics on a SingleServer: the proxy's view of it (log metric filters),
    and the host's CPU and memory (containers share them)."""

    namespace: str
    instance_id: pulumi.Input[str]

    def _proxy(self, name: str, statistic: str, unit: str, label: str) -> Metric:
        return Metric(self.namespace, name, {}, statistic, 60, unit, label)

    def http_5xx(self) -> Metric:
        return self._proxy("Http5xx", "Sum", "Count", "5xx responses")

    def requests(self) -> Metric:
        return self._proxy("Requests", "Sum", "Count", "requests")

    def elb_5xx(self) -> Metric | None:
        # The proxy's own 502/503/504 are in its access log, so already in Http5xx.
        return None

    def latency_p99(self) -> Metric:
        return self._proxy("Latency", "p99", "Seconds", "p99 latency")

    def unhealthy_hosts(self) -> Metric:
        return self._proxy("FailedHealthChecks", "Sum", "Count", "failed proxy health checks")

    def cpu(self) -> Metric:
        dims = {"InstanceId": self.instance_id}
        return Metric("AWS/EC2", "CPUUtilization", dims, "Average", 60, "Percent", "host CPU")

    def memory(self) -> Metric:
        dims = {"InstanceId": self.instance_id}
        return Metric("CWAgent", "mem_used_percent", dims, "Average", 60, "Percent", "host memory")


__all__ = [
    "CHILD_ROLES",
    "Prepared",
    "SingleServerMetrics",
    "build",
    "check",
    "container_spec",
    "host_policy_document",
    "links_database",
    "metric_filters",
    "refuse_unsupported",
]
