"""StatelessService: one spec, built by the backend of whatever platform it runs on."""

from __future__ import annotations

from typing import cast

import pulumi

from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.lazy import EveryBackendsRoles, LazyModules
from gridops_infra.core.metrics import Metric
from gridops_infra.core.validation import ArgError, ArgReader
from gridops_infra.platforms.base import PLATFORM_KINDS, Platform
from gridops_infra.service.args import StatelessServiceArgs
from gridops_infra.service.backend import ServiceBackend, ServiceOutputs, slo_alarm_name
from gridops_infra.service.spec.settings import ServiceSpec

COMPONENT_FIELDS = ("platform", "tags", "transforms")

# Platform kind -> the backend module that builds a ServiceSpec there (`CHILD_ROLES` /
# `check` / `build`, see backend.py), imported when a service first runs on that kind.
BACKENDS: LazyModules[ServiceBackend] = LazyModules(
    "gridops_infra.service",
    {
        "fargate": "gridops_infra.service.fargate.backend",
        "eks": "gridops_infra.service.eks.backend",
        "single-server": "gridops_infra.service.single_server",
        "express": "gridops_infra.service.express.backend",
    },
)
if set(BACKENDS) != set(PLATFORM_KINDS):
    raise ImportError("StatelessService: BACKENDS must cover every platform kind")


def backend_for(name: str, platform: Platform) -> ServiceBackend:
    """The backend for `platform` (every platform kind has one; `name` is for the
    record)."""
    return BACKENDS[platform.kind]


