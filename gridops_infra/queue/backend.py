"""The contract between SqsWorkerQueue and one platform's worker backend.

A backend is a module (`queue/fargate/backend.py`, `queue/eks/backend.py`,
`queue/single_server.py`, `queue/express.py`, `queue/serverless/backend.py` for a
LambdaPlatform, registered in `gridops_infra.queue.WORKER_BACKENDS`) with:

- `CHILD_ROLES`: the child roles it creates (the keys `transforms` may use);
- `check(spec, platform, settings) -> prepared`: platform-specific validation before
  anything is registered; raises ValueError;
- `build(owner, spec, platform, prepared, queue, settings) -> WorkerOutputs`: creates the
  worker with `owner.child(...)`: its image running with the queue URL in `QUEUE_URL`,
  receive/delete rights on this queue only, scaling on backlog per task, scale from zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import pulumi

from gridops_infra.core.metrics import Metric
from gridops_infra.queue.args import QueueSettings
from gridops_infra.queue.sqs import QueueMetrics
from gridops_infra.service.spec.settings import ServiceSpec


@dataclass(frozen=True)
class QueueRefs:
    """What a worker backend needs to know about the queue it consumes."""

    name: str
    """The component's logical name."""
    url: pulumi.Output[str]
    arn: pulumi.Output[str]
    queue_name: pulumi.Output[str]
    """The physical queue name (the `QueueName` metric dimension)."""
    kms_key_arn: str | None
    metrics: QueueMetrics
    """CloudWatch metrics of the queue and its dead-letter queue."""


@dataclass
class WorkerOutputs:
    """What a worker backend hands back to SqsWorkerQueue."""

    service_name: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    task_role: pulumi.Resource
    task_role_arn: pulumi.Output[str]
    execution_role_arn: pulumi.Output[str] | None
    container_definitions: pulumi.Output[str] | None = None
    """The worker's container definitions JSON (Fargate), for review and tests."""
    policy_documents: dict[str, pulumi.Output[str]] = field(default_factory=dict)
    """Every IAM policy document attached to the worker's roles, by role."""
    utilization: tuple[Metric, ...] = ()
    """The workers' CPU and memory, percent of what they reserve (none on a SingleServer,
    whose host alarms watch the machine the workers share)."""


class WorkerBackend(Protocol):
    """One platform's way of running a queue worker (a module satisfies it)."""

    CHILD_ROLES: tuple[str, ...]

    def check(self, spec: ServiceSpec, platform: Any, settings: QueueSettings) -> Any: ...

    def build(
        self,
        owner: Any,
        spec: ServiceSpec,
        platform: Any,
        prepared: Any,
        queue: QueueRefs,
        settings: QueueSettings,
    ) -> WorkerOutputs: ...


__all__ = ["QueueRefs", "WorkerBackend", "WorkerOutputs"]
