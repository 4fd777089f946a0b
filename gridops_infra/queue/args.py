"""SqsWorkerQueue's arguments, documented once, and the checks that turn them into
`QueueSettings` (the queue) and a `ServiceSpec` (the worker) before anything exists."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, TypedDict

import pulumi

from gridops_infra.core.aws_rules import sqs
from gridops_infra.core.aws_rules.application_autoscaling import MIN_NOT_ABOVE_MAX
from gridops_infra.core.aws_rules.checks import refuse_arg, where, whole_number_within
from gridops_infra.core.component import Transform
from gridops_infra.core.links import Linkable
from gridops_infra.core.validation import ArgReader
from gridops_infra.platforms.base import Platform
from gridops_infra.platforms.serverless.component import LAMBDA_KIND, LambdaPlatform
from gridops_infra.queue.scaling import BacklogScaling
from gridops_infra.queue.serverless.settings import (
    FunctionSettings,
    check_visibility,
    read_function,
    refuse_lambda_only,
    refuse_meaningless,
)
from gridops_infra.service.spec.args import CpuArchitecture, SidecarArgs
from gridops_infra.service.spec.settings import MAX_TASKS, ServiceSpec

MAX_VISIBILITY_SECONDS = 43_200  # 12 hours, SQS's limit
MIN_RETENTION_SECONDS = 60
MAX_RETENTION_SECONDS = 1_209_600  # 14 days, SQS's limit and the DLQ's retention
MAX_STANDARD_RETENTION_SECONDS = MAX_RETENTION_SECONDS - 86_400  # 13 days
VISIBILITY_PER_JOB_TIMEOUT = 6
DEFAULT_SECONDS_PER_JOB = 10
MAX_STOP_TIMEOUT_SECONDS = 120  # ECS on Fargate
MIN_STOP_TIMEOUT_SECONDS = 2
QUEUE_NAME = r"[A-Za-z0-9_-]{1,70}"  # leaves room for the dead-letter queue's "-dlq"
SQS_QUEUE_NAME = r"(?=.{1,80}$)[A-Za-z0-9_-]+(\.fifo)?"  # what SQS itself accepts
KMS_KEY_ARN = r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+"
SNS_TOPIC_ARN = r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}"
WORKER_ENVIRONMENT = ("QUEUE_URL", "JOB_TIMEOUT_SECONDS")

# The worker fields SqsWorkerQueue forwards to ServiceSpec (its shared validation).
WORKER_SPEC_FIELDS = (
    "image",
    "cpu",
    "memory",
    "environment",
    "secrets",
    "command",
    "links",
    "containers",
    "cpu_architecture",
    "log_retention_days",
    "read_only_root_filesystem",
    "writable_paths",
    "user",
    "task_statements",
    "image_pull_secret_arn",
    "enable_execute_command",
    "internet_egress_ports",
    "container_health_check_command",
    "rollback_alarm_names",
)


class SqsWorkerQueueArgs(TypedDict, total=False):
    platform: Platform | LambdaPlatform
    """Where the workers run: the same platform object StatelessService takes
    (FargateCluster, EksCluster, SingleServer or ExpressCluster, where workers run as
    plain ECS services on Fargate, as on a FargateCluster), or a LambdaPlatform, where the
    worker is a Lambda function from the same image that an SQS event source mapping
    invokes with batches (arguments Lambda has no use for are refused, naming them).
    Changing it moves the workers (new resources).

    Required.
    Example: ``cluster  # a FargateCluster, EksCluster, SingleServer, ExpressCluster or LambdaPlatform``"""
    image: pulumi.Input[str]
    """Worker container image, e.g. `"ghcr.io/acme/worker:1.4.2"`: a container image
    reference of at most 255 characters (ECS's limit). On a LambdaPlatform: a private ECR
    image in the stack's region (Lambda pulls from nowhere else).

    Required.
    Example: ``"ghcr.io/acme/worker:1.4.2"``"""
    min_workers: int
    """Fewest worker tasks. Allowed: 0..5000, at most `max_workers`; 0 only on a
    LambdaPlatform (functions run only while a batch does).

    Default: 0 (scale to zero when the queue is empty; one waiting message starts a worker).
    Example: ``1``"""
    max_workers: int
    """Most worker tasks. Allowed: 1..5000. On a LambdaPlatform the event source mapping's
    maximum concurrency: 2..1000.

    Default: 10.
    Example: ``50``"""
    job_timeout_seconds: int
    """The longest one job may take. Allowed: 1..43200. Sets the default
    `visibility_timeout_seconds` (6x) and the container stop timeout (the same, at most 120
    s on Fargate); above 120 s only task scale-in protection (`task_protection`) keeps a
    running job alive through scale-in and deployments. On a LambdaPlatform it is the
    function's timeout: at most 900.

    Default: 60.
    Example: ``300``"""
    visibility_timeout_seconds: int
    """Seconds a received message stays hidden from other workers. Allowed:
    `job_timeout_seconds`..43200 (12 hours); on a LambdaPlatform at least 6 x
    `job_timeout_seconds` (AWS's advice for a function's source queue).

    Default: 6 x `job_timeout_seconds` (a job may be retried after a crash without running
    twice in parallel).
    Example: ``1800``"""
    max_receive_count: int
    """Receives before a message moves to the dead-letter queue. Allowed: 1..1000.

    Default: 5.
    Example: ``3``"""
    message_retention_seconds: int
    """Seconds an unprocessed message is kept. Allowed: 60 .. 1123200 (13 days) for a
    standard queue, so the 14-day dead-letter queue always keeps a message longer (SQS ages
    a standard message from its first enqueue); 60..1209600 (14 days) for FIFO (the age
    restarts in the DLQ).

    Default: 345600 (4 days).
    Example: ``604800``"""
    receive_wait_time_seconds: int
    """Long-polling wait of ReceiveMessage. Allowed: 0..20.

    Default: 20 (fewest empty receives, lowest cost).
    Example: ``10``"""
    delay_seconds: int
    """Delivery delay of every message. Allowed: 0..900.

    Default: 0.
    Example: ``30``"""
    fifo: bool
    """A FIFO queue (exactly-once, ordered per message group). Changing it replaces both
    queues (messages in them are lost).

    Default: false.
    Example: ``True``"""
    queue_name: str
    """Physical queue name. Letters, digits, `-`, `_`; must end in `.fifo` exactly when
    `fifo` is true. The dead-letter queue is named `<queue_name>-dlq`. Changing it replaces
    both queues.

    Default: autonamed `<name>-queue-<random>` (plus `.fifo`).
    Example: ``"orders.fifo"``"""
    content_based_deduplication: bool
    """FIFO only: deduplicate by a SHA-256 of the body, so senders need no deduplication id.

    Default: true with `fifo`.
    Example: ``False``"""
    high_throughput: bool
    """FIFO only: deduplication and throughput quota per message group (high-throughput
    FIFO).

    Default: false.
    Example: ``True``"""
    kms_key_arn: str
    """A customer managed KMS key for server-side encryption. With it, workers get
    kms:Decrypt and senders kms:GenerateDataKey and kms:Decrypt on this key, through SQS
    only; the key policy must allow them.

    Default: none (SSE with SQS-owned keys).
    Example: ``"arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"``"""
    acceptable_latency_seconds: int
    """How long a message may wait before a worker starts it: the scaling target (with
    `seconds_per_job`) and the oldest-message alarm threshold. Allowed: 1 ..
    `message_retention_seconds`, at least `seconds_per_job`.

    Default: 300.
    Example: ``600``"""
    seconds_per_job: float
    """Average seconds one worker task spends per message. Allowed: 0.001 ..
    `job_timeout_seconds`. Target backlog per task = acceptable_latency_seconds /
    seconds_per_job (see gridops_infra.queue.scaling). Refused on a LambdaPlatform (Lambda
    scales on the backlog itself).

    Default: 10, or `job_timeout_seconds` when that is shorter (a job never runs longer than
    its timeout).
    Example: ``30``"""
    scale_in_cooldown_seconds: int
    """Seconds after a scale-in before the next one. Allowed: 0..3600. Refused on a
    SingleServer (one host does not autoscale) and a LambdaPlatform.

    Default: 300.
    Example: ``600``"""
    scale_out_cooldown_seconds: int
    """Seconds after a scale-out before the next one. Allowed: 0..3600. Refused on a
    SingleServer and a LambdaPlatform.

    Default: 60.
    Example: ``30``"""
    task_protection: bool
    """The worker protects itself while processing through the ECS agent's
    `$ECS_AGENT_URI/task-protection/v1/state` (see SqsWorkerQueue): its task role may call
    ecs:UpdateTaskProtection / GetTaskProtection on this cluster's tasks. Must stay true
    when `job_timeout_seconds` exceeds 120. FargateCluster and ExpressCluster only (refused on a LambdaPlatform;
    on EKS and a single server
    the stop grace period is the job timeout, with no 120 s cap).

    Default: true.
    Example: ``True``"""
    spot: bool
    """Run workers on FARGATE_SPOT (up to 70% cheaper; a task may be stopped with 2 minutes'
    notice and its message is retried after the visibility timeout, so jobs must be
    idempotent).

    Default: true on FargateCluster and ExpressCluster, false (true is refused) on a
    FargateCluster with `capacity="managed-instances"`; on EksCluster true when the cluster has a Spot node
    group (workers tolerate its taint and prefer it) and the worker's namespace is not a
    Fargate profile's, else false (true is refused then); on SingleServer and LambdaPlatform false (true is
    refused).
    Example: ``True``"""
    on_demand_base: int
    """Worker tasks always placed on regular FARGATE first, e.g. 1 so one worker survives
    Spot interruptions. Allowed: 0 .. `max_workers`. Refused on a SingleServer and a
    LambdaPlatform (no Spot there).

    Default: 0.
    Example: ``1``"""
    alarm_actions: list[str]
    """SNS topic ARNs notified by the DLQ-not-empty and oldest-message alarms.

    Default: the platform's alarm topic (`platform.alarm_topic_arn`).
    Example: ``["arn:aws:sns:eu-west-1:123456789012:jobs-oncall"]``"""
    cpu: int
    """CPU units per worker (1024 = 1 vCPU). Allowed: a Fargate size (on a SingleServer also
    at most the host's vCPUs). Refused on a LambdaPlatform (CPU follows `memory` there).

    Default: 256.
    Example: ``1024``"""
    memory: int
    """Memory per worker task in MiB. Allowed: what Fargate pairs with `cpu`; on a
    LambdaPlatform the function's memory, 128..10240 MB.

    Default: 512.
    Example: ``2048``"""
    environment: dict[str, pulumi.Input[str]]
    """Plain settings for the worker. `QUEUE_URL` and `JOB_TIMEOUT_SECONDS` are set by the
    queue and cannot be overridden.

    Default: none.
    Example: ``{"LOG_LEVEL": "info"}``"""
    secrets: dict[str, pulumi.Input[str]]
    """Env name -> Secrets Manager or SSM parameter ARN, injected at start; an Output must
    resolve to such an ARN (a value is refused, and never printed). On a LambdaPlatform,
    which injects no secrets, `<NAME>_SECRET_ARN` holds the reference and the function's
    role may read it.

    Default: none.
    Example: ``{"SMTP_PASSWORD": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:smtp-AbCdEf"}``"""
    command: list[str]
    """Overrides the image's command (on a LambdaPlatform: the image config's command, i.e.
    the handler).

    Default: the image's.
    Example: ``["python", "-m", "shop.worker"]``"""
    links: list[Linkable]
    """Components the worker uses (database, cache, other queues), exactly as for
    StatelessService: settings, secret references, IAM grants and a security-group rule.

    Default: none.
    Example: ``[db, cache]  # a ManagedPostgresWithReplicas, a RedisCache``"""
    containers: list[SidecarArgs]
    """Sidecar containers in the worker task, as for StatelessService (names of at most 63
    characters, images of at most 255). Refused on a LambdaPlatform.

    Default: none.
    Example: ``[{"name": "metrics-agent", "image": "public.ecr.aws/acme/agent:2.1", "cpu": 128, "memory": 256}]``"""
    cpu_architecture: CpuArchitecture
    """`"ARM64"` or `"X86_64"`.

    Default: `"ARM64"`.
    Example: ``"X86_64"``"""
    log_retention_days: int
    """Days worker logs are kept. Allowed: a CloudWatch retention value. On EKS and a
    SingleServer another value must equal the platform's log retention, as for
    StatelessService.

    Default: 30.
    Example: ``90``"""
    read_only_root_filesystem: bool
    """Read-only root filesystem (always on a LambdaPlatform: false is refused there).

    Default: true (scratch space at `writable_paths`).
    Example: ``False``"""
    writable_paths: list[str]
    """Absolute paths with a writable task-local scratch volume (on a LambdaPlatform only
    `/tmp`, sized by `ephemeral_storage_mb`).

    Default: `["/tmp"]`.
    Example: ``["/tmp", "/app/work"]``"""
    user: str
    """Run as `user`, `uid` or `uid:gid`. Refused on a LambdaPlatform.

    Default: the image's user.
    Example: ``"1000:1000"``"""
    task_statements: list[dict[str, Any]]
    """Extra IAM statements for the worker's role, checked as for StatelessService: `Action`
    (`service:Action` strings), `Resource` (ARNs, never `"*"`), optional `Sid` (letters and
    digits), `Effect` (`Allow`/`Deny`) and `Condition` (operator -> {key: value(s)}).
    Privilege-escalating actions (IAM policy writes, `iam:PassRole` / `sts:AssumeRole` on
    every role) are refused.

    Default: none.
    Example: ``[{"Action": ["s3:PutObject"], "Resource": ["arn:aws:s3:::acme-invoices/*"]}]``"""
    image_pull_secret_arn: str
    """Secrets Manager secret for a private non-ECR registry. Refused on a LambdaPlatform
    (ECR only).

    Default: none.
    Example: ``"arn:aws:secretsmanager:eu-west-1:123456789012:secret:dockerhub-AbCdEf"``"""
    enable_execute_command: bool
    """Allow `aws ecs execute-command` into worker tasks. FargateCluster and ExpressCluster only (refused on
    EKS: use `kubectl exec`; on a SingleServer: SSM then `docker exec`; on a LambdaPlatform).

    Default: false.
    Example: ``True``"""
    internet_egress_ports: list[int]
    """TCP ports workers may reach on the internet through NAT. Another value is refused on
    EKS (pods use the nodes' security group).

    Default: `[443]` (SQS and other AWS APIs without VPC endpoints).
    Example: ``[443, 587]``"""
    container_health_check_command: list[str]
    """The worker container's health check, e.g. `["CMD", "/app/healthcheck"]`. Refused on
    a LambdaPlatform.

    Default: none (a worker serves no HTTP).
    Example: ``["CMD", "/app/healthcheck"]``"""
    rollback_alarm_names: list[pulumi.Input[str]]
    """CloudWatch alarms that roll a worker deployment back. Refused on a LambdaPlatform
    (no deployment to roll back).

    Default: none (the ECS circuit breaker still rolls back tasks that fail to start).
    Example: ``["orders-worker-errors"]``"""
    batch_size: int
    """LambdaPlatform only: messages per invocation (the event source mapping's
    BatchSize). Allowed: 1..10000 (1..10 with `fifo`); above 10 needs
    `max_batching_window_seconds` >= 1. The function reports failed messages one by one
    (ReportBatchItemFailures), so only those return to the queue.

    Default: 10.
    Example: ``50``"""
    max_batching_window_seconds: int
    """LambdaPlatform only: seconds Lambda may gather messages before it invokes the
    function with a batch smaller than `batch_size`. Allowed: 0..300; 0 with `fifo`.

    Default: 0 (invoke as soon as messages arrive).
    Example: ``5``"""
    reserved_concurrency: int
    """LambdaPlatform only: concurrent executions reserved for the function from the
    account's pool (and its cap). Allowed: `max_workers`..1000.

    Default: none (the function shares the account's unreserved pool; `max_workers`
    still caps what the queue invokes).
    Example: ``20``"""
    ephemeral_storage_mb: int
    """LambdaPlatform only: size of the function's writable /tmp in MB. Allowed:
    512..10240.

    Default: 512.
    Example: ``2048``"""
    tags: dict[str, str]
    """Tags for every resource, merged with `gridops:component` and `gridops:stage`.

    Default: none.
    Example: ``{"team": "orders"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role. Allowed: the queue's roles
    (`queue.QUEUE_ROLES`, `"send_policy"`) and those of the platform the workers run on
    (`CHILD_ROLES` of `queue.fargate`, `queue.eks` or `queue.single_server`);
    `SqsWorkerQueue.CHILD_ROLES` lists every platform's, a transform for another platform's
    role is refused.

    Default: none.
    Example: ``{"queue": {"kms_data_key_reuse_period_seconds": 3600}}``"""


