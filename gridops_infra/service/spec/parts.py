"""The nested parts of a ServiceSpec (sidecars, scheduled scaling, spot) and the field
readers ServiceSpec.from_args shares with them."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pulumi

from gridops_infra.core.aws_rules.application_autoscaling import (
    MIN_NOT_ABOVE_MAX,
    SCHEDULE_EXPRESSION,
)
from gridops_infra.core.aws_rules.checks import refuse_arg
from gridops_infra.core.validation import ArgError, ArgReader
from gridops_infra.service.spec.args import ScheduledScalingArgs, SidecarArgs, SpotArgs
from gridops_infra.service.spec.checks import (
    ENV_NAME,
    MAX_CONTAINER_NAME,
    SERVICE_NAME,
    image_error,
    schedule_error,
    timezone_error,
)
from gridops_infra.service.spec.secrets import read_secrets

WRITABLE_PATH = r"/[A-Za-z0-9._/-]*"


@dataclass(frozen=True)
class Sidecar:
    """One extra container in the service's task (see `SidecarArgs`)."""

    name: str
    image: pulumi.Input[str]
    cpu: int
    memory: int | None
    essential: bool
    port: int | None
    environment: Mapping[str, pulumi.Input[str]]
    secrets: Mapping[str, pulumi.Input[str]]
    command: tuple[str, ...]
    health_check_command: tuple[str, ...]
    app_waits_for: str
    read_only_root_filesystem: bool
    writable_paths: tuple[str, ...]
    user: str | None


@dataclass(frozen=True)
class ScheduledScaling:
    """One scheduled change of the autoscaling bounds."""

    schedule: str
    min_count: int
    max_count: int
    timezone: str


@dataclass(frozen=True)
class Spot:
    """The FARGATE / FARGATE_SPOT split."""

    weight: int
    base: int
    on_demand_weight: int
    on_demand_base: int


class NestedReader(ArgReader):
    """An ArgReader for one item of a list field: errors say `containers[1].cpu=...`."""

    def __init__(self, a: ArgReader, prefix: str, item: Any, allowed: Mapping[str, Any]):
        self.prefix = prefix
        # The item itself is never printed: it may hold `secrets` or environment values.
        if not isinstance(item, Mapping):
            raise a.fail(self.prefix, type(item).__name__, "expected a dict")
        unknown = sorted(set(item) - set(allowed), key=str)
        if unknown:
            raise a.fail(
                self.prefix,
                sorted(map(str, item), key=str),
                f"unknown field(s) {', '.join(map(str, unknown))}; allowed: "
                + ", ".join(sorted(allowed)),
            )
        super().__init__(a.component, a.name, item, allowed)

    def fail(self, field: str, value: Any, allowed: str, *, secret: bool = False) -> ArgError:
        return super().fail(f"{self.prefix}.{field}", value, allowed, secret=secret)


def read_image(a: ArgReader, field: str, value: Any) -> pulumi.Input[str]:
    if isinstance(value, pulumi.Output):
        return value  # built elsewhere in the program (e.g. an ECR image); checked by ECS
    if not isinstance(value, str):
        raise a.fail(field, value, "expected a container image reference string")
    problem = image_error(value)
    if problem:
        raise a.fail(field, value, problem)
    return value


def read_env(a: ArgReader, field: str) -> dict[str, pulumi.Input[str]]:
    env = a.mapping(field)
    for key, value in env.items():
        if not isinstance(key, str) or not re.fullmatch(ENV_NAME, key):
            raise a.fail(field, key, "names must match [A-Za-z_][A-Za-z0-9_]*")
        if not isinstance(value, str | pulumi.Output):
            raise a.fail(field, {key: value}, 'values must be strings (quote numbers: "8080")')
    return {
        key: refuse_secret(a, field, key, value) if isinstance(value, pulumi.Output) else value
        for key, value in sorted(env.items())
    }


def refuse_secret(
    a: ArgReader, field: str, key: str, value: pulumi.Output[Any]
) -> pulumi.Output[Any]:
    """`value`, failing once it resolves if it is a Pulumi secret: a plain environment
    value is stored readable (the ECS task definition, the Kubernetes manifest, the
    compose file), so a secret belongs in `secrets` as a Secrets Manager / SSM reference.
    Whether an Output is secret is known only when it resolves, so this is the one
    check that cannot run before registration."""
    message = (
        f"{a.component} '{a.name}': {field}[{key!r}] is not allowed to be a Pulumi secret; "
        "environment values are stored in plain text on the platform. Store it in Secrets "
        "Manager or SSM Parameter Store and pass its ARN in `secrets` instead"
    )

    async def checked() -> Any:
        if await value.is_secret():
            raise ArgError(message)
        return await value.future(with_unknowns=True)

    # Tasks, not bare coroutines: when the check fails the Output never awaits the rest.
    return pulumi.Output(
        asyncio.ensure_future(value.resources()),
        asyncio.ensure_future(checked()),
        asyncio.ensure_future(value.is_known()),
        asyncio.ensure_future(value.is_secret()),
    )


