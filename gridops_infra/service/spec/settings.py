"""ServiceSpec: the validated, platform-neutral description of one stateless service.

`ServiceSpec.from_args(name, args)` checks every field (types, ranges, AWS and
Kubernetes limits, cross-field rules) and raises a ValueError naming the field before
anything is registered; each platform backend then builds from the frozen result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pulumi

from gridops_infra.core.aws_rules.application_autoscaling import MIN_NOT_ABOVE_MAX
from gridops_infra.core.aws_rules.checks import integer_within, refuse_arg
from gridops_infra.core.aws_rules.ecs import CONTAINER_HEALTH_CHECK, FARGATE_TASK_SIZE
from gridops_infra.core.aws_rules.elb import (
    DEREGISTRATION_DELAY,
    LISTENER_RULE_PRIORITY,
    RULE_CONDITION_VALUES,
)
from gridops_infra.core.links import Linkable, link_network_problem
from gridops_infra.core.logs import retention_days
from gridops_infra.core.physical_names import physical_name
from gridops_infra.core.validation import ArgReader, check_name
from gridops_infra.platforms.dns import check_domain
from gridops_infra.service.spec.args import ServiceSpecArgs
from gridops_infra.service.spec.checks import (
    ALARM_NAME,
    HEALTH_CHECK_PATH,
    HOST_PATTERN,
    MAX_RULE_VALUES,
    PATH_PATTERN,
    SECRETS_MANAGER_ARN,
    WORKLOAD_NAME,
    fargate_size_error,
)
from gridops_infra.service.spec.parts import (
    ScheduledScaling,
    Sidecar,
    Spot,
    read_env,
    read_image,
    read_scheduled,
    read_sidecars,
    read_spot,
    read_writable_paths,
)
from gridops_infra.service.spec.secrets import read_secrets
from gridops_infra.service.spec.statements import read_statements

MAX_TASKS = 5000
MAX_PRIORITY = 50000  # ALB listener rule priorities: 1..50000
STRATEGIES = ("rolling", "blue-green", "canary", "linear")


def check_service_name(component: str, name: Any) -> str:
    """The workload's name on every platform (ECS service, Kubernetes objects, compose
    service): `name` itself when it is a lowercase DNS label of at most
    MAX_WORKLOAD_NAME characters, else a label derived from it (`core/physical_names.py`).
    Any component name of letters, digits, hyphens and underscores is accepted."""
    check_name(component, name)
    return physical_name(name, WORKLOAD_NAME)


@dataclass(frozen=True)
class ServiceSpec:
    """Everything a platform needs to run one stateless HTTP service. Frozen; mappings
    are read-only views. See `ServiceSpecArgs` for each field's meaning and default."""

    name: str
    image: pulumi.Input[str]
    port: int
    cpu: int
    memory: int
    min_count: int
    max_count: int
    health_check_path: str
    health_check_grace_period_seconds: int
    container_health_check_command: tuple[str, ...]
    environment: Mapping[str, pulumi.Input[str]]
    secrets: Mapping[str, pulumi.Input[str]]
    command: tuple[str, ...]
    links: tuple[Linkable, ...]
    containers: tuple[Sidecar, ...]
    cpu_architecture: str
    log_retention_days: int
    read_only_root_filesystem: bool
    writable_paths: tuple[str, ...]
    user: str | None
    path_patterns: tuple[str, ...]
    hosts: tuple[str, ...]
    priority: int | None
    domain: str | None
    zone_id: str | None
    deregistration_delay_seconds: int
    cpu_target_percent: int
    memory_target_percent: int
    requests_per_target: int
    scale_in_cooldown_seconds: int
    scale_out_cooldown_seconds: int
    scheduled_scaling: tuple[ScheduledScaling, ...]
    deployment_strategy: str
    bake_time_minutes: int
    traffic_step_percent: float | None
    traffic_step_minutes: int
    rollback_alarm_names: tuple[pulumi.Input[str], ...]
    rollback_5xx_percent: float
    slo_rollback: bool
    spot: Spot | None
    enable_execute_command: bool
    internet_egress_ports: tuple[int, ...]
    task_statements: tuple[Mapping[str, Any], ...]
    image_pull_secret_arn: str | None
    tracing: bool = False
    given: frozenset[str] = frozenset()
    """The arguments the caller set, so a platform can refuse exactly those it cannot
    honour and state what it does instead of the others' defaults."""

    @property
    def container_name(self) -> str:
        """The app container's name (the service name)."""
        return self.name

    @classmethod
    def from_args(
        cls,
        name: str,
        args: ServiceSpecArgs | Mapping[str, Any] | None,
        *,
        component: str = "StatelessService",
        extra_fields: Iterable[str] = (),
    ) -> ServiceSpec:
        """Validate `args` and return the spec; `extra_fields` are accepted and ignored
        (the component's own `platform`, `tags`, `transforms`)."""
        workload = check_service_name(component, name)
        allowed = [*ServiceSpecArgs.__annotations__, *extra_fields]
        a = ArgReader(component, name, args, allowed)
        if not a.has("image"):
            raise a.fail("image", None, "it is required, e.g. 'ghcr.io/acme/api:1.4.2'")
        image = read_image(a, "image", a.raw("image"))
        port = a.integer("port", 8080, 1, 65535)
        cpu = a.integer("cpu", 256)
        memory = a.integer("memory", 512)
        size_error = fargate_size_error(cpu, memory)
        if size_error:
            field = "memory" if "with cpu" in size_error else "cpu"
            value = memory if field == "memory" else cpu
            raise refuse_arg(FARGATE_TASK_SIZE, a, field, value, size_error)
        min_count = a.integer("min_count", 2, 0, MAX_TASKS)
        max_count = a.integer("max_count", max(10, min_count), 1, MAX_TASKS)
        if min_count > max_count:
            raise refuse_arg(
                MIN_NOT_ABOVE_MAX,
                a,
                "min_count",
                min_count,
                f"must not exceed max_count={max_count}",
            )
        health_path = a.string(
            "health_check_path", "/", HEALTH_CHECK_PATH, "expected a path starting with '/'"
        )
        env = read_env(a, "environment")
        secrets = read_secrets(a, "secrets")
        both = sorted(set(env) & set(secrets))
        if both:
            raise a.fail("environment", both, "these names are already in secrets")
        containers = read_sidecars(a, name, cpu, memory, port)
        routing = _routing(a, name)
        strategy = a.choice("deployment_strategy", "rolling", STRATEGIES)
        return cls(
            name=workload,
            image=image,
            port=port,
            cpu=cpu,
            memory=memory,
            min_count=min_count,
            max_count=max_count,
            health_check_path=health_path,
            health_check_grace_period_seconds=integer_within(
                CONTAINER_HEALTH_CHECK, a, "health_check_grace_period_seconds", 60, 0, 300
            ),
            container_health_check_command=_health_command(a, port, health_path),
            environment=MappingProxyType(env),
            secrets=MappingProxyType(secrets),
            command=tuple(a.string_list("command")),
            links=_links(a),
            containers=containers,
            cpu_architecture=a.choice("cpu_architecture", "ARM64", ("ARM64", "X86_64")),
            log_retention_days=retention_days(a, "log_retention_days", 30),
            read_only_root_filesystem=a.boolean("read_only_root_filesystem", True),
            writable_paths=read_writable_paths(a, "writable_paths"),
            user=a.optional_string(
                "user",
                r"[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?",
                "expected user, uid or uid:gid",
            ),
            **routing,
            deregistration_delay_seconds=integer_within(
                DEREGISTRATION_DELAY, a, "deregistration_delay_seconds", 30, 0, 3600
            ),
            cpu_target_percent=a.integer("cpu_target_percent", 60, 0, 100),
            memory_target_percent=a.integer("memory_target_percent", 0, 0, 100),
            requests_per_target=a.integer("requests_per_target", 0, 0, 1_000_000),
            scale_in_cooldown_seconds=a.integer("scale_in_cooldown_seconds", 300, 0, 3600),
            scale_out_cooldown_seconds=a.integer("scale_out_cooldown_seconds", 60, 0, 3600),
            scheduled_scaling=read_scheduled(a, MAX_TASKS),
            deployment_strategy=strategy,
            **_deployment(a, strategy),
            rollback_alarm_names=_alarm_names(a),
            rollback_5xx_percent=a.number("rollback_5xx_percent", 5.0, 0.1, 100.0),
            slo_rollback=a.boolean("slo_rollback", False),
            spot=read_spot(a),
            enable_execute_command=a.boolean("enable_execute_command", False),
            internet_egress_ports=_ports(a),
            task_statements=read_statements(a, "task_statements"),
            image_pull_secret_arn=a.optional_string(
                "image_pull_secret_arn",
                SECRETS_MANAGER_ARN,
                "expected a Secrets Manager ARN (the registry credentials stay in the secret)",
                secret=True,
            ),
            tracing=a.boolean("tracing", False),
            given=frozenset(k for k in ServiceSpecArgs.__annotations__ if a.has(k)),
        )