@dataclass(frozen=True)
class QueueSettings:
    """The validated queue and scaling settings (see `SqsWorkerQueueArgs`)."""

    fifo: bool
    queue_name: str | None
    dlq_name: str | None
    content_based_deduplication: bool
    high_throughput: bool
    kms_key_arn: str | None
    message_retention_seconds: int
    visibility_timeout_seconds: int
    receive_wait_time_seconds: int
    delay_seconds: int
    max_receive_count: int
    job_timeout_seconds: int
    task_protection: bool
    spot: bool
    on_demand_base: int
    alarm_actions: tuple[str, ...]
    scaling: BacklogScaling
    function: FunctionSettings | None = None
    """The Lambda function and its event source mapping (on a LambdaPlatform only)."""

    @property
    def stop_timeout_seconds(self) -> int:
        """How long ECS waits after SIGTERM: the job timeout, within Fargate's 2..120 s."""
        return max(
            MIN_STOP_TIMEOUT_SECONDS, min(self.job_timeout_seconds, MAX_STOP_TIMEOUT_SECONDS)
        )

    @property
    def protection_minutes(self) -> int:
        """`ExpiresInMinutes` a worker asks for per job: the job timeout rounded up, plus one."""
        return math.ceil(self.job_timeout_seconds / 60) + 1