def read_writable_paths(a: ArgReader, field: str) -> tuple[str, ...]:
    paths = a.string_list(field) if field in a.args else ["/tmp"]
    for path in paths:
        if not re.fullmatch(WRITABLE_PATH, path) or path == "/" or "//" in path:
            raise a.fail(field, paths, f"{path!r}: expected absolute paths below /")
    if len(set(paths)) != len(paths):
        raise a.fail(field, paths, "paths must be distinct")
    return tuple(paths)


def read_sidecars(
    a: ArgReader, service: str, cpu: int, memory: int, app_port: int | None = None
) -> tuple[Sidecar, ...]:
    sidecars = []
    names = {service}
    # Containers of one task or pod share its network namespace: one port, one container.
    ports = {app_port: service} if app_port is not None else {}
    for i, item in enumerate(a.sequence("containers")):
        s = NestedReader(a, f"containers[{i}]", item, SidecarArgs.__annotations__)
        name = s.string("name", None, SERVICE_NAME, "expected a lowercase DNS label")
        if len(name) > MAX_CONTAINER_NAME:
            raise s.fail(
                "name",
                name,
                f"at most {MAX_CONTAINER_NAME} characters (it has {len(name)}): Kubernetes "
                "container names are DNS labels, and the same spec runs on EKS",
            )
        if name in names:
            raise s.fail("name", name, "container names must be unique and differ from the service")
        names.add(name)
        if not s.has("image"):
            raise s.fail("image", None, "it is required")
        health = tuple(s.string_list("health_check_command"))
        waits = s.choice("app_waits_for", "none", ("none", "start", "healthy"))
        if waits == "healthy" and not health:
            raise s.fail("app_waits_for", waits, "'healthy' needs a health_check_command")
        env, secrets = read_env(s, "environment"), read_secrets(s, "secrets")
        port = s.optional_integer("port", 1, 65535)
        if port is not None and port in ports:
            raise s.fail("port", port, f"already used by container {ports[port]!r} of this task")
        if port is not None:
            ports[port] = name
        sidecars.append(
            Sidecar(
                name=name,
                image=read_image(s, "image", s.raw("image")),
                cpu=s.integer("cpu", 0, 0, cpu - 1),
                memory=s.optional_integer("memory", 6, memory - 1),
                essential=s.boolean("essential", False),
                port=port,
                environment=MappingProxyType(env),
                secrets=MappingProxyType(secrets),
                command=tuple(s.string_list("command")),
                health_check_command=health,
                app_waits_for=waits,
                read_only_root_filesystem=s.boolean("read_only_root_filesystem", True),
                writable_paths=read_writable_paths(s, "writable_paths"),
                user=s.optional_string("user", r"[A-Za-z0-9_][A-Za-z0-9_.:-]*"),
            )
        )
    if sum(c.cpu for c in sidecars) >= cpu:
        raise a.fail("containers", [c.name for c in sidecars], f"sidecar cpu must stay below {cpu}")
    if sum(c.memory or 0 for c in sidecars) >= memory:
        raise a.fail(
            "containers", [c.name for c in sidecars], f"sidecar memory must stay below {memory}"
        )
    return tuple(sidecars)


def read_scheduled(a: ArgReader, max_tasks: int) -> tuple[ScheduledScaling, ...]:
    out = []
    for i, item in enumerate(a.sequence("scheduled_scaling")):
        s = NestedReader(a, f"scheduled_scaling[{i}]", item, ScheduledScalingArgs.__annotations__)
        schedule = s.string("schedule", None)
        problem = schedule_error(schedule)
        if problem:
            raise refuse_arg(SCHEDULE_EXPRESSION, s, "schedule", schedule, problem)
        lo = s.integer("min_count", None, 0, max_tasks)
        hi = s.integer("max_count", None, 1, max_tasks)
        if lo > hi:
            raise refuse_arg(
                MIN_NOT_ABOVE_MAX, s, "min_count", lo, f"must not exceed max_count={hi}"
            )
        tz = s.string("timezone", "UTC")
        problem = timezone_error(tz)
        if problem:
            raise s.fail("timezone", tz, problem)
        out.append(ScheduledScaling(schedule, lo, hi, tz))
    return tuple(out)


def read_spot(a: ArgReader) -> Spot | None:
    if not a.has("spot"):
        return None
    s = NestedReader(a, "spot", a.raw("spot"), SpotArgs.__annotations__)
    spot = Spot(
        weight=s.integer("weight", 1, 0, 1000),
        base=s.integer("base", 0, 0, 100000),
        on_demand_weight=s.integer("on_demand_weight", 1, 0, 1000),
        on_demand_base=s.integer("on_demand_base", 0, 0, 100000),
    )
    if spot.base and spot.on_demand_base:
        raise s.fail("base", spot.base, "only one of base and on_demand_base may be above 0")
    if spot.weight + spot.on_demand_weight == 0:
        raise s.fail("weight", 0, "weight and on_demand_weight cannot both be 0")
    return spot


__all__ = ["NestedReader", "ScheduledScaling", "Sidecar", "Spot"]
