"""What the EKS backend of StatelessService checks before registering anything: the
spec features EKS cannot run as asked, and the cluster it needs (architecture, Spot
nodes, External Secrets, a free route on the shared ALB). `check_pods` holds the checks
every Deployment shares, so SqsWorkerQueue's EKS backend runs them too."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gridops_infra.core.links import LinkGrant
from gridops_infra.core.validation import ArgError
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.service.eks import pod_security as eks_pod_security
from gridops_infra.service.eks.manifests import CATCH_ALL_ORDER
from gridops_infra.service.fargate.backend import merge_grants
from gridops_infra.service.spec.settings import ServiceSpec

DEFAULT_ROLLBACK_5XX_PERCENT = 5.0
DEFAULT_LOG_RETENTION_DAYS = 30
DEFAULT_EGRESS_PORTS = (443,)

INGRESS_HOST = r"(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
NUMERIC_USER = r"\d+(:\d+)?"


@dataclass
class Prepared:
    """What `check` settled before anything was registered."""

    namespace: str
    on_fargate: bool
    grant: LinkGrant = field(default_factory=LinkGrant)
    priority: int | None = None
    """The listener-rule priority on the cluster's internal ALB (behind a VPC origin)."""


def check(spec: ServiceSpec, platform: Any) -> Prepared:
    """What EKS cannot run as asked, refused before anything is registered."""
    cluster = eks_cluster(spec, platform)
    refuse = refuser(spec.name)
    if spec.deployment_strategy != "rolling":
        raise refuse(
            "deployment_strategy",
            spec.deployment_strategy,
            "EKS services roll out with a RollingUpdate (maxUnavailable 0, ALB readiness "
            "gates); blue-green/canary/linear need a progressive-delivery controller gridops "
            "does not install yet",
        )
    if spec.scheduled_scaling:
        raise refuse(
            "scheduled_scaling",
            len(spec.scheduled_scaling),
            "the HorizontalPodAutoscaler has no schedules (not built yet on EKS)",
        )
    if spec.rollback_5xx_percent != DEFAULT_ROLLBACK_5XX_PERCENT:
        raise refuse(
            "rollback_5xx_percent",
            spec.rollback_5xx_percent,
            "it is the threshold of the ECS deployment's 5xx rollback alarm; on EKS `pulumi "
            "up` fails when the rollout does not become ready, no alarm rolls it back",
        )
    if spec.priority is not None and spec.priority >= CATCH_ALL_ORDER:
        raise refuse(
            "priority",
            spec.priority,
            f"on EKS it becomes the Ingress's alb.ingress.kubernetes.io/group.order, which the "
            f"Load Balancer Controller accepts up to {CATCH_ALL_ORDER} and gridops keeps "
            f"{CATCH_ALL_ORDER} for catch-all routes: use 1..{CATCH_ALL_ORDER - 1}",
        )
    if spec.requests_per_target:
        raise refuse(
            "requests_per_target",
            spec.requests_per_target,
            "scale on cpu_target_percent / memory_target_percent (request-count scaling is "
            "not built on EKS)",
        )
    if spec.max_count > max(spec.min_count, 1) and not (
        spec.cpu_target_percent or spec.memory_target_percent
    ):
        raise refuse(
            "cpu_target_percent",
            0,
            "the HorizontalPodAutoscaler needs cpu_target_percent or memory_target_percent above 0",
        )
    for host in spec.hosts:
        if not re.fullmatch(INGRESS_HOST, host):
            raise refuse(
                "hosts", host, "an Ingress host is a DNS name with at most a leading '*.' wildcard"
            )
    prepared = check_pods(spec, cluster)
    cluster.reserve_route(spec.name, spec.hosts, spec.path_patterns)
    cluster.reserve_namespace(prepared.namespace, f"StatelessService '{spec.name}'")
    eks_pod_security.reserve(spec, cluster, prepared.on_fargate, "StatelessService")
    return prepared


def refuse_log_retention(
    spec: ServiceSpec, cluster: EksCluster, refuse: Callable[[str, Any, str], ArgError]
) -> None:
    """Pods' logs go where the cluster ships them (the CloudWatch Observability add-on's
    `/aws/containerinsights/<cluster>/application` group, one for every workload), not to a
    log group per workload: a retention other than the default must be the cluster's."""
    days = spec.log_retention_days
    settings = cluster.settings
    if days == DEFAULT_LOG_RETENTION_DAYS or (
        settings.container_insights and days == settings.container_log_retention_days
    ):
        return
    where = (
        f"container_log_retention_days={settings.container_log_retention_days}; set it "
        "there for every workload"
        if settings.container_insights
        else "no log group (container_insights=False)"
    )
    raise refuse(
        "log_retention_days",
        days,
        f"pods' logs go to the cluster's Container Insights log group, which has {where}",
    )


