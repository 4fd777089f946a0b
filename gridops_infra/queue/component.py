"""SqsWorkerQueue: an encrypted SQS queue with a dead-letter queue, and the workers that
drain it on the same platform as the services, scaled on backlog per task."""

from __future__ import annotations

from typing import Any, cast

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.lazy import EveryBackendsRoles, LazyModules
from gridops_infra.core.links import LinkGrant
from gridops_infra.core.metrics import Metric
from gridops_infra.core.validation import ArgError, ArgReader
from gridops_infra.platforms.base import PLATFORM_KINDS, Platform
from gridops_infra.platforms.serverless.component import LAMBDA_KIND, LambdaPlatform
from gridops_infra.queue.args import (
    QueueSettings,
    SqsWorkerQueueArgs,
    env_prefix,
    read_settings,
    worker_spec,
)
from gridops_infra.queue.backend import QueueRefs, WorkerBackend
from gridops_infra.queue.iam import send_statements
from gridops_infra.queue.scaling import BacklogScaling
from gridops_infra.queue.sqs import ROLES as QUEUE_ROLES
from gridops_infra.queue.sqs import build_queues, queue_alarms
from gridops_infra.service.spec.settings import ServiceSpec, check_service_name

COMPONENT = "SqsWorkerQueue"

# Platform kind -> the backend module that runs the worker there (`CHILD_ROLES` / `check`
# / `build`, see backend.py), imported when a worker first runs on that kind.
OWN_ROLES = (*QUEUE_ROLES, "send_policy")
"""The queue's own child roles, whatever the platform."""

WORKER_BACKENDS: LazyModules[WorkerBackend] = LazyModules(
    "gridops_infra.queue",
    {
        "fargate": "gridops_infra.queue.fargate.backend",
        "eks": "gridops_infra.queue.eks.backend",
        "single-server": "gridops_infra.queue.single_server",
        "express": "gridops_infra.queue.express",
        LAMBDA_KIND: "gridops_infra.queue.serverless.backend",
    },
)
WORKER_PLATFORM_KINDS = (*PLATFORM_KINDS, LAMBDA_KIND)
"""Where workers run: every service platform, and Lambda (workers only)."""


if set(WORKER_BACKENDS) != set(WORKER_PLATFORM_KINDS):
    raise ImportError(f"{COMPONENT}: WORKER_BACKENDS must cover every platform kind")


def worker_backend_for(name: str, platform: Platform | LambdaPlatform) -> WorkerBackend:
    """The backend for `platform` (every platform kind has one; `name` is for the
    record)."""
    return WORKER_BACKENDS[platform.kind]