def read_settings(a: ArgReader, platform: Platform | LambdaPlatform) -> QueueSettings:
    """The queue's settings; `spot` and `task_protection` depend on where the workers run
    (Fargate Spot and ECS task protection exist only on FargateCluster)."""
    on_lambda = platform.kind == LAMBDA_KIND
    if on_lambda:
        refuse_meaningless(a)
    else:
        refuse_lambda_only(a, platform)
    fifo = a.boolean("fifo", False)
    queue_name, dlq_name = _names(a, fifo)
    for field in ("content_based_deduplication", "high_throughput"):
        if a.has(field) and not fifo:
            raise a.fail(field, a.raw(field), "only with fifo=True")
    job_timeout = a.integer("job_timeout_seconds", 60, 1, MAX_VISIBILITY_SECONDS)
    visibility = _visibility(a, job_timeout)
    function = read_function(a, fifo=fifo, job_timeout=job_timeout) if on_lambda else None
    if on_lambda and a.has("visibility_timeout_seconds"):
        check_visibility(a, job_timeout, visibility)
    retention_max = MAX_RETENTION_SECONDS if fifo else MAX_STANDARD_RETENTION_SECONDS
    if a.has("message_retention_seconds"):
        retention = a.raw("message_retention_seconds")
        _within_sqs_limit(
            a, "message_retention_seconds", MIN_RETENTION_SECONDS, MAX_RETENTION_SECONDS
        )
        if (
            isinstance(retention, bool)
            or not isinstance(retention, int)
            or not (MIN_RETENTION_SECONDS <= retention <= retention_max)
        ):
            why = (
                ""
                if fifo
                else "; a standard queue keeps at most 13 days so its 14-day dead-letter "
                "queue always outlives it (SQS ages a message from its first enqueue)"
            )
            raise a.fail(
                "message_retention_seconds",
                retention,
                f"expected seconds from {MIN_RETENTION_SECONDS} to {retention_max}{why}",
            )
    else:
        retention = 345_600
    task_protection, spot = _platform_features(a, platform, job_timeout)
    scaling = _scaling(a, job_timeout, retention)
    return QueueSettings(
        fifo=fifo,
        queue_name=queue_name,
        dlq_name=dlq_name,
        content_based_deduplication=a.boolean("content_based_deduplication", True) and fifo,
        high_throughput=a.boolean("high_throughput", False),
        kms_key_arn=a.optional_string(
            "kms_key_arn",
            KMS_KEY_ARN,
            "expected a KMS key ARN (arn:aws:kms:<region>:<acct>:key/<id>)",
        ),
        message_retention_seconds=retention,
        visibility_timeout_seconds=visibility,
        receive_wait_time_seconds=whole_number_within(
            a, sqs.QUEUE_ATTRIBUTES, "receive_wait_time_seconds", 20, 0, 20
        ),
        delay_seconds=whole_number_within(a, sqs.QUEUE_ATTRIBUTES, "delay_seconds", 0, 0, 900),
        max_receive_count=a.integer("max_receive_count", 5, 1, 1000),
        job_timeout_seconds=job_timeout,
        task_protection=task_protection,
        spot=spot,
        on_demand_base=a.integer("on_demand_base", 0, 0, scaling.max_workers),
        alarm_actions=tuple(_alarm_actions(a)),
        scaling=scaling,
        function=function,
    )


