"""Where services run. FargateCluster today; EksCluster and SingleServer implement the
same `Platform` protocol (`kind`, `network`, `name`) and get their own service backend.

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from ..core.lazy import lazy_exports

if TYPE_CHECKING:
    from .base import PLATFORM_KINDS, Platform, PlatformKind
    from .eks import EksCluster, EksClusterArgs
    from .fargate import FargateCluster, FargateClusterArgs
    from .single_server import SingleServer, SingleServerArgs
    from .single_server_compose import ContainerSpec, ProxyRoute
    from .single_server_database import SingleServerDatabase

_EXPORTS = {
    "PLATFORM_KINDS": ".base",
    "ContainerSpec": ".single_server_compose",
    "EksCluster": ".eks",
    "EksClusterArgs": ".eks",
    "FargateCluster": ".fargate",
    "FargateClusterArgs": ".fargate",
    "Platform": ".base",
    "PlatformKind": ".base",
    "ProxyRoute": ".single_server_compose",
    "SingleServer": ".single_server",
    "SingleServerArgs": ".single_server",
    "SingleServerDatabase": ".single_server_database",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "PLATFORM_KINDS",
    "ContainerSpec",
    "EksCluster",
    "EksClusterArgs",
    "FargateCluster",
    "FargateClusterArgs",
    "Platform",
    "PlatformKind",
    "ProxyRoute",
    "SingleServer",
    "SingleServerArgs",
    "SingleServerDatabase",
]