class StatelessService(GridopsComponent):
    """A stateless HTTP service from one platform-neutral spec: the same args run on
    Fargate, EKS or a single server, only `platform` changes.

    The spec is validated in full (`ServiceSpec.from_args`), then the platform's backend
    checks what only it knows (e.g. listener-rule conflicts), and only then is anything
    registered. On Fargate: task definition, separate execution and task roles, its own
    security group, target group and listener rule on the cluster's ALB, ECS service
    with circuit breaker and alarm rollback, autoscaling.

    Example: `StatelessService("api", {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2",
    "port": 8080, "cpu": 512, "memory": 1024, "min_count": 2, "max_count": 20})`
    """

    TYPE = "gridops:aws:StatelessService"
    CHILD_ROLES = cast("tuple[str, ...]", EveryBackendsRoles(BACKENDS))

    spec: ServiceSpec
    """The validated spec the service was built from."""
    platform: Platform
    """Where it runs."""
    url: pulumi.Output[str]
    """Where clients reach it: `https://<domain>`, or the cluster's URL plus its path."""
    service_name: pulumi.Output[str]
    """The platform's name for it (the ECS service name on Fargate)."""
    security_group_id: pulumi.Output[str]
    """The tasks' security group: linked resources admit this group."""
    target_group_arn: pulumi.Output[str] | None
    """The ALB target group receiving its traffic (Fargate)."""
    task_role: pulumi.Resource
    """The workload's own IAM role (link grants land here)."""
    task_role_arn: pulumi.Output[str]
    """The task role's ARN."""
    execution_role_arn: pulumi.Output[str] | None
    """The role the platform uses to pull the image, write logs and read secrets."""
    deployment_alarm_names: pulumi.Output[list[str]]
    """Every alarm that rolls a deployment back."""
    policy_documents: dict[str, pulumi.Output[str]]
    """Every IAM policy document attached to the service's roles, by role."""
    slo_alarm_name: str
    """The alarm name ObservabilityStack gives the composite of this service's fast-burn
    SLO alarms; with `slo_rollback`, deployments roll back when it fires."""
    kubernetes_namespace: str | None
    """On EKS, the namespace the service's pods run in; None on other platforms."""

    def __init__(
        self,
        name: str,
        args: StatelessServiceArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        spec = ServiceSpec.from_args(name, args, extra_fields=COMPONENT_FIELDS)
        a = ArgReader("StatelessService", name, args, StatelessServiceArgs.__annotations__)
        platform = a.raw("platform")
        if not isinstance(platform, Platform) or platform.kind not in PLATFORM_KINDS:
            got = "nothing" if platform is None else type(platform).__name__
            raise ArgError(
                f"StatelessService '{name}': platform={got} is not allowed; expected a "
                "FargateCluster, EksCluster, SingleServer or ExpressCluster"
            )
        backend = backend_for(name, platform)
        transforms = check_transforms(
            "StatelessService", name, a.raw("transforms"), backend.CHILD_ROLES
        )
        prepared = backend.check(spec, platform)

        super().__init__(
            name,
            opts,
            transforms=transforms,
            tags=a.mapping("tags"),
            child_roles=tuple(backend.CHILD_ROLES),
        )
        self.spec = spec
        self.platform = platform
        self.slo_alarm_name = slo_alarm_name(name)
        self.kubernetes_namespace = prepared.namespace if platform.kind == "eks" else None
        out: ServiceOutputs = backend.build(self, spec, platform, prepared)
        self._metrics = out.metrics
        self.url = out.url
        self.service_name = out.service_name
        self.security_group_id = out.security_group_id
        self.target_group_arn = out.target_group_arn
        self.task_role = out.task_role
        self.task_role_arn = out.task_role_arn
        self.execution_role_arn = out.execution_role_arn
        self.deployment_alarm_names = out.deployment_alarm_names
        self.policy_documents = out.policy_documents
        self.register_outputs(
            {
                "url": self.url,
                "service_name": self.service_name,
                "security_group_id": self.security_group_id,
                "target_group_arn": self.target_group_arn,
                "task_role_arn": self.task_role_arn,
                "execution_role_arn": self.execution_role_arn,
                "deployment_alarm_names": self.deployment_alarm_names,
            }
        )

    def metric_5xx(self) -> Metric:
        """5xx responses from the app (ALB `HTTPCode_Target_5XX_Count`, Sum)."""
        return self._metrics.http_5xx()

    def metric_elb_5xx(self) -> Metric | None:
        """5xx the load balancer made itself (ALB `HTTPCode_ELB_5XX_Count`, Sum: 502, 503
        with no healthy target, 504), per load balancer: on an ALB several services
        share, every one of them is charged all of them. None on a SingleServer, whose
        proxy logs its own 502/503/504 with the service's other responses (`metric_5xx`)."""
        return self._metrics.elb_5xx()

    def metric_requests(self) -> Metric:
        """Requests the app received (ALB `RequestCount`, Sum)."""
        return self._metrics.requests()

    def metric_latency_p99(self) -> Metric:
        """99th percentile response time in seconds (ALB `TargetResponseTime`, p99)."""
        return self._metrics.latency_p99()

    def metric_unhealthy_hosts(self) -> Metric:
        """Tasks failing the load balancer health check (`UnHealthyHostCount`, Maximum)."""
        return self._metrics.unhealthy_hosts()

    def metric_reader_lag(self) -> list[Metric]:
        """How stale the reads of linked databases with readers can be: each linked
        ManagedPostgresWithReplicas' replica lag (RDS `ReplicaLag` in seconds per replica,
        Aurora `AuroraReplicaLagMaximum` in milliseconds). A service reading
        `<DB>_READER_HOST` sees that lag; ObservabilityStack alarms on it for the service."""
        lags: list[Metric] = []
        for link in self.spec.links:
            lag = getattr(link, "metric_replica_lag", None)
            if lag is not None:
                lags.extend(lag())
        return lags

    def metric_cpu(self) -> Metric:
        """Average CPU utilization of the tasks, percent."""
        return self._metrics.cpu()

    def metric_memory(self) -> Metric:
        """Average memory utilization of the tasks, percent."""
        return self._metrics.memory()


__all__ = ["BACKENDS", "StatelessService", "StatelessServiceArgs", "backend_for"]
