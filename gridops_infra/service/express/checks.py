"""What a ServiceSpec may ask of ECS Express Mode: every field Express cannot carry is
refused when given, naming it and pointing to FargateCluster, before anything registers.

Express takes one primary container (image, port, command, environment, secrets, logs,
repository credentials), a health check path, cpu/memory, subnets and security groups,
and one scaling target; ECS owns the load balancer, its listener rule and target group,
the deployment (a canary with its own rollback alarms) and the scaling policy. Fields
whose defaults Express cannot honour either are not refused when left out: the
ExpressCluster's docstring says what ECS does instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gridops_infra.core.aws_rules import AwsRule
from gridops_infra.core.aws_rules.ecs_express import (
    EXPRESS_MAX_CPU,
    EXPRESS_MAX_MEMORY,
    EXPRESS_ONE_SCALING_METRIC,
    EXPRESS_PRIMARY_CONTAINER,
    EXPRESS_TASK_SIZE,
)
from gridops_infra.core.validation import ArgError
from gridops_infra.service.spec.settings import ServiceSpec

FARGATE = "run the service on a FargateCluster, which builds it"

# Given field -> why Express Mode cannot do it (the rest of each message is shared).
MANAGED_BY_ECS: dict[str, str] = {
    "health_check_grace_period_seconds": "ECS sets the grace period of an Express service",
    "path_patterns": "ECS routes an Express service by its own host name on the shared "
    "load balancer, not by path",
    "hosts": "ECS routes an Express service by the host name it assigns (an AWS-provided "
    "domain), not by hosts you choose",
    "priority": "ECS orders the listener rules of the shared load balancer itself",
    "domain": "an Express service is served on its AWS-provided domain; a custom domain "
    "needs a CdnFrontend with its own domain in front of it",
    "zone_id": "an Express service has no custom domain (see domain)",
    "deregistration_delay_seconds": "ECS owns the Express service's target group",
    "scale_in_cooldown_seconds": "ECS owns the Express service's scaling policy",
    "scale_out_cooldown_seconds": "ECS owns the Express service's scaling policy",
    "scheduled_scaling": "ECS owns the Express service's scalable target",
    "deployment_strategy": "ECS deploys every revision of an Express service as its own canary",
    "bake_time_minutes": "ECS deploys every revision of an Express service as its own canary",
    "traffic_step_percent": "ECS deploys every revision of an Express service as its own canary",
    "traffic_step_minutes": "ECS deploys every revision of an Express service as its own canary",
    "rollback_alarm_names": "ECS rolls an Express deployment back on the alarms it creates; "
    "the API takes no others",
    "slo_rollback": "ECS rolls an Express deployment back on the alarms it creates; the API "
    "takes no others",
    "rollback_5xx_percent": "ECS rolls an Express deployment back on the alarms it creates",
    "spot": "an Express service runs on the FARGATE capacity provider only",
    "enable_execute_command": "the Express API has no execute-command setting",
}
# Given field -> what the primary container cannot carry.
NOT_IN_PRIMARY_CONTAINER: dict[str, str] = {
    "containers": "sidecars",
    "container_health_check_command": "a container health check",
    "user": "a user",
    "writable_paths": "volumes",
    "tracing": "the tracing collector (a sidecar)",
}


@dataclass(frozen=True)
class Scaling:
    """The one metric an Express service tracks, and its target."""

    metric: str
    target: int


def check_spec(spec: ServiceSpec, cluster: Any) -> Scaling:
    """Refuse what Express cannot run; return the scaling target it can."""
    where = f"StatelessService '{spec.name}'"
    on = f"on ExpressCluster '{cluster.name}'"

    def refused(field: str, value: Any, why: str) -> ArgError:
        return ArgError(f"{where}: {field}={value!r} is not allowed {on}; {why}; or {FARGATE}")

    def refused_by(rule: AwsRule, field: str, value: Any, detail: str) -> ArgError:
        return rule.refuse(where, f"{field}={value!r} is not allowed {on}", detail)

    for field, what in NOT_IN_PRIMARY_CONTAINER.items():
        if _asks(spec, field):
            raise refused_by(
                EXPRESS_PRIMARY_CONTAINER,
                field,
                _shown(spec, field),
                f"an Express service's one container has no place for {what}",
            )
    if "read_only_root_filesystem" in spec.given and spec.read_only_root_filesystem:
        raise refused_by(
            EXPRESS_PRIMARY_CONTAINER,
            "read_only_root_filesystem",
            True,
            "the Express API has no root filesystem setting; its tasks' root filesystem is "
            "writable",
        )
    if "cpu_architecture" in spec.given and spec.cpu_architecture != "X86_64":
        raise refused(
            "cpu_architecture",
            spec.cpu_architecture,
            "Express Mode runs its tasks on X86_64 (the provider's Express API has no "
            "architecture setting); build the image for X86_64 and set it, or leave it out",
        )
    for field, why in MANAGED_BY_ECS.items():
        if _asks(spec, field):
            raise refused(field, _shown(spec, field), why)
    if spec.cpu > EXPRESS_MAX_CPU or spec.memory > EXPRESS_MAX_MEMORY:
        field = "cpu" if spec.cpu > EXPRESS_MAX_CPU else "memory"
        raise refused_by(
            EXPRESS_TASK_SIZE,
            field,
            getattr(spec, field),
            f"cpu={spec.cpu}, memory={spec.memory} is larger than an Express task",
        )
    return _scaling(spec, refused_by, refused)


def _scaling(spec: ServiceSpec, refused_by: Any, refused: Any) -> Scaling:
    chosen = [
        (field, metric, value)
        for field, metric, value in (
            ("cpu_target_percent", "AVERAGE_CPU", spec.cpu_target_percent),
            ("memory_target_percent", "AVERAGE_MEMORY", spec.memory_target_percent),
            ("requests_per_target", "REQUEST_COUNT_PER_TARGET", spec.requests_per_target),
        )
        if value
    ]
    if len(chosen) > 1:
        field, _, value = next((c for c in chosen[1:] if c[0] in spec.given), chosen[-1])
        raise refused_by(
            EXPRESS_ONE_SCALING_METRIC,
            field,
            value,
            f"it would track {', '.join(c[0] for c in chosen)} together",
        )
    if not chosen:
        raise refused(
            "cpu_target_percent",
            0,
            "an Express service always tracks one metric (give cpu_target_percent, "
            "memory_target_percent or requests_per_target)",
        )
    _, metric, value = chosen[0]
    return Scaling(metric, value)


def _asks(spec: ServiceSpec, field: str) -> bool:
    """The caller set `field` to something: a false flag or an empty list asks for
    nothing Express lacks (stage programs pass `tracing: False`, for one)."""
    value = getattr(spec, field)
    return field in spec.given and value is not False and value not in ((), None)


def _shown(spec: ServiceSpec, field: str) -> Any:
    """The value as the message shows it: lists and mappings by their size."""
    value = getattr(spec, field)
    if field == "containers":
        return [c.name for c in value]
    if field == "scheduled_scaling":
        return f"<{len(value)} schedules>"
    if field == "spot":
        return "set"
    if isinstance(value, tuple):
        return list(value)
    return value


__all__ = ["MANAGED_BY_ECS", "NOT_IN_PRIMARY_CONTAINER", "Scaling", "check_spec"]
