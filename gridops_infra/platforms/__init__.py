"""Where services run. FargateCluster, EksCluster, SingleServer and ExpressCluster (ECS
Express Mode) implement the same `Platform` protocol (`kind`, `network`, `name`) and get their own service backend.
LambdaPlatform runs queue workers only (SqsWorkerQueue's Lambda backend).

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from gridops_infra.core.lazy import lazy_exports

if TYPE_CHECKING:
    from gridops_infra.platforms.base import PLATFORM_KINDS, Platform, PlatformKind
    from gridops_infra.platforms.eks.component import EksCluster, EksClusterArgs
    from gridops_infra.platforms.express.component import ExpressCluster, ExpressClusterArgs
    from gridops_infra.platforms.fargate.component import FargateCluster, FargateClusterArgs
    from gridops_infra.platforms.serverless.component import LambdaPlatform, LambdaPlatformArgs
    from gridops_infra.platforms.single_server.component import SingleServer, SingleServerArgs
    from gridops_infra.platforms.single_server.compose import ContainerSpec, ProxyRoute
    from gridops_infra.platforms.single_server.database import SingleServerDatabase

_EXPORTS = {
    "PLATFORM_KINDS": "gridops_infra.platforms.base",
    "ContainerSpec": "gridops_infra.platforms.single_server.compose",
    "EksCluster": "gridops_infra.platforms.eks.component",
    "EksClusterArgs": "gridops_infra.platforms.eks.component",
    "ExpressCluster": "gridops_infra.platforms.express.component",
    "ExpressClusterArgs": "gridops_infra.platforms.express.component",
    "FargateCluster": "gridops_infra.platforms.fargate.component",
    "FargateClusterArgs": "gridops_infra.platforms.fargate.component",
    "LambdaPlatform": "gridops_infra.platforms.serverless.component",
    "LambdaPlatformArgs": "gridops_infra.platforms.serverless.args",
    "Platform": "gridops_infra.platforms.base",
    "PlatformKind": "gridops_infra.platforms.base",
    "ProxyRoute": "gridops_infra.platforms.single_server.compose",
    "SingleServer": "gridops_infra.platforms.single_server.component",
    "SingleServerArgs": "gridops_infra.platforms.single_server.component",
    "SingleServerDatabase": "gridops_infra.platforms.single_server.database",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "PLATFORM_KINDS",
    "ContainerSpec",
    "EksCluster",
    "EksClusterArgs",
    "ExpressCluster",
    "ExpressClusterArgs",
    "FargateCluster",
    "FargateClusterArgs",
    "LambdaPlatform",
    "LambdaPlatformArgs",
    "Platform",
    "PlatformKind",
    "ProxyRoute",
    "SingleServer",
    "SingleServerArgs",
    "SingleServerDatabase",
]
