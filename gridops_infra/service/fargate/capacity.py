"""Where an ECS service on a FargateCluster places its tasks: the capacity provider strategy,
the task definition's compatibility and the platform version, for Fargate (FARGATE, with
FARGATE_SPOT for `spot`) or for the cluster's Managed Instances capacity provider.

On Managed Instances the strategy names that provider only (AWS refuses a strategy mixing
Fargate and Managed Instances providers), the task definition requires MANAGED_INSTANCES
and no platform version is set (platform versions are Fargate's). A task must fit an
instance type the provider may launch, with the instances' CPU architecture; both are
refused here, before anything is registered.
"""

from __future__ import annotations

from typing import Any

from gridops_infra.core.aws_rules.ecs import (
    CAPACITY_STRATEGY_ONE_KIND,
    MANAGED_INSTANCES_TASK_FITS,
)
from gridops_infra.platforms.fargate.capacity import ManagedInstances
from gridops_infra.platforms.single_server.types import instance_memory_mib, instance_vcpus
from gridops_infra.service.spec.settings import ServiceSpec


def _managed(cluster: Any) -> ManagedInstances | None:
    return getattr(cluster, "managed_instances", None)


def check_capacity(spec: ServiceSpec, cluster: Any, component: str) -> None:
    """On Managed Instances: no Fargate Spot, the cluster's architecture, and a task no
    larger than the largest instance type."""
    managed = _managed(cluster)
    if managed is None:
        return
    where = f"{component} '{spec.name}'"
    on = f"FargateCluster '{cluster.name}' has capacity='managed-instances'"
    if spec.spot is not None:
        raise CAPACITY_STRATEGY_ONE_KIND.refuse(
            where,
            "spot",
            f"{on}: the service's strategy would name FARGATE_SPOT beside the cluster's "
            "Managed Instances provider",
        )
    if spec.cpu_architecture != managed.cpu_architecture:
        raise MANAGED_INSTANCES_TASK_FITS.refuse(
            where,
            "cpu_architecture",
            f"{spec.cpu_architecture!r} but {on} with {managed.cpu_architecture} instances "
            f"({', '.join(managed.instance_types)})",
        )
    largest = managed.largest_instance_type
    vcpus, memory = instance_vcpus(largest), instance_memory_mib(largest)
    if spec.cpu > vcpus * 1024:
        raise MANAGED_INSTANCES_TASK_FITS.refuse(
            where,
            "cpu",
            f"{spec.cpu} CPU units but {on} and its largest instance type, {largest}, has "
            f"{vcpus} vCPUs ({vcpus * 1024} units)",
        )
    if spec.memory >= memory:
        raise MANAGED_INSTANCES_TASK_FITS.refuse(
            where,
            "memory",
            f"{spec.memory} MiB but {on} and its largest instance type, {largest}, has "
            f"{memory} MiB installed, of which it registers less for tasks",
        )


def compatibility(cluster: Any) -> str:
    """The task definition's `requires_compatibilities` entry."""
    return "MANAGED_INSTANCES" if _managed(cluster) is not None else "FARGATE"


def strategy(spec: ServiceSpec, cluster: Any) -> list[dict[str, Any]]:
    """The service's capacity provider strategy."""
    capacity = getattr(cluster, "managed_instances_capacity", None)
    if capacity is not None:
        return [{"capacity_provider": capacity.name, "weight": 1, "base": 0}]
    if spec.spot is None:
        return [{"capacity_provider": "FARGATE", "weight": 1, "base": 0}]
    s = spec.spot
    entries = [
        {"capacity_provider": "FARGATE", "weight": s.on_demand_weight, "base": s.on_demand_base},
        {"capacity_provider": "FARGATE_SPOT", "weight": s.weight, "base": s.base},
    ]
    return [e for e in entries if e["weight"] or e["base"]]


def placement(spec: ServiceSpec, cluster: Any) -> dict[str, Any]:
    """The ECS service's strategy and, on Fargate only, its platform version."""
    out: dict[str, Any] = {"capacity_provider_strategies": strategy(spec, cluster)}
    if _managed(cluster) is None:
        out["platform_version"] = "LATEST"
    return out


__all__ = ["check_capacity", "compatibility", "placement", "strategy"]
