"""What every platform a service can run on offers: its kind and its network.

`StatelessService` reads `platform.kind` to pick a backend (see
`gridops_infra.service.component.BACKENDS`); everything else a backend needs it reads
from the concrete platform class it was written for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:  # pure at run time: the compose renderer imports this module
    from gridops_infra.network.component import Network

PlatformKind = Literal["fargate", "eks", "single-server", "express"]
PLATFORM_KINDS: tuple[PlatformKind, ...] = ("fargate", "eks", "single-server", "express")
ORIGIN_VERIFY_HEADER = "X-Origin-Verify"
"""The header a CdnFrontend sends with the platform's origin secret (`behind_cdn`)."""


@runtime_checkable
class Platform(Protocol):
    """Where a service runs: FargateCluster, EksCluster, SingleServer or ExpressCluster."""

    kind: PlatformKind
    """Which backend builds services on it: `"fargate"`, `"eks"`, `"single-server"` or
    `"express"`."""
    network: Network
    """The Network the platform lives in."""

    @property
    def name(self) -> str:
        """The platform component's logical name."""
        ...


__all__ = ["ORIGIN_VERIFY_HEADER", "PLATFORM_KINDS", "Platform", "PlatformKind"]
