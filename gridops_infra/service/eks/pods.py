"""The pod of a StatelessService on EKS, as plain dicts: the app container, its
sidecars, probes, resources and the Pod Security Standards "restricted" settings.

Pure functions of the spec and resolved values, so tests validate the output with
`kubernetes-validate` and checkov directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gridops_infra.service.spec.parts import Sidecar
from gridops_infra.service.spec.settings import ServiceSpec, default_health_command

APP_PORT_NAME = "http"
PRE_STOP_SLEEP_SECONDS = 10  # the ALB stops sending before the app stops listening
PROBE_PERIOD_SECONDS = 10
STARTUP_PERIOD_SECONDS = 5
MIN_SIDECAR_MILLICORES = 10
DEFAULT_SIDECAR_MEMORY_MIB = 64
ARCHITECTURES = {"ARM64": "arm64", "X86_64": "amd64"}
SPOT_LABEL = "gridops.io/capacity"


def millicores(cpu_units: int) -> int:
    """ECS CPU units (1024 = 1 vCPU) -> Kubernetes millicores (1000m = 1 core)."""
    return round(cpu_units * 1000 / 1024)


def container_resources(cpu_units: int, memory_mib: int) -> dict[str, Any]:
    """Requests equal limits (Guaranteed QoS), like a Fargate task's hard size."""
    amount = {
        "cpu": f"{max(millicores(cpu_units), MIN_SIDECAR_MILLICORES)}m",
        "memory": f"{memory_mib}Mi",
    }
    return {"requests": dict(amount), "limits": dict(amount)}


def split_resources(spec: ServiceSpec) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The task's cpu/memory shared out: each sidecar gets what it reserves (at least
    10m and 64Mi), the app the rest."""
    sidecars = []
    used_cpu = used_memory = 0
    for sidecar in spec.containers:
        cpu = max(sidecar.cpu, 1)
        memory = sidecar.memory or DEFAULT_SIDECAR_MEMORY_MIB
        used_cpu += cpu
        used_memory += memory
        sidecars.append(container_resources(cpu, memory))
    return container_resources(spec.cpu - used_cpu, spec.memory - used_memory), sidecars


def security_context(read_only: bool) -> dict[str, Any]:
    """Pod Security Standards "restricted" for one container."""
    return {
        "allowPrivilegeEscalation": False,
        "privileged": False,
        "readOnlyRootFilesystem": read_only,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def user_ids(user: str | None) -> dict[str, int]:
    """`uid` or `uid:gid` -> runAsUser/runAsGroup (names are refused by the backend)."""
    if not user:
        return {}
    uid, _, gid = user.partition(":")
    ids = {"runAsUser": int(uid)}
    if gid:
        ids["runAsGroup"] = int(gid)
    return ids


def scratch_volume(container: str, index: int) -> str:
    return f"{container}-scratch-{index}"


SecretRefs = Mapping[str, tuple[str, str]]
"""Env name -> (Kubernetes Secret, key) as External Secrets keeps them in sync."""


def env_list(environment: Mapping[str, str], secret_refs: SecretRefs) -> list[dict[str, Any]]:
    """Plain settings, then secrets read from the synced Kubernetes Secrets."""
    env: list[dict[str, Any]] = [{"name": k, "value": environment[k]} for k in sorted(environment)]
    env += [
        {
            "name": k,
            "valueFrom": {"secretKeyRef": {"name": secret_refs[k][0], "key": secret_refs[k][1]}},
        }
        for k in sorted(secret_refs)
    ]
    return env


def exec_command(health_check: Sequence[str]) -> list[str]:
    """An ECS health check (`CMD ...` / `CMD-SHELL ...`) as an exec probe command."""
    if health_check[0] == "CMD-SHELL":
        return ["/bin/sh", "-c", " ".join(health_check[1:])]
    return list(health_check[1:])


def liveness_check(spec: ServiceSpec) -> dict[str, Any] | None:
    """The Kubernetes form of `container_health_check_command`, the container's own check
    (a failing container is restarted, as ECS replaces an unhealthy task): the default,
    an HTTP GET of the health path, becomes an `httpGet` probe (no curl needed in the
    image); a command of the user's an `exec` probe; `[]` no liveness probe (readiness,
    which the ALB's readiness gate follows, still guards traffic)."""
    command = spec.container_health_check_command
    if not command:
        return None
    if command == default_health_command(spec.port, spec.health_check_path):
        return {
            "httpGet": {"path": spec.health_check_path, "port": APP_PORT_NAME, "scheme": "HTTP"}
        }
    return {"exec": {"command": exec_command(command)}}