def _platform_features(
    a: ArgReader, platform: Platform | LambdaPlatform, job_timeout: int
) -> tuple[bool, bool]:
    """(task_protection, spot). On Fargate both default to true. On EKS workers get the
    cluster's Spot node group when it has one (default: true then), and a pod's grace
    period covers the job timeout, so there is no task protection to turn on. A single
    server has neither."""
    if platform.kind == LAMBDA_KIND:
        return False, False  # both refused by name in refuse_meaningless
    # An ExpressCluster runs workers as plain ECS services on Fargate (queue/express.py).
    if platform.kind in ("fargate", "express"):
        task_protection = a.boolean("task_protection", True)
        if job_timeout > MAX_STOP_TIMEOUT_SECONDS and not task_protection:
            raise a.fail(
                "task_protection",
                False,
                f"job_timeout_seconds={job_timeout} exceeds the {MAX_STOP_TIMEOUT_SECONDS} s "
                "ECS stop timeout on Fargate: only task scale-in protection keeps such jobs "
                "alive through scale-in and deployments",
            )
        # Managed Instances have no Fargate Spot: one strategy cannot mix the two kinds.
        on_fargate = getattr(platform, "capacity", "fargate") == "fargate"
        return task_protection, a.boolean("spot", on_fargate)
    if a.has("task_protection"):
        raise a.fail(
            "task_protection",
            a.raw("task_protection"),
            f"only on a FargateCluster (ECS task scale-in protection); on "
            f"{type(platform).__name__} the worker's stop grace period covers "
            "`job_timeout_seconds`",
        )
    if platform.kind == "eks":
        # The worker's namespace is its name; a Fargate profile's pods get no Spot.
        on_fargate = a.name in getattr(platform, "fargate_namespaces", ())
        has_spot = getattr(getattr(platform, "settings", None), "spot", None) is not None
        spot = a.boolean("spot", has_spot and not on_fargate)
        if spot and on_fargate:
            raise a.fail(
                "spot",
                True,
                f"namespace {a.name!r} runs on EKS Fargate (fargate_namespaces), which has no "
                "Spot capacity",
            )
        if spot and not has_spot:
            raise a.fail("spot", True, "the EksCluster has no Spot node group (spot=True there)")
        return False, spot
    if a.has("spot") and a.raw("spot") is not False:
        raise a.fail("spot", a.raw("spot"), "a SingleServer has no Spot capacity")
    return False, False