def default_health_command(port: int, path: str) -> tuple[str, ...]:
    """The container health check a spec gets when it names none: an HTTP GET of the
    health path (platforms with a native HTTP probe use that instead)."""
    return ("CMD-SHELL", f"curl -fsS http://localhost:{port}{path} > /dev/null || exit 1")


def _health_command(a: ArgReader, port: int, path: str) -> tuple[str, ...]:
    if "container_health_check_command" not in a.args:
        return default_health_command(port, path)
    command = a.string_list("container_health_check_command")
    if command and command[0] not in ("CMD", "CMD-SHELL"):
        raise a.fail(
            "container_health_check_command", command, "expected [] or ['CMD' | 'CMD-SHELL', ...]"
        )
    return tuple(command)


def _links(a: ArgReader) -> tuple[Linkable, ...]:
    links = a.sequence("links")
    for link in links:
        if not isinstance(link, Linkable):
            raise a.fail(
                "links",
                type(link).__name__,
                "expected components with link_grant() and allow_from() (Postgres, Redis, queues)",
            )
        problem = link_network_problem(a.raw("platform"), link)
        if problem:
            raise a.fail("links", type(link).__name__, problem)
    return tuple(links)


def _routing(a: ArgReader, name: str) -> dict[str, Any]:
    domain = check_domain("StatelessService", name, a.raw("domain"), a.raw("zone_id"))
    hosts = a.string_list("hosts")
    for host in hosts:
        if not re.fullmatch(HOST_PATTERN, host):
            raise a.fail("hosts", hosts, f"{host!r} is not a host name (wildcards * ? allowed)")
    if domain and domain[0] not in (h.lower() for h in hosts):
        hosts = [*hosts, domain[0]]  # the service's own domain always routes to it
    paths = a.string_list("path_patterns")
    for path in paths:
        if not re.fullmatch(PATH_PATTERN, path):
            raise a.fail(
                "path_patterns", paths, f"{path!r}: expected a path starting with '/', <= 128 chars"
            )
    if not paths and not hosts:
        paths = ["/*"]
    if len(paths) + len(hosts) > MAX_RULE_VALUES:
        raise refuse_arg(
            RULE_CONDITION_VALUES,
            a,
            "path_patterns",
            paths,
            f"{len(paths) + len(hosts)} values across hosts and path_patterns",
        )
    priority = None
    if a.has("priority"):
        priority = integer_within(LISTENER_RULE_PRIORITY, a, "priority", None, 1, MAX_PRIORITY)
    return {
        "path_patterns": tuple(paths),
        "hosts": tuple(h.lower() for h in hosts),
        "priority": priority,
        "domain": domain[0] if domain else None,
        "zone_id": domain[1] if domain else None,
    }