def eks_cluster(
    spec: ServiceSpec, platform: Any, component: str = "StatelessService"
) -> EksCluster:
    """`platform` as an EksCluster, or the refusal naming what it is."""
    if not isinstance(platform, EksCluster):
        raise ArgError(
            f"{component} '{spec.name}': platform={type(platform).__name__} is not an EksCluster"
        )
    return platform


def refuser(name: str, component: str = "StatelessService") -> Callable[[str, Any, str], ArgError]:
    """`refuse(field, value, why)`: the error for a field EKS cannot run as given."""

    def refuse(field_name: str, value: Any, why: str) -> ArgError:
        return ArgError(
            f"{component} '{name}': {field_name}={value!r} is not allowed on EksCluster; {why}"
        )

    return refuse


def check_pods(
    spec: ServiceSpec, platform: EksCluster, component: str = "StatelessService"
) -> Prepared:
    """The checks of every Deployment gridops runs on EKS (services and queue workers):
    rollback, users, architecture, Spot, secrets; returns the namespace and link grants."""
    refuse = refuser(spec.name, component)
    if spec.enable_execute_command:
        raise refuse(
            "enable_execute_command",
            True,
            "ECS Exec is Fargate's; on EKS use `kubectl exec` (granted through the cluster's "
            "access entries)",
        )
    if spec.internet_egress_ports != DEFAULT_EGRESS_PORTS:
        raise refuse(
            "internet_egress_ports",
            list(spec.internet_egress_ports),
            "pods reach the internet through the nodes' security group, which per-workload "
            "port limits are not built for on EKS; leave it out (or run on FargateCluster)",
        )
    refuse_log_retention(spec, platform, refuse)
    for sidecar in spec.containers:
        if sidecar.essential:
            raise refuse(
                "containers",
                f"{sidecar.name}: essential=True",
                "Kubernetes restarts a stopped container in place (restartPolicy Always) and "
                "has no way to stop the whole pod with it; leave essential out",
            )
    if spec.rollback_alarm_names or spec.slo_rollback:
        raise refuse(
            "rollback_alarm_names" if spec.rollback_alarm_names else "slo_rollback",
            True,
            "alarm-driven rollback is an ECS deployment feature; on EKS `pulumi up` fails "
            "when the rollout does not become ready",
        )
    for user in [spec.user, *(s.user for s in spec.containers)]:
        if user and (not re.fullmatch(NUMERIC_USER, user) or user.split(":")[0] == "0"):
            raise refuse(
                "user",
                user,
                "Kubernetes runs containers as a numeric non-root uid[:gid], e.g. '10001:10001'",
            )
    namespace = spec.name
    clash = platform.check_namespace(namespace, f"{component} '{spec.name}'")
    if clash:
        raise refuse("name", spec.name, clash)
    on_fargate = namespace in platform.fargate_namespaces
    arch = "x86_64" if spec.cpu_architecture == "X86_64" else "arm64"
    if on_fargate and arch == "arm64":
        raise refuse(
            "cpu_architecture",
            spec.cpu_architecture,
            f"namespace '{namespace}' runs on EKS Fargate, which runs x86_64 pods only",
        )
    if not on_fargate and arch != platform.settings.architecture:
        raise refuse(
            "cpu_architecture",
            spec.cpu_architecture,
            f"the cluster's nodes are {platform.settings.architecture}",
        )
    if spec.spot is not None and on_fargate:
        raise refuse(
            "spot",
            "set",
            f"namespace '{namespace}' runs on EKS Fargate, which has no Spot capacity",
        )
    if spec.spot is not None and platform.settings.spot is None:
        raise refuse("spot", "set", "the cluster has no Spot node group (EksCluster spot=True)")
    grant = merge_grants(spec, component=component)
    has_secrets = (
        spec.secrets
        or grant.secrets
        or spec.image_pull_secret_arn
        or any(s.secrets for s in spec.containers)
    )
    if has_secrets and not platform.settings.external_secrets:
        raise refuse("secrets", "set", "the cluster was created with external_secrets=False")
    eks_pod_security.check(spec, platform, on_fargate, component)
    return Prepared(namespace, on_fargate, grant)