def app_container(
    spec: ServiceSpec,
    image: str,
    environment: Mapping[str, str],
    secret_refs: SecretRefs,
    resources: dict[str, Any],
) -> dict[str, Any]:
    http = {"path": spec.health_check_path, "port": APP_PORT_NAME, "scheme": "HTTP"}
    startup_failures = max(spec.health_check_grace_period_seconds // STARTUP_PERIOD_SECONDS, 1)
    container: dict[str, Any] = {
        "name": spec.container_name,
        "image": image,
        "imagePullPolicy": "Always",
        "ports": [{"name": APP_PORT_NAME, "containerPort": spec.port, "protocol": "TCP"}],
        "resources": resources,
        "securityContext": {
            **security_context(spec.read_only_root_filesystem),
            **user_ids(spec.user),
        },
        # Startup covers the grace period; then readiness gates traffic, liveness restarts.
        "startupProbe": {
            "httpGet": http,
            "periodSeconds": STARTUP_PERIOD_SECONDS,
            "failureThreshold": startup_failures + 1,
            "timeoutSeconds": 5,
        },
        "readinessProbe": {
            "httpGet": http,
            "periodSeconds": PROBE_PERIOD_SECONDS,
            "failureThreshold": 3,
            "timeoutSeconds": 5,
        },
        "lifecycle": {"preStop": {"sleep": {"seconds": PRE_STOP_SLEEP_SECONDS}}},
    }
    liveness = liveness_check(spec)
    if liveness is not None:
        container["livenessProbe"] = {
            **liveness,
            "periodSeconds": PROBE_PERIOD_SECONDS,
            "failureThreshold": 6,
            "timeoutSeconds": 5,
        }
    env = env_list(environment, secret_refs)
    if env:
        container["env"] = env
    if spec.command:
        container["args"] = list(spec.command)  # ECS `command` overrides the image CMD
    mounts = _mounts(spec.container_name, spec.read_only_root_filesystem, spec.writable_paths)
    if mounts:
        container["volumeMounts"] = mounts
    return container


def sidecar_container(
    sidecar: Sidecar,
    image: str,
    environment: Mapping[str, str],
    secret_refs: SecretRefs,
    resources: dict[str, Any],
) -> dict[str, Any]:
    container: dict[str, Any] = {
        "name": sidecar.name,
        "image": image,
        "imagePullPolicy": "Always",
        "resources": resources,
        "securityContext": {
            **security_context(sidecar.read_only_root_filesystem),
            **user_ids(sidecar.user),
        },
    }
    env = env_list(environment, secret_refs)
    if env:
        container["env"] = env
    if sidecar.command:
        container["args"] = list(sidecar.command)
    if sidecar.port is not None:
        container["ports"] = [
            {"name": f"p{sidecar.port}", "containerPort": sidecar.port, "protocol": "TCP"}
        ]
    if sidecar.health_check_command:
        probe = {"exec": {"command": exec_command(sidecar.health_check_command)}}
        container["livenessProbe"] = {**probe, "periodSeconds": 15, "failureThreshold": 3}
        container["readinessProbe"] = {**probe, "periodSeconds": 15, "failureThreshold": 3}
        if sidecar.app_waits_for == "healthy":
            # A native sidecar's startup probe holds the app back until it passes.
            container["startupProbe"] = {**probe, "periodSeconds": 5, "failureThreshold": 24}
    if sidecar.app_waits_for != "none":
        container["restartPolicy"] = "Always"  # a native sidecar: started before the app
    mounts = _mounts(sidecar.name, sidecar.read_only_root_filesystem, sidecar.writable_paths)
    if mounts:
        container["volumeMounts"] = mounts
    return container


def scratch_volumes(spec: ServiceSpec) -> list[dict[str, Any]]:
    """One emptyDir per writable path of every container with a read-only root."""
    volumes = []
    owners = [(spec.container_name, spec.read_only_root_filesystem, spec.writable_paths)]
    owners += [(s.name, s.read_only_root_filesystem, s.writable_paths) for s in spec.containers]
    for name, read_only, paths in owners:
        if read_only:
            volumes += [
                {"name": scratch_volume(name, i), "emptyDir": {"sizeLimit": "1Gi"}}
                for i in range(len(paths))
            ]
    return volumes


def _mounts(name: str, read_only: bool, paths: tuple[str, ...]) -> list[dict[str, Any]]:
    if not read_only:
        return []
    return [{"name": scratch_volume(name, i), "mountPath": p} for i, p in enumerate(paths)]


__all__ = [
    "APP_PORT_NAME",
    "ARCHITECTURES",
    "app_container",
    "container_resources",
    "millicores",
    "scratch_volumes",
    "sidecar_container",
    "split_resources",
]
