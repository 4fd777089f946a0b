"""Where services run. FargateCluster today; EksCluster and SingleServer implement the
same `Platform` protocol (`kind`, `network`, `name`) and get their own service backend."""

from .base import PLATFORM_KINDS, Platform, PlatformKind
from .fargate import FargateCluster, FargateClusterArgs

__all__ = ["PLATFORM_KINDS", "FargateCluster", "FargateClusterArgs", "Platform", "PlatformKind"]
