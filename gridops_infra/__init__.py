"""gridops_infra: Pulumi components that take a startup from one server to autoscaled,
observed AWS on ECS Fargate or EKS, with an offline preview engine to check it all first.

Public API (DESIGN.md section 3): the components, `Slo`, and the testing kit
(`gridops_infra.testing.preview`, `GridopsMocks`).

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from .core.lazy import lazy_exports

if TYPE_CHECKING:
    from ._validation import ArgError
    from .cdn import CdnFrontend, CdnFrontendArgs
    from .delivery import ArgoCdGitOps, ArgoCdGitOpsArgs, GithubDeployRole, GithubDeployRoleArgs
    from .network import Network, NetworkArgs
    from .network_reference import NetworkReference
    from .observability import Slo
    from .observability.stack import ObservabilityStack, ObservabilityStackArgs
    from .platforms import (
        EksCluster,
        EksClusterArgs,
        FargateCluster,
        FargateClusterArgs,
        Platform,
        SingleServer,
        SingleServerArgs,
    )
    from .postgres import ManagedPostgresWithReplicas, ManagedPostgresWithReplicasArgs
    from .queue import SqsWorkerQueue, SqsWorkerQueueArgs
    from .redis import RedisCache, RedisCacheArgs
    from .resilience import ResilienceDrills, ResilienceDrillsArgs
    from .service import ServiceSpec, ServiceSpecArgs, StatelessService, StatelessServiceArgs
    from .testing import GridopsMocks, Plan, preview

_EXPORTS = {
    "ArgError": "._validation",
    "ArgoCdGitOps": ".delivery",
    "ArgoCdGitOpsArgs": ".delivery",
    "CdnFrontend": ".cdn",
    "CdnFrontendArgs": ".cdn",
    "EksCluster": ".platforms",
    "EksClusterArgs": ".platforms",
    "FargateCluster": ".platforms",
    "FargateClusterArgs": ".platforms",
    "GithubDeployRole": ".delivery",
    "GithubDeployRoleArgs": ".delivery",
    "GridopsMocks": ".testing",
    "ManagedPostgresWithReplicas": ".postgres",
    "ManagedPostgresWithReplicasArgs": ".postgres",
    "Network": ".network",
    "NetworkArgs": ".network",
    "NetworkReference": ".network_reference",
    "ObservabilityStack": ".observability.stack",
    "ObservabilityStackArgs": ".observability.stack",
    "Plan": ".testing",
    "Platform": ".platforms",
    "RedisCache": ".redis",
    "RedisCacheArgs": ".redis",
    "ResilienceDrills": ".resilience",
    "ResilienceDrillsArgs": ".resilience",
    "ServiceSpec": ".service",
    "ServiceSpecArgs": ".service",
    "SingleServer": ".platforms",
    "SingleServerArgs": ".platforms",
    "Slo": ".observability",
    "SqsWorkerQueue": ".queue",
    "SqsWorkerQueueArgs": ".queue",
    "StatelessService": ".service",
    "StatelessServiceArgs": ".service",
    "preview": ".testing",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "ArgError",
    "ArgoCdGitOps",
    "ArgoCdGitOpsArgs",
    "CdnFrontend",
    "CdnFrontendArgs",
    "EksCluster",
    "EksClusterArgs",
    "FargateCluster",
    "FargateClusterArgs",
    "GithubDeployRole",
    "GithubDeployRoleArgs",
    "GridopsMocks",
    "ManagedPostgresWithReplicas",
    "ManagedPostgresWithReplicasArgs",
    "Network",
    "NetworkArgs",
    "NetworkReference",
    "ObservabilityStack",
    "ObservabilityStackArgs",
    "Plan",
    "Platform",
    "RedisCache",
    "RedisCacheArgs",
    "ResilienceDrills",
    "ResilienceDrillsArgs",
    "ServiceSpec",
    "ServiceSpecArgs",
    "SingleServer",
    "SingleServerArgs",
    "Slo",
    "SqsWorkerQueue",
    "SqsWorkerQueueArgs",
    "StatelessService",
    "StatelessServiceArgs",
    "preview",
]
