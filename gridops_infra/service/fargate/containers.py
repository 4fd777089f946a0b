"""ECS container definitions for a ServiceSpec: the app container and its sidecars.

`container_definitions(spec, resolved)` is pure (plain values in, the JSON-ready list
out) so tests validate it against botocore's RegisterTaskDefinition shape directly;
`container_definitions_json` resolves the Outputs (link settings, secret ARNs, log
group) and renders the JSON the task definition takes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pulumi

from gridops_infra.service.spec.parts import Sidecar
from gridops_infra.service.spec.settings import ServiceSpec

HEALTH_CHECK_TIMING = {"interval": 15, "timeout": 5, "retries": 3}
STOP_TIMEOUT_SECONDS = 30


def scratch_volume(container: str, index: int) -> str:
    return f"{container}-scratch-{index}"


def task_volumes(spec: ServiceSpec) -> list[dict[str, str]]:
    """Task-local scratch volumes (Fargate ephemeral storage) for the writable paths of
    every container whose root filesystem is read-only."""
    volumes = []
    if spec.read_only_root_filesystem:
        volumes += [{"name": scratch_volume(spec.name, i)} for i in range(len(spec.writable_paths))]
    for sidecar in spec.containers:
        if sidecar.read_only_root_filesystem:
            volumes += [
                {"name": scratch_volume(sidecar.name, i)}
                for i in range(len(sidecar.writable_paths))
            ]
    return volumes


def _log_configuration(resolved: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    return {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": resolved["log_group"],
            "awslogs-region": resolved["region"],
            "awslogs-stream-prefix": prefix,
            # Never block the app when CloudWatch Logs is slow; buffer instead.
            "mode": "non-blocking",
            "max-buffer-size": "25m",
        },
    }


def _common(
    name: str,
    image: str,
    environment: Mapping[str, str],
    secrets: Mapping[str, str],
    resolved: Mapping[str, Any],
    *,
    read_only: bool,
    writable_paths: tuple[str, ...],
    command: tuple[str, ...],
    user: str | None,
    health_check: tuple[str, ...],
    start_period: int,
    stop_timeout: int,
) -> dict[str, Any]:
    container: dict[str, Any] = {
        "name": name,
        "image": image,
        "readonlyRootFilesystem": read_only,
        "logConfiguration": _log_configuration(resolved, name),
        "linuxParameters": {"initProcessEnabled": True},
        "stopTimeout": stop_timeout,
    }
    if environment:
        container["environment"] = [
            {"name": k, "value": environment[k]} for k in sorted(environment)
        ]
    if secrets:
        container["secrets"] = [{"name": k, "valueFrom": secrets[k]} for k in sorted(secrets)]
    if read_only and writable_paths:
        container["mountPoints"] = [
            {"sourceVolume": scratch_volume(name, i), "containerPath": path, "readOnly": False}
            for i, path in enumerate(writable_paths)
        ]
    if command:
        container["command"] = list(command)
    if user:
        container["user"] = user
    if health_check:
        container["healthCheck"] = {
            "command": list(health_check),
            **HEALTH_CHECK_TIMING,
            "startPeriod": start_period,
        }
    if resolved.get("pull_secret_arn"):
        container["repositoryCredentials"] = {"credentialsParameter": resolved["pull_secret_arn"]}
    return container


def _sidecar(
    sidecar: Sidecar, resolved: Mapping[str, Any], index: int, stop_timeout: int
) -> dict[str, Any]:
    values = resolved["sidecars"][index]
    container = _common(
        sidecar.name,
        values["image"],
        values["environment"],
        values["secrets"],
        resolved,
        read_only=sidecar.read_only_root_filesystem,
        writable_paths=sidecar.writable_paths,
        command=sidecar.command,
        user=sidecar.user,
        health_check=sidecar.health_check_command,
        start_period=60,
        stop_timeout=stop_timeout,
    )
    container["essential"] = sidecar.essential
    container["cpu"] = sidecar.cpu
    if sidecar.memory is not None:
        container["memory"] = sidecar.memory
    if sidecar.port is not None:
        container["portMappings"] = [
            {"containerPort": sidecar.port, "hostPort": sidecar.port, "protocol": "tcp"}
        ]
    return container


def container_definitions(
    spec: ServiceSpec,
    resolved: Mapping[str, Any],
    *,
    listens: bool = True,
    stop_timeout_seconds: int = STOP_TIMEOUT_SECONDS,
) -> list[dict[str, Any]]:
    """The task's containers from plain values: `resolved` holds `image`, `environment`,
    `secrets` (merged with link grants), `sidecars` (their image/environment/secrets),
    `log_group`, `region` and `pull_secret_arn`. `listens=False` (queue workers): no
    port mapping; `stop_timeout_seconds`: how long ECS waits after SIGTERM (2..120)."""
    app = _common(
        spec.container_name,
        resolved["image"],
        resolved["environment"],
        resolved["secrets"],
        resolved,
        read_only=spec.read_only_root_filesystem,
        writable_paths=spec.writable_paths,
        command=spec.command,
        user=spec.user,
        health_check=spec.container_health_check_command,
        start_period=spec.health_check_grace_period_seconds,
        stop_timeout=stop_timeout_seconds,
    )
    app["essential"] = True
    if listens:
        app["portMappings"] = [
            {"containerPort": spec.port, "hostPort": spec.port, "protocol": "tcp"}
        ]
    waits = [
        {"containerName": s.name, "condition": s.app_waits_for.upper()}
        for s in spec.containers
        if s.app_waits_for != "none"
    ]
    if waits:
        app["dependsOn"] = waits
    sidecars = [
        _sidecar(s, resolved, i, stop_timeout_seconds) for i, s in enumerate(spec.containers)
    ]
    return [app, *sidecars]


def container_definitions_json(
    spec: ServiceSpec,
    *,
    environment: Mapping[str, pulumi.Input[str]],
    secrets: Mapping[str, pulumi.Input[str]],
    log_group: pulumi.Input[str],
    region: str,
    listens: bool = True,
    stop_timeout_seconds: int = STOP_TIMEOUT_SECONDS,
) -> pulumi.Output[str]:
    inputs = {
        "image": spec.image,
        "environment": dict(environment),
        "secrets": dict(secrets),
        "sidecars": [
            {"image": s.image, "environment": dict(s.environment), "secrets": dict(s.secrets)}
            for s in spec.containers
        ],
        "log_group": log_group,
        "region": region,
        "pull_secret_arn": spec.image_pull_secret_arn,
    }
    return pulumi.Output.from_input(inputs).apply(
        lambda resolved: json.dumps(
            container_definitions(
                spec, resolved, listens=listens, stop_timeout_seconds=stop_timeout_seconds
            ),
            sort_keys=True,
        )
    )


__all__ = [
    "container_definitions",
    "container_definitions_json",
    "scratch_volume",
    "task_volumes",
]