class SqsWorkerQueue(GridopsComponent):
    """A job queue and its workers.

    The queue: SQS with server-side encryption (SQS-owned keys, or `kms_key_arn`), a
    dead-letter queue keeping failed messages 14 days after `max_receive_count` receives
    (only this queue may redrive into it), TLS-only queue policies, a visibility timeout
    of 6 x `job_timeout_seconds` unless given (never below it), optional FIFO with
    content-based deduplication and high throughput. Alarms: dead-letter queue not empty;
    oldest message older than `acceptable_latency_seconds`.

    The workers: `image` on the same `platform` as StatelessService (FargateCluster,
    EksCluster, SingleServer or ExpressCluster) or on a LambdaPlatform, no load balancer, no inbound traffic. `QUEUE_URL` and `JOB_TIMEOUT_SECONDS`
    are in their environment; their role may receive, delete and change the visibility
    of this queue's messages and nothing else (`links` add databases and caches as for a
    service). On Fargate: FARGATE_SPOT by default (`on_demand_base` keeps some
    on-demand).

    Scaling (gridops_infra.queue.scaling): target tracking holds messages per running
    task at `acceptable_latency_seconds / seconds_per_job` (300 s / 2 s = 150; 3,000
    waiting -> 20 tasks), from `min_workers` (0 allowed) to `max_workers`; one waiting
    message wakes a worker from zero through a step policy.

    On EksCluster (gridops_infra.queue.eks.backend): a restricted Deployment that a KEDA
    ScaledObject (aws-sqs-queue, in-flight messages counted) scales on the same backlog
    per pod, from zero; pods get `job_timeout_seconds` after SIGTERM, with no 120 s cap,
    and Spot nodes when the cluster has a Spot group. On SingleServer
    (gridops_infra.queue.single_server): a compose service on the host with
    `max(min_workers, 1)` workers (one host cannot scale, and scaling to zero saves
    nothing there), a stop grace period of `job_timeout_seconds`, and its rights on the
    host's shared instance role. On a LambdaPlatform (gridops_infra.queue.serverless.backend):
    a container-image function from the same image (in ECR), invoked by an SQS event
    source mapping with `batch_size` messages, partial batch responses and `max_workers`
    as its maximum concurrency; `job_timeout_seconds` is the function's timeout (at most
    900 s) and the visibility timeout at least 6x it; arguments Lambda has no use for are
    refused by name.

    Scale-in and deployments never kill a job in progress, if the worker protects itself
    while it works: ECS skips tasks with task scale-in protection. The ECS agent offers
    `$ECS_AGENT_URI/task-protection/v1/state` inside every task (the task role may call
    it on this cluster's tasks). In Python:

        import json, math, os, urllib.request
        import boto3

        AGENT = os.environ["ECS_AGENT_URI"]
        MINUTES = math.ceil(int(os.environ["JOB_TIMEOUT_SECONDS"]) / 60) + 1

        def protect(enabled: bool) -> None:
            body = {"ProtectionEnabled": enabled}
            if enabled:
                body["ExpiresInMinutes"] = MINUTES
            request = urllib.request.Request(
                f"{AGENT}/task-protection/v1/state", method="PUT",
                data=json.dumps(body).encode(), headers={"Content-Type": "application/json"},
            )
            urllib.request.urlopen(request, timeout=5).close()

        sqs = boto3.client("sqs")
        while True:
            reply = sqs.receive_message(QueueUrl=os.environ["QUEUE_URL"], WaitTimeSeconds=20)
            for message in reply.get("Messages", []):
                protect(True)
                try:
                    handle(message["Body"])  # your job, idempotent
                    sqs.delete_message(QueueUrl=os.environ["QUEUE_URL"],
                                       ReceiptHandle=message["ReceiptHandle"])
                finally:
                    protect(False)

    On Fargate, on SIGTERM the task gets a stop timeout equal to the job timeout, but ECS on Fargate
    allows at most 120 s: jobs longer than that survive scale-in and deployments only
    through task protection (so `task_protection` cannot be turned off then). A Fargate
    Spot interruption (2 minutes' notice) ignores protection: the message then returns
    after the visibility timeout, so jobs must be idempotent.

    Senders: put the queue in a service's `links` (`<NAME>_QUEUE_URL` plus
    sqs:SendMessage on this queue), or call `grant_send(service)`.

    Example: `SqsWorkerQueue("jobs", {"platform": cluster, "image":
    "ghcr.io/acme/worker:1.4.2", "max_workers": 20})`
    """

    TYPE = "gridops:aws:SqsWorkerQueue"
    CHILD_ROLES = cast("tuple[str, ...]", EveryBackendsRoles(WORKER_BACKENDS, OWN_ROLES))

    settings: QueueSettings
    """The validated queue and scaling settings."""
    spec: ServiceSpec
    """The worker, as the platform-neutral spec services use."""
    platform: Platform | LambdaPlatform
    """Where the workers run."""
    scaling: BacklogScaling
    """Backlog-per-task scaling: `scaling.target_backlog_per_task` is the tracked target."""
    queue: aws.sqs.Queue
    """The work queue."""
    dead_letter_queue: aws.sqs.Queue
    """Where messages go after `max_receive_count` failed receives (kept 14 days)."""
    queue_url: pulumi.Output[str]
    """The work queue's URL (what senders and workers call)."""
    queue_arn: pulumi.Output[str]
    """The work queue's ARN."""
    queue_name: pulumi.Output[str]
    """The work queue's physical name (the `QueueName` metric dimension)."""
    dlq_url: pulumi.Output[str]
    """The dead-letter queue's URL (inspect or redrive failed jobs there)."""
    dlq_arn: pulumi.Output[str]
    """The dead-letter queue's ARN."""
    service_name: pulumi.Output[str]
    """The workers' service name on the platform: the ECS service on Fargate, the
    Deployment on EKS, the compose service on a single server, the function on Lambda."""
    security_group_id: pulumi.Output[str]
    """The workers' security group (linked databases and caches admit it)."""
    task_role: pulumi.Resource
    """The workers' IAM role (another queue's `grant_send(this)` lands here)."""
    task_role_arn: pulumi.Output[str]
    """The workers' IAM role ARN."""
    container_definitions: pulumi.Output[str] | None
    """The worker task's container definitions JSON (Fargate)."""
    policy_documents: dict[str, pulumi.Output[str]]
    """Every IAM policy document attached to the workers' roles, by role."""

    def __init__(
        self,
        name: str,
        args: SqsWorkerQueueArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_service_name(COMPONENT, name)
        a = ArgReader(COMPONENT, name, args, SqsWorkerQueueArgs.__annotations__)
        platform = a.raw("platform")
        known = isinstance(platform, LambdaPlatform) or (
            isinstance(platform, Platform) and platform.kind in PLATFORM_KINDS
        )
        if not known:
            got = "nothing" if platform is None else type(platform).__name__
            raise a.fail(
                "platform",
                got,
                "expected a FargateCluster, EksCluster, SingleServer, ExpressCluster or "
                "LambdaPlatform",
            )
        if not a.has("image"):
            raise a.fail("image", None, "it is required, e.g. 'ghcr.io/acme/worker:1.4.2'")
        settings = read_settings(a, platform)
        spec = worker_spec(name, a, settings)
        backend = worker_backend_for(name, platform)
        roles = tuple(dict.fromkeys((*OWN_ROLES, *backend.CHILD_ROLES)))
        transforms = check_transforms(COMPONENT, name, a.raw("transforms"), roles)
        prepared = backend.check(spec, platform, settings)

        super().__init__(
            name, opts, transforms=transforms, tags=a.mapping("tags"), child_roles=roles
        )
        self.settings = settings
        self.spec = spec
        self.platform = platform
        self.scaling = settings.scaling
        self._send_policies: dict[str, aws.iam.RolePolicy] = {}

        queues = build_queues(self, settings)
        self.queue, self.dead_letter_queue = queues.queue, queues.dlq
        self._metrics = queues.metrics
        self.queue_url = queues.queue.url
        self.queue_arn = queues.queue.arn
        self.queue_name = queues.queue.name
        self.dlq_url = queues.dlq.url
        self.dlq_arn = queues.dlq.arn
        queue_alarms(self, settings, queues.metrics, getattr(platform, "alarm_topic_arn", None))

        refs = QueueRefs(
            name,
            self.queue_url,
            self.queue_arn,
            self.queue_name,
            settings.kms_key_arn,
            queues.metrics,
        )
        out = backend.build(self, spec, platform, prepared, refs, settings)
        self.service_name = out.service_name
        self.security_group_id = out.security_group_id
        self.task_role = out.task_role
        self.task_role_arn = out.task_role_arn
        self.container_definitions = out.container_definitions
        self.policy_documents = out.policy_documents
        self._utilization = out.utilization
        self.register_outputs(
            {
                "queue_url": self.queue_url,
                "queue_arn": self.queue_arn,
                "dlq_url": self.dlq_url,
                "dlq_arn": self.dlq_arn,
                "service_name": self.service_name,
                "task_role_arn": self.task_role_arn,
            }
        )

    @property
    def env_name(self) -> str:
        """The environment variable senders get: `JOBS_QUEUE_URL` for `jobs`."""
        return f"{env_prefix(self.name)}_QUEUE_URL"

    def _send_statements(self) -> list[dict[str, Any]]:
        return send_statements(
            self.name, self.queue_arn, self.settings.kms_key_arn, iam.region_name()
        )

    def link_grant(self) -> LinkGrant:
        """For a service that links the queue: `<NAME>_QUEUE_URL` and sqs:SendMessage (+
        GetQueueAttributes, + the key's GenerateDataKey/Decrypt through SQS) on this
        queue only."""
        return LinkGrant(
            environment={self.env_name: self.queue_url},
            task_statements=self._send_statements(),
        )

    def allow_from(self, consumer_name: str, security_group_id: pulumi.Input[str]) -> None:
        """Nothing to open: SQS is an HTTPS API reached through NAT or a VPC endpoint, not
        a port behind a security group; the IAM grant alone controls access."""
        return None

    def grant_send(self, consumer: Any) -> aws.iam.RolePolicy:
        """Let a service (anything with a `task_role`) send to this queue, without linking
        it: a role policy on its task role with the `link_grant` statements. Once per
        consumer; the environment variable is not added (use `links` for that)."""
        role = getattr(consumer, "task_role", None)
        consumer_name = getattr(consumer, "name", None)
        if not isinstance(role, aws.iam.Role) or not isinstance(consumer_name, str):
            raise ArgError(
                f"{COMPONENT} '{self.name}': grant_send({type(consumer).__name__}) is not "
                "allowed; expected a StatelessService (a component with a task_role)"
            )
        if consumer_name not in self._send_policies:
            self._send_policies[consumer_name] = self.child(
                "send_policy",
                aws.iam.RolePolicy,
                {
                    "role": role.id,
                    "name": f"send-to-{self.name}",
                    "policy": iam.policy_document(self._send_statements()),
                },
                suffix=f"send-{consumer_name}",
            )
        return self._send_policies[consumer_name]

    def metric_age_of_oldest_message(self) -> Metric:
        """Seconds the oldest waiting message has waited (`ApproximateAgeOfOldestMessage`,
        Maximum)."""
        return self._metrics.age_of_oldest_message()

    def metric_dlq_depth(self) -> Metric:
        """Messages in the dead-letter queue (`ApproximateNumberOfMessagesVisible` on the
        DLQ, Maximum)."""
        return self._metrics.dlq_depth()

    def metric_worker_cpu(self) -> list[Metric]:
        """The workers' CPU, percent of their reservation (ECS `CPUUtilization` on
        Fargate, Container Insights `pod_cpu_utilization_over_pod_limit` on EKS, whose
        KEDA-scaled Deployment it aggregates); empty on a SingleServer (its host alarms)."""
        return [m for m in self._utilization if m.label == "CPU"]

    def metric_worker_memory(self) -> list[Metric]:
        """The workers' memory, percent of their reservation (as `metric_worker_cpu`)."""
        return [m for m in self._utilization if m.label == "memory"]

    def metric_visible_messages(self) -> Metric:
        """Messages waiting for a worker (`ApproximateNumberOfMessagesVisible`, Maximum)."""
        return self._metrics.visible_messages()


__all__ = [
    "WORKER_BACKENDS",
    "WORKER_PLATFORM_KINDS",
    "SqsWorkerQueue",
    "SqsWorkerQueueArgs",
    "worker_backend_for",
]
