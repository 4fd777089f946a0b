"""A link's sidecars (`LinkGrant.sidecars`, e.g. the AppConfig agent of a FeatureFlags) on
one host: each is a compose service of its own in the workload's fragment, since compose
services do not share localhost the way an ECS task's or a pod's containers do.

The sidecar is on the `web` network only (it calls its AWS API through the host's
internet egress), publishes no host port (the workload reaches it by its compose service
name), runs as its unprivileged user with a read-only root and a tmpfs `/tmp`, and is
restarted like every container here. It calls AWS with the instance role, which it reaches
through IMDSv2 from the bridge network: the instance's hop limit of 2 allows that for
every container already (`instance.py`)."""

from __future__ import annotations

from collections.abc import Sequence

from gridops_infra.core.links import LinkSidecar
from gridops_infra.platforms.single_server.compose import WEB_NETWORK, ContainerSpec

SIDECAR_MEMORY_MB = 128
"""The memory limit of one sidecar container (the AppConfig agent keeps only the flags it
serves in memory); the host's admission counts it."""
SIDECAR_WRITABLE_PATHS = ("/tmp",)


def sidecar_service_name(workload: str, sidecar: LinkSidecar) -> str:
    """The compose service (and DNS name on the compose network) of one sidecar."""
    return f"{workload}-{sidecar.name}"


def sidecar_containers(workload: str, sidecars: Sequence[LinkSidecar]) -> tuple[ContainerSpec, ...]:
    """The compose services of `sidecars`, one replica each: every replica of the workload
    reads the same configuration, so one agent serves them all."""
    return tuple(
        ContainerSpec(
            name=sidecar_service_name(workload, sidecar),
            image=sidecar.image,
            environment=dict(sidecar.environment),
            networks=(WEB_NETWORK,),
            memory_mb=SIDECAR_MEMORY_MB,
            user=sidecar.user,
            read_only=True,
            tmpfs=SIDECAR_WRITABLE_PATHS,
            extra={"labels": {"gridops.service": workload, "gridops.sidecar": sidecar.name}},
        )
        for sidecar in sidecars
    )


def sidecar_environment(workload: str, sidecars: Sequence[LinkSidecar]) -> dict[str, str]:
    """The workload's variables that name its sidecars, by their compose service names."""
    return {
        variable: build(sidecar_service_name(workload, sidecar))
        for sidecar in sidecars
        for variable, build in sidecar.endpoints.items()
    }


__all__ = [
    "SIDECAR_MEMORY_MB",
    "sidecar_containers",
    "sidecar_environment",
    "sidecar_service_name",
]
