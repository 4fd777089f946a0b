"""What every platform a service can run on offers: its kind and its network.

`StatelessService` reads `platform.kind` to pick a backend (see
`gridops_infra.service.component.BACKENDS`); everything else a backend needs it reads
from the concrete platform class it was written for.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

from ..network import Network

PlatformKind = Literal["fargate", "eks", "single-server"]
PLATFORM_KINDS: tuple[PlatformKind, ...] = ("fargate", "eks", "single-server")


@runtime_checkable
class Platform(Protocol):
    """Where a service runs: FargateCluster, EksCluster or SingleServer."""

    kind: PlatformKind
    """Which backend builds services on it: `"fargate"`, `"eks"` or `"single-server"`."""
    network: Network
    """The Network the platform lives in."""

    @property
    def name(self) -> str:
        """The platform component's logical name."""
        ...


__all__ = ["PLATFORM_KINDS", "Platform", "PlatformKind"]
