"""gridops_infra: Pulumi components that take a startup from one server to autoscaled,
observed AWS on ECS Fargate or EKS, with an offline preview engine to check it all first.

Public API (DESIGN.md section 3): the components, `Slo`, and the testing kit
(`gridops_infra.testing.preview`, `GridopsMocks`).
"""

from .cdn import CdnFrontend, CdnFrontendArgs
from .delivery import ArgoCdGitOps, GithubDeployRole, GithubDeployRoleArgs
from .network import Network, NetworkArgs
from .observability import Slo
from .observability.stack import ObservabilityStack, ObservabilityStackArgs
from .platforms import EksCluster, FargateCluster, Platform, SingleServer
from .postgres import ManagedPostgresWithReplicas, ManagedPostgresWithReplicasArgs
from .queue import SqsWorkerQueue, SqsWorkerQueueArgs
from .redis import RedisCache, RedisCacheArgs
from .resilience import ResilienceDrills, ResilienceDrillsArgs
from .service import ServiceSpec, StatelessService
from .testing import GridopsMocks, Plan, preview

__all__ = [
    "ArgoCdGitOps",
    "CdnFrontend",
    "CdnFrontendArgs",
    "EksCluster",
    "FargateCluster",
    "GithubDeployRole",
    "GithubDeployRoleArgs",
    "GridopsMocks",
    "ManagedPostgresWithReplicas",
    "ManagedPostgresWithReplicasArgs",
    "Network",
    "NetworkArgs",
    "ObservabilityStack",
    "ObservabilityStackArgs",
    "Plan",
    "Platform",
    "RedisCache",
    "RedisCacheArgs",
    "ResilienceDrills",
    "ResilienceDrillsArgs",
    "ServiceSpec",
    "SingleServer",
    "Slo",
    "SqsWorkerQueue",
    "SqsWorkerQueueArgs",
    "StatelessService",
    "preview",
]