def _within_sqs_limit(a: ArgReader, field: str, lo: int, hi: int) -> None:
    """Refuse, citing SQS, a whole number SQS itself would refuse (the component's own,
    tighter bounds are checked after)."""
    value = a.raw(field)
    if isinstance(value, int) and not isinstance(value, bool) and not lo <= value <= hi:
        raise sqs.QUEUE_ATTRIBUTES.refuse(where(a), field, f"{value} is outside {lo}..{hi}")


def _names(a: ArgReader, fifo: bool) -> tuple[str | None, str | None]:
    raw = a.raw("queue_name")
    if isinstance(raw, str) and not re.fullmatch(SQS_QUEUE_NAME, raw):
        raise sqs.QUEUE_NAME.refuse(
            where(a), "queue_name", f"{raw!r} has characters or a length SQS refuses"
        )
    name = a.optional_string(
        "queue_name",
        QUEUE_NAME + r"(\.fifo)?",
        "expected letters, digits, '-' and '_' (at most 70 before an optional .fifo)",
    )
    if name is None:
        return None, None
    if fifo and not name.endswith(".fifo"):
        raise sqs.QUEUE_NAME.refuse(where(a), "queue_name", f"{name!r} with fifo=True")
    if not fifo and name.endswith(".fifo"):
        raise sqs.QUEUE_NAME.refuse(
            where(a), "queue_name", f"{name!r} on a standard queue", "Set fifo=True or drop .fifo."
        )
    base = name.removesuffix(".fifo")
    return name, f"{base}-dlq" + (".fifo" if fifo else "")