def _deployment(a: ArgReader, strategy: str) -> dict[str, Any]:
    if strategy == "rolling":
        for field in ("bake_time_minutes", "traffic_step_percent", "traffic_step_minutes"):
            if a.has(field):
                raise a.fail(field, a.raw(field), "only with blue-green, canary or linear")
        return {"bake_time_minutes": 0, "traffic_step_percent": None, "traffic_step_minutes": 0}
    bake = a.integer("bake_time_minutes", 5, 0, 1440)
    if strategy == "blue-green":
        for field in ("traffic_step_percent", "traffic_step_minutes"):
            if a.has(field):
                raise a.fail(field, a.raw(field), "only with canary or linear")
        return {"bake_time_minutes": bake, "traffic_step_percent": None, "traffic_step_minutes": 0}
    lo, default = (0.1, 10.0) if strategy == "canary" else (3.0, 20.0)
    return {
        "bake_time_minutes": bake,
        "traffic_step_percent": a.number("traffic_step_percent", default, lo, 100.0),
        "traffic_step_minutes": a.integer("traffic_step_minutes", 5, 0, 1440),
    }


def _alarm_names(a: ArgReader) -> tuple[pulumi.Input[str], ...]:
    names = a.sequence("rollback_alarm_names")
    for alarm in names:
        if isinstance(alarm, pulumi.Output):
            continue
        if not isinstance(alarm, str) or not re.fullmatch(ALARM_NAME, alarm):
            raise a.fail("rollback_alarm_names", names, "expected CloudWatch alarm names")
    return tuple(names)


def _ports(a: ArgReader) -> tuple[int, ...]:
    ports = a.sequence("internet_egress_ports") if a.has("internet_egress_ports") else [443]
    for port in ports:
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise a.fail("internet_egress_ports", ports, "expected TCP ports from 1 to 65535")
    return tuple(sorted(set(ports)))


__all__ = ["ServiceSpec", "check_service_name", "default_health_command"]
