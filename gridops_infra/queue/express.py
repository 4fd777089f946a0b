"""The ExpressCluster backend of SqsWorkerQueue: the worker as a plain ECS service on
Fargate in the Express cluster.

ECS Express Mode itself builds only load-balanced web services (every Express service
gets a primary container port, a load balancer rule and a public or internal endpoint),
so a queue worker, which takes no traffic, is not an Express service. The ExpressCluster
is an ordinary ECS cluster with the FARGATE and FARGATE_SPOT capacity providers, so the
worker runs there exactly as on a FargateCluster (`queue/fargate/backend.py`): the same
task definition, roles, security group (nothing comes in), Spot by default, task
scale-in protection, backlog scaling and dead-letter rollback, in the private subnets.
"""

from __future__ import annotations

from typing import Any, cast

from gridops_infra.core import iam
from gridops_infra.core.aws_rules.ecs import (
    CONTAINERS_PER_TASK_DEFINITION,
    MAX_CONTAINERS_PER_TASK_DEFINITION,
)
from gridops_infra.core.links import LinkGrant
from gridops_infra.core.validation import ArgError
from gridops_infra.platforms.express.component import ExpressCluster
from gridops_infra.queue.args import QueueSettings
from gridops_infra.queue.backend import QueueRefs, WorkerOutputs
from gridops_infra.queue.fargate import backend as fargate_worker
from gridops_infra.service.fargate.backend import merge_grants
from gridops_infra.service.fargate.reachability import check_reachability
from gridops_infra.service.spec.settings import ServiceSpec

CHILD_ROLES = fargate_worker.CHILD_ROLES
COMPONENT = "SqsWorkerQueue"


def check(spec: ServiceSpec, platform: Any, settings: QueueSettings) -> LinkGrant:
    """An ExpressCluster, at most 10 containers, link grants without clashing names, and a
    network the worker can start in and poll its queue from."""
    if not isinstance(platform, ExpressCluster):
        raise ArgError(
            f"{COMPONENT} '{spec.name}': platform={type(platform).__name__} is not an "
            "ExpressCluster"
        )
    count = 1 + len(spec.containers) + (1 if spec.tracing else 0)
    if count > MAX_CONTAINERS_PER_TASK_DEFINITION:
        raise CONTAINERS_PER_TASK_DEFINITION.refuse(
            f"{COMPONENT} '{spec.name}'",
            f"containers has {len(spec.containers)} sidecars",
            f"the task would hold {count} containers",
        )
    grant = merge_grants(spec, component=COMPONENT)
    check_reachability(
        spec, grant, platform.network, iam.region_name(), COMPONENT, polls_queue=True
    )
    return grant


def build(
    owner: Any,
    spec: ServiceSpec,
    cluster: ExpressCluster,
    prepared: LinkGrant,
    queue: QueueRefs,
    settings: QueueSettings,
) -> WorkerOutputs:
    # The Fargate worker reads only what both clusters offer: the cluster's name and ARN,
    # its capacity providers and its network.
    return fargate_worker.build(owner, spec, cast(Any, cluster), prepared, queue, settings)


__all__ = ["CHILD_ROLES", "build", "check"]