def _visibility(a: ArgReader, job_timeout: int) -> int:
    if a.has("visibility_timeout_seconds"):
        value = a.raw("visibility_timeout_seconds")
        _within_sqs_limit(a, "visibility_timeout_seconds", 0, MAX_VISIBILITY_SECONDS)
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not (job_timeout <= value <= MAX_VISIBILITY_SECONDS)
        ):
            raise a.fail(
                "visibility_timeout_seconds",
                value,
                f"expected seconds from job_timeout_seconds={job_timeout} to "
                f"{MAX_VISIBILITY_SECONDS} (12 hours): a message must stay hidden at least as "
                "long as a job may run, or a second worker picks it up while the first works",
            )
        return value
    default = VISIBILITY_PER_JOB_TIMEOUT * job_timeout
    if default > MAX_VISIBILITY_SECONDS:
        raise a.fail(
            "job_timeout_seconds",
            job_timeout,
            f"the default visibility timeout ({VISIBILITY_PER_JOB_TIMEOUT} x the job timeout) "
            f"would exceed {MAX_VISIBILITY_SECONDS} s; give visibility_timeout_seconds "
            "explicitly (at least the job timeout)",
        )
    return default


def _scaling(a: ArgReader, job_timeout: int, retention: int) -> BacklogScaling:
    max_workers = a.integer("max_workers", 10, 1, MAX_TASKS)
    min_workers = a.integer("min_workers", 0, 0, MAX_TASKS)
    if min_workers > max_workers:
        raise refuse_arg(
            MIN_NOT_ABOVE_MAX,
            a,
            "min_workers",
            min_workers,
            f"must not exceed max_workers={max_workers}",
        )
    # The default never exceeds the job timeout: a 5 s timeout means jobs of at most 5 s.
    default_seconds = min(DEFAULT_SECONDS_PER_JOB, job_timeout)
    seconds_per_job = a.number("seconds_per_job", default_seconds, 0.001, float(job_timeout))
    latency = a.integer("acceptable_latency_seconds", 300, 1, retention)
    if latency < seconds_per_job:
        raise a.fail(
            "acceptable_latency_seconds",
            latency,
            f"must be at least seconds_per_job={seconds_per_job:g}: the target backlog per "
            "task (latency / seconds per job) would fall below one message",
        )
    return BacklogScaling(
        acceptable_latency_seconds=latency,
        seconds_per_job=seconds_per_job,
        min_workers=min_workers,
        max_workers=max_workers,
        scale_in_cooldown_seconds=a.integer("scale_in_cooldown_seconds", 300, 0, 3600),
        scale_out_cooldown_seconds=a.integer("scale_out_cooldown_seconds", 60, 0, 3600),
    )


