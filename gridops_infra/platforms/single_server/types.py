"""The EC2 instance types a SingleServer may use, per CPU architecture, with their memory.

An allow-list rather than a pattern: a type that does not exist (`t4g.huge`) or does not
match the architecture (`m7i.large` on arm64) is refused before anything is registered,
and the memory table lets services be checked against what the host really has.
Only Nitro families are listed: the bootstrap finds the data volume by its NVMe serial.
"""

from __future__ import annotations

from typing import Literal

Architecture = Literal["arm64", "x86_64"]
ARCHITECTURES: tuple[Architecture, ...] = ("arm64", "x86_64")

# Burstable sizes: (vCPUs, GiB of memory).
_BURSTABLE: dict[str, tuple[int, float]] = {
    "nano": (2, 0.5),
    "micro": (2, 1),
    "small": (2, 2),
    "medium": (2, 4),
    "large": (2, 8),
    "xlarge": (4, 16),
    "2xlarge": (8, 32),
}
_VCPUS = {
    "medium": 1,
    "large": 2,
    "xlarge": 4,
    "2xlarge": 8,
    "4xlarge": 16,
    "8xlarge": 32,
    "12xlarge": 48,
    "16xlarge": 64,
    "24xlarge": 96,
    "32xlarge": 128,
    "48xlarge": 192,
}
_GIB_PER_VCPU = {"c": 2, "m": 4, "r": 8}
_TO_16XL = ("medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")
_LARGE_TO_32XL = (*_TO_16XL[1:], "24xlarge", "32xlarge")
_LARGE_TO_48XL = (*_LARGE_TO_32XL, "48xlarge")
_MEDIUM_TO_48XL = ("medium", *_LARGE_TO_48XL)
# Graviton4 (m8g, c8g, r8g): medium to 16xlarge, then 24xlarge and 48xlarge (no 32xlarge).
_GRAVITON4 = (*_TO_16XL, "24xlarge", "48xlarge")

# family -> sizes it is sold in (metal sizes left out: not a single-server choice).
FAMILIES: dict[Architecture, dict[str, tuple[str, ...]]] = {
    "arm64": {
        "t4g": tuple(_BURSTABLE),
        "m8g": _GRAVITON4,
        "c8g": _GRAVITON4,
        "r8g": _GRAVITON4,
        "m7g": _TO_16XL,
        "c7g": _TO_16XL,
        "r7g": _TO_16XL,
        "m6g": _TO_16XL,
        "c6g": _TO_16XL,
        "r6g": _TO_16XL,
    },
    "x86_64": {
        "t3": tuple(_BURSTABLE),
        "t3a": tuple(_BURSTABLE),
        "m7i": _LARGE_TO_48XL,
        "c7i": _LARGE_TO_48XL,
        "r7i": _LARGE_TO_48XL,
        "m7a": _MEDIUM_TO_48XL,
        "c7a": _MEDIUM_TO_48XL,
        "r7a": _MEDIUM_TO_48XL,
        "m6i": _LARGE_TO_32XL,
        "c6i": _LARGE_TO_32XL,
        "r6i": _LARGE_TO_32XL,
        "m6a": _LARGE_TO_48XL,
        "c6a": _LARGE_TO_48XL,
        "r6a": _LARGE_TO_48XL,
    },
}

# The public SSM parameters naming the latest Amazon Linux 2023 AMI per architecture.
AL2023_AMI_PARAMETER: dict[Architecture, str] = {
    "arm64": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    "x86_64": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
}


def instance_type_error(instance_type: str, architecture: Architecture) -> str | None:
    """Why `instance_type` cannot run a SingleServer of `architecture`, or None."""
    family, _, size = instance_type.partition(".")
    families = FAMILIES[architecture]
    if family not in families:
        other = next((a for a in ARCHITECTURES if family in FAMILIES[a]), None)
        if other is not None:
            return (
                f"{family} is an {other} family; with architecture={architecture!r} use one of "
                + ", ".join(sorted(families))
            )
        return f"expected a {architecture} family: " + ", ".join(sorted(families))
    if size not in families[family]:
        return f"{family} comes in " + ", ".join(families[family])
    return None


def instance_memory_mib(instance_type: str) -> int:
    """The memory of an allowed instance type, in MiB."""
    family, _, size = instance_type.partition(".")
    if family.startswith("t"):
        return int(_BURSTABLE[size][1] * 1024)
    return _VCPUS[size] * _GIB_PER_VCPU[family[0]] * 1024


def instance_vcpus(instance_type: str) -> int:
    family, _, size = instance_type.partition(".")
    if family.startswith("t"):
        return _BURSTABLE[size][0]
    return _VCPUS[size]


__all__ = [
    "AL2023_AMI_PARAMETER",
    "ARCHITECTURES",
    "FAMILIES",
    "Architecture",
    "instance_memory_mib",
    "instance_type_error",
    "instance_vcpus",
]
