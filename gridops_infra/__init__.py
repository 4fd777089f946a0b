"""gridops_infra: Pulumi components that take a startup from one server to autoscaled,
observed AWS on ECS Fargate or EKS, with an offline preview engine to check it all first.

Public API (DESIGN.md section 3): the components, `Slo`, and the testing kit
(`gridops_infra.testing.preview`, `GridopsMocks`).

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from gridops_infra.core.lazy import lazy_exports

if TYPE_CHECKING:
    from gridops_infra.budgets import StackBudget, StackBudgetArgs
    from gridops_infra.cdn.component import CdnFrontend, CdnFrontendArgs
    from gridops_infra.core.validation import ArgError
    from gridops_infra.data.postgres.component import (
        ManagedPostgresWithReplicas,
        ManagedPostgresWithReplicasArgs,
    )
    from gridops_infra.data.redis.component import RedisCache, RedisCacheArgs
    from gridops_infra.delivery import (
        ArgoCdGitOps,
        ArgoCdGitOpsArgs,
        FluxGitOps,
        FluxGitOpsArgs,
        GithubDeployRole,
        GithubDeployRoleArgs,
        GitlabDeployRole,
        GitlabDeployRoleArgs,
    )
    from gridops_infra.flags import FeatureFlags, FeatureFlagsArgs
    from gridops_infra.migration import (
        PostgresReplication,
        PostgresReplicationArgs,
        TrafficCutover,
        TrafficCutoverArgs,
    )
    from gridops_infra.network.component import Network, NetworkArgs
    from gridops_infra.network.reference import NetworkReference
    from gridops_infra.observability import Slo
    from gridops_infra.observability.stack import ObservabilityStack, ObservabilityStackArgs
    from gridops_infra.platforms import (
        EksCluster,
        EksClusterArgs,
        ExpressCluster,
        ExpressClusterArgs,
        FargateCluster,
        FargateClusterArgs,
        LambdaPlatform,
        LambdaPlatformArgs,
        Platform,
        SingleServer,
        SingleServerArgs,
    )
    from gridops_infra.queue import SqsWorkerQueue, SqsWorkerQueueArgs
    from gridops_infra.registry import (
        ContainerRepository,
        ContainerRepositoryArgs,
        ContainerRepositoryReference,
    )
    from gridops_infra.resilience.component import ResilienceDrills, ResilienceDrillsArgs
    from gridops_infra.service import (
        ServiceSpec,
        ServiceSpecArgs,
        StatelessService,
        StatelessServiceArgs,
    )
    from gridops_infra.testing import GridopsMocks, Plan, preview

_EXPORTS = {
    "ArgError": "gridops_infra.core.validation",
    "ArgoCdGitOps": "gridops_infra.delivery",
    "ArgoCdGitOpsArgs": "gridops_infra.delivery.args",
    "CdnFrontend": "gridops_infra.cdn.component",
    "CdnFrontendArgs": "gridops_infra.cdn.args",
    "ContainerRepository": "gridops_infra.registry.component",
    "ContainerRepositoryArgs": "gridops_infra.registry.args",
    "ContainerRepositoryReference": "gridops_infra.registry.reference",
    "EksCluster": "gridops_infra.platforms",
    "EksClusterArgs": "gridops_infra.platforms.eks.args",
    "ExpressCluster": "gridops_infra.platforms",
    "ExpressClusterArgs": "gridops_infra.platforms.express.args",
    "FargateCluster": "gridops_infra.platforms",
    "FeatureFlags": "gridops_infra.flags",
    "FeatureFlagsArgs": "gridops_infra.flags.args",
    "FargateClusterArgs": "gridops_infra.platforms.fargate.args",
    "FluxGitOps": "gridops_infra.delivery",
    "FluxGitOpsArgs": "gridops_infra.delivery.args",
    "GithubDeployRole": "gridops_infra.delivery",
    "GithubDeployRoleArgs": "gridops_infra.delivery.args",
    "GitlabDeployRole": "gridops_infra.delivery",
    "GitlabDeployRoleArgs": "gridops_infra.delivery.args",
    "GridopsMocks": "gridops_infra.testing",
    "LambdaPlatform": "gridops_infra.platforms",
    "LambdaPlatformArgs": "gridops_infra.platforms.serverless.args",
    "ManagedPostgresWithReplicas": "gridops_infra.data.postgres.component",
    "ManagedPostgresWithReplicasArgs": "gridops_infra.data.postgres.args",
    "Network": "gridops_infra.network.component",
    "NetworkArgs": "gridops_infra.network.args",
    "NetworkReference": "gridops_infra.network.reference",
    "ObservabilityStack": "gridops_infra.observability.stack",
    "ObservabilityStackArgs": "gridops_infra.observability.args",
    "Plan": "gridops_infra.testing",
    "Platform": "gridops_infra.platforms",
    "RedisCache": "gridops_infra.data.redis.component",
    "RedisCacheArgs": "gridops_infra.data.redis.args",
    "ResilienceDrills": "gridops_infra.resilience.component",
    "ResilienceDrillsArgs": "gridops_infra.resilience.args",
    "ServiceSpec": "gridops_infra.service",
    "ServiceSpecArgs": "gridops_infra.service.spec.args",
    "SingleServer": "gridops_infra.platforms",
    "SingleServerArgs": "gridops_infra.platforms.single_server.args",
    "PostgresReplication": "gridops_infra.migration.replication",
    "PostgresReplicationArgs": "gridops_infra.migration.args",
    "Slo": "gridops_infra.observability",
    "SqsWorkerQueue": "gridops_infra.queue",
    "SqsWorkerQueueArgs": "gridops_infra.queue.args",
    "StackBudget": "gridops_infra.budgets",
    "StackBudgetArgs": "gridops_infra.budgets.args",
    "StatelessService": "gridops_infra.service",
    "StatelessServiceArgs": "gridops_infra.service.args",
    "TrafficCutover": "gridops_infra.migration.cutover",
    "TrafficCutoverArgs": "gridops_infra.migration.args",
    "preview": "gridops_infra.testing",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "ArgError",
    "ArgoCdGitOps",
    "ArgoCdGitOpsArgs",
    "CdnFrontend",
    "CdnFrontendArgs",
    "ContainerRepository",
    "ContainerRepositoryArgs",
    "ContainerRepositoryReference",
    "EksCluster",
    "EksClusterArgs",
    "ExpressCluster",
    "ExpressClusterArgs",
    "FargateCluster",
    "FargateClusterArgs",
    "FeatureFlags",
    "FeatureFlagsArgs",
    "FluxGitOps",
    "FluxGitOpsArgs",
    "GithubDeployRole",
    "GithubDeployRoleArgs",
    "GitlabDeployRole",
    "GitlabDeployRoleArgs",
    "GridopsMocks",
    "LambdaPlatform",
    "LambdaPlatformArgs",
    "ManagedPostgresWithReplicas",
    "ManagedPostgresWithReplicasArgs",
    "Network",
    "NetworkArgs",
    "NetworkReference",
    "ObservabilityStack",
    "ObservabilityStackArgs",
    "Plan",
    "Platform",
    "PostgresReplication",
    "PostgresReplicationArgs",
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
    "StackBudget",
    "StackBudgetArgs",
    "StatelessService",
    "StatelessServiceArgs",
    "TrafficCutover",
    "TrafficCutoverArgs",
    "preview",
]
