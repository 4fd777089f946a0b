"""Where a FargateCluster's tasks run: AWS Fargate (the default) or Amazon ECS Managed
Instances, read from `capacity` and `managed_instances` into frozen settings.

Managed Instances are EC2 instances ECS launches, patches and retires itself inside the
cluster's capacity provider. The instance types are an allow-list shared with SingleServer
(`platforms/single_server/types.py`), so the capacity provider's vCPU and memory ranges, and
the largest task the instances can hold, are known before anything is registered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from gridops_infra.core.validation import ArgError, ArgReader
from gridops_infra.platforms.single_server.types import (
    instance_memory_mib,
    instance_type_error,
    instance_vcpus,
)

Capacity = Literal["fargate", "managed-instances"]
CAPACITIES: tuple[str, ...] = ("fargate", "managed-instances")
CpuArchitecture = Literal["ARM64", "X86_64"]
CPU_ARCHITECTURES: tuple[str, ...] = ("ARM64", "X86_64")
# The instance requirements' CPU manufacturers per task architecture.
CPU_MANUFACTURERS: dict[str, tuple[str, ...]] = {
    "ARM64": ("amazon-web-services",),
    "X86_64": ("intel", "amd"),
}
DEFAULT_INSTANCE_TYPES: dict[str, tuple[str, ...]] = {
    "ARM64": ("m8g.large", "m8g.xlarge", "m8g.2xlarge"),
    "X86_64": ("m7i.large", "m7i.xlarge", "m7i.2xlarge"),
}
DEFAULT_STORAGE_GIB = 30
MAX_STORAGE_GIB = 16384
"""A gp3 volume's largest size (16 TiB)."""


class ManagedInstancesArgs(TypedDict, total=False):
    """The EC2 instances ECS Managed Instances may launch for the cluster's tasks."""

    cpu_architecture: CpuArchitecture
    """The instances' CPU architecture; every service and worker on the cluster must use
    the same `cpu_architecture` (ECS places a task only on an instance of its own).

    Default: `"ARM64"` (Graviton, the services' default too).
    Example: ``"ARM64"``"""
    instance_types: list[str]
    """EC2 instance types ECS may launch (the capacity provider's allowed instance types;
    its vCPU and memory ranges span them). All of `cpu_architecture`, from the current Nitro
    families: m8g, c8g, r8g, m7g, c7g, r7g, m6g, c6g, r6g (ARM64); m7i, c7i, r7i, m7a, c7a,
    r7a, m6i, c6i, r6i, m6a, c6a, r6a (X86_64); not burstable t types, whose CPU credits
    would undercut the CPU each task reserves. The largest one bounds the largest task (cpu
    and memory) a service may ask for.

    Default: m8g.large, m8g.xlarge and m8g.2xlarge on ARM64; m7i.large, m7i.xlarge and
    m7i.2xlarge on X86_64.
    Example: ``["c8g.large", "c8g.xlarge"]``"""
    storage_gib: int
    """GiB of the tasks' volume on each instance (image layers and container writable
    layers). Allowed: 1..16384.

    Default: 30.
    Example: ``50``"""


@dataclass(frozen=True)
class ManagedInstances:
    """What the cluster's Managed Instances capacity provider may launch."""

    cpu_architecture: str
    instance_types: tuple[str, ...]
    storage_gib: int

    @property
    def vcpus(self) -> tuple[int, int]:
        counts = [instance_vcpus(t) for t in self.instance_types]
        return min(counts), max(counts)

    @property
    def memory_mib(self) -> tuple[int, int]:
        sizes = [instance_memory_mib(t) for t in self.instance_types]
        return min(sizes), max(sizes)

    @property
    def largest_instance_type(self) -> str:
        return max(self.instance_types, key=lambda t: (instance_memory_mib(t), instance_vcpus(t)))

    def requirements(self) -> dict[str, Any]:
        """The capacity provider's `instance_requirements`."""
        vcpu_min, vcpu_max = self.vcpus
        memory_min, memory_max = self.memory_mib
        return {
            "vcpu_count": {"min": vcpu_min, "max": vcpu_max},
            "memory_mib": {"min": memory_min, "max": memory_max},
            "cpu_manufacturers": list(CPU_MANUFACTURERS[self.cpu_architecture]),
            "allowed_instance_types": list(self.instance_types),
            "instance_generations": ["current"],
        }


class _NestedReader(ArgReader):
    """Errors name the nested field: `managed_instances.instance_types=...`."""

    def __init__(self, a: ArgReader, prefix: str, item: Any, allowed: Mapping[str, Any]):
        self.prefix = prefix
        if not isinstance(item, Mapping):
            raise a.fail(prefix, type(item).__name__, "expected a dict")
        unknown = sorted(set(item) - set(allowed), key=str)
        if unknown:
            raise a.fail(
                prefix,
                sorted(map(str, item)),
                f"unknown field(s) {', '.join(map(str, unknown))}; allowed: "
                + ", ".join(sorted(allowed)),
            )
        super().__init__(a.component, a.name, item, allowed)

    def fail(self, field: str, value: Any, allowed: str, *, secret: bool = False) -> ArgError:
        return super().fail(f"{self.prefix}.{field}", value, allowed, secret=secret)


def read_capacity(a: ArgReader) -> tuple[str, ManagedInstances | None]:
    """(`capacity`, the Managed Instances settings when it is `"managed-instances"`)."""
    # Asking for instances asks for Managed Instances; only an explicit "fargate" clashes.
    default = "managed-instances" if a.has("managed_instances") else "fargate"
    capacity = a.choice("capacity", default, CAPACITIES)
    if capacity != "managed-instances":
        if a.has("managed_instances"):
            raise a.fail(
                "managed_instances",
                "<settings>",
                "only with capacity='managed-instances' (on Fargate AWS picks the hosts)",
            )
        return capacity, None
    m = _NestedReader(
        a, "managed_instances", a.raw("managed_instances", {}), ManagedInstancesArgs.__annotations__
    )
    arch = m.choice("cpu_architecture", "ARM64", CPU_ARCHITECTURES)
    if m.has("instance_types"):
        types = m.string_list("instance_types")
        if not types:
            raise m.fail("instance_types", types, "expected at least one EC2 instance type")
    else:
        types = list(DEFAULT_INSTANCE_TYPES[arch])
    family_arch = "arm64" if arch == "ARM64" else "x86_64"
    seen: set[str] = set()
    for instance_type in types:
        problem = instance_type_error(instance_type, family_arch)
        if problem and "family;" in problem:
            problem = f"not a {arch} type (cpu_architecture={arch!r}); {problem.split('; ')[1]}"
        if problem is None and instance_type.startswith("t"):
            problem = "burstable types are not offered: their CPU credits undercut task CPU"
        if problem:
            raise m.fail("instance_types", types, f"{instance_type!r}: {problem}")
        if instance_type in seen:
            raise m.fail("instance_types", types, f"{instance_type!r} is listed twice")
        seen.add(instance_type)
    storage = m.integer("storage_gib", DEFAULT_STORAGE_GIB, 1, MAX_STORAGE_GIB)
    return capacity, ManagedInstances(arch, tuple(types), storage)


__all__ = [
    "CAPACITIES",
    "CPU_ARCHITECTURES",
    "Capacity",
    "CpuArchitecture",
    "ManagedInstances",
    "ManagedInstancesArgs",
    "read_capacity",
]
