"""What a migration needs to know about each stage, read from its offline Plan and the
Plan's own cost and timing estimates: where its PostgreSQL lives, whether it has a worker
queue, what its front door is, and which components a neighbour stage can share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gridops_infra.analysis.cost.report import CostReport
from gridops_infra.analysis.graph import PlanIndex
from gridops_infra.analysis.timing.estimate import TimingReport

if TYPE_CHECKING:
    from gridops_infra.testing import Plan

MANAGED_POSTGRES = "gridops:aws:ManagedPostgresWithReplicas"
SINGLE_SERVER = "gridops:aws:SingleServer"
WORKER_QUEUE = "gridops:aws:SqsWorkerQueue"
CLOUDFRONT = "aws:cloudfront/distribution:Distribution"
EBS_VOLUME = "aws:ebs/volume:Volume"
SQS_QUEUE = "aws:sqs/queue:Queue"

SHAREABLE_COMPONENTS = ("Network", "ManagedPostgresWithReplicas", "RedisCache")
"""The tier two stages with the same managed database keep in one stack and share while
both run (docs/migration.md: the app stacks read it through a StackReference)."""


@dataclass(frozen=True)
class StageSide:
    """One stage of the move, as its Plan shows it."""

    stage: str
    project: str
    stack: str
    cost: CostReport
    timing: TimingReport
    managed_postgres: bool
    """It runs ManagedPostgresWithReplicas (Aurora/RDS)."""
    own_postgres_gb: float | None
    """A SingleServer's data volume (its PostgreSQL lives there): size in GB, else None."""
    has_worker_queue: bool
    visibility_timeout_seconds: float
    """The longest visibility timeout of its queues: how long an in-flight message may take."""
    behind_cloudfront: bool
    """Its front door is a CloudFront distribution (a Route 53 alias target: free queries)."""

    @property
    def monthly_usd(self) -> float:
        return self.cost.total

    def component_costs(self, short_types: tuple[str, ...]) -> dict[str, float]:
        """Monthly cost of each component (`Type/name`) whose type is in `short_types`."""
        return {
            name: value
            for name, value in self.cost.by_component().items()
            if name.split("/", 1)[0] in short_types
        }


def read_side(stage: str, plan: Plan, cost: CostReport, timing: TimingReport) -> StageSide:
    index = PlanIndex(plan)
    types = {r.type for r in plan.resources}
    volume_gb = [
        float(r.inputs.get("size") or 0)
        for r in plan.of_type(EBS_VOLUME)
        if (owner := index.component_of(r)) is not None and owner.type == SINGLE_SERVER
    ]
    timeouts = [
        float(q.inputs.get("visibilityTimeoutSeconds") or 30) for q in plan.of_type(SQS_QUEUE)
    ]
    return StageSide(
        stage=stage,
        project=cost.project,
        stack=cost.stack,
        cost=cost,
        timing=timing,
        managed_postgres=MANAGED_POSTGRES in types,
        own_postgres_gb=sum(volume_gb) if SINGLE_SERVER in types and volume_gb else None,
        has_worker_queue=WORKER_QUEUE in types,
        visibility_timeout_seconds=max(timeouts, default=0.0),
        behind_cloudfront=CLOUDFRONT in types,
    )
