"""Where services run. FargateCluster today; EksCluster and SingleServer implement the
same `Platform` protocol (`kind`, `network`, `name`) and get their own service backend."""

from .base import PLATFORM_KINDS, Platform, PlatformKind
from .eks import EksCluster, EksClusterArgs
from .fargate import FargateCluster, FargateClusterArgs
from .single_server import SingleServer, SingleServerArgs
from .single_server_compose import ContainerSpec, ProxyRoute
from .single_server_database import SingleServerDatabase

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