def _alarm_actions(a: ArgReader) -> list[str]:
    arns = a.string_list("alarm_actions")
    for arn in arns:
        if not re.fullmatch(SNS_TOPIC_ARN, arn):
            raise a.fail("alarm_actions", arns, f"{arn!r} is not an SNS topic ARN")
    return arns


def worker_spec(name: str, a: ArgReader, settings: QueueSettings) -> ServiceSpec:
    """The worker as a ServiceSpec, validated by the same code as StatelessService."""
    for field in ("environment", "secrets"):
        taken = sorted(set(a.mapping(field, secret=field == "secrets")) & set(WORKER_ENVIRONMENT))
        if taken:
            raise a.fail(field, taken, "these names are set by the queue for its worker")
    forwarded: dict[str, Any] = {f: a.args[f] for f in WORKER_SPEC_FIELDS if f in a.args}
    if settings.function is not None:
        # A function's memory is not a Fargate size (FunctionSettings holds it), and it has
        # no cpu (refused by name before this).
        forwarded.pop("memory", None)
    forwarded.setdefault("container_health_check_command", [])
    forwarded["min_count"] = settings.scaling.min_workers
    forwarded["max_count"] = settings.scaling.max_workers
    forwarded["cpu_target_percent"] = 0  # backlog per task drives scaling, not CPU
    if settings.spot:
        forwarded["spot"] = {
            "weight": 1,
            "base": 0,
            "on_demand_weight": 0,
            "on_demand_base": settings.on_demand_base,
        }
    forwarded["platform"] = a.raw("platform")  # links must share the platform's network
    return ServiceSpec.from_args(
        name, forwarded, component="SqsWorkerQueue", extra_fields=("platform",)
    )


def env_prefix(name: str) -> str:
    """`jobs` -> `JOBS`, `video-jobs` -> `VIDEO_JOBS` (environment names of link grants)."""
    return re.sub(r"[^A-Z0-9]", "_", name.upper())


__all__ = [
    "WORKER_ENVIRONMENT",
    "WORKER_SPEC_FIELDS",
    "QueueSettings",
    "SqsWorkerQueueArgs",
    "env_prefix",
    "read_settings",
    "worker_spec",
]
