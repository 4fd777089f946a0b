"""What SqsWorkerQueue's arguments mean on a LambdaPlatform: the function's and the event
source mapping's settings, and every argument Lambda has no use for, refused by name
before anything is registered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gridops_infra.core.aws_rules import lambda_ as rules
from gridops_infra.core.aws_rules.checks import where, whole_number_within
from gridops_infra.core.validation import ArgReader

PLATFORM = "LambdaPlatform"
MAX_TIMEOUT_SECONDS = 900
MIN_MEMORY_MB, MAX_MEMORY_MB = 128, 10_240
MIN_EPHEMERAL_MB, MAX_EPHEMERAL_MB = 512, 10_240
MIN_CONCURRENCY, MAX_CONCURRENCY = 2, 1000
MAX_BATCH_STANDARD, MAX_BATCH_FIFO = 10_000, 10
MAX_BATCHING_WINDOW_SECONDS = 300
DEFAULT_MEMORY_MB = 512
DEFAULT_BATCH_SIZE = 10
VISIBILITY_PER_FUNCTION_TIMEOUT = 6
LAMBDA_ONLY_FIELDS = (
    "batch_size",
    "max_batching_window_seconds",
    "reserved_concurrency",
    "ephemeral_storage_mb",
)
"""SqsWorkerQueue arguments that only a function has (refused on every other platform)."""

RESERVED_ENVIRONMENT = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
        "TZ",
    }
)
"""Environment names the Lambda runtime sets itself; CreateFunction refuses them."""

# Argument -> (the value that means "not given", why Lambda has no use for another).
MEANINGLESS: dict[str, tuple[Any, str]] = {
    "cpu": (None, "Lambda allocates CPU in proportion to memory; give memory instead"),
    "containers": (
        None,
        "a function runs one image, with no sidecar containers; fold the sidecar's work into "
        "the image (or a Lambda extension baked into it), or use a FargateCluster",
    ),
    "user": (None, "Lambda runs the image as its own least-privileged user"),
    "image_pull_secret_arn": (
        None,
        "Lambda pulls only from Amazon ECR, with the function's own permissions",
    ),
    "enable_execute_command": (
        False,
        "there is no container to exec into; read the function's logs instead",
    ),
    "container_health_check_command": (
        None,
        "Lambda starts an environment per invocation; a failed invocation is retried and "
        "then dead-lettered, with no health check to run",
    ),
    "rollback_alarm_names": (
        None,
        "a function update has no ECS deployment to roll back; the Lambda Errors alarm and "
        "the dead-letter queue alarm report a bad image",
    ),
    "read_only_root_filesystem": (
        True,
        "a function's filesystem is always read-only except /tmp (ephemeral_storage_mb)",
    ),
    "seconds_per_job": (
        None,
        "Lambda scales the function on the queue's backlog itself (up to max_workers "
        "concurrent invocations), with no backlog-per-task target",
    ),
    "scale_in_cooldown_seconds": (None, "Lambda's poller scales the function, not a policy"),
    "scale_out_cooldown_seconds": (None, "Lambda's poller scales the function, not a policy"),
    "on_demand_base": (None, "Lambda has no Spot capacity to keep workers off"),
    "task_protection": (
        None,
        "ECS task protection does not exist there; an invocation runs until it returns or "
        "reaches job_timeout_seconds",
    ),
    "spot": (False, "Lambda has no Spot capacity"),
}


@dataclass(frozen=True)
class FunctionSettings:
    """The function and its event source mapping (see `SqsWorkerQueueArgs`)."""

    timeout_seconds: int
    memory_mb: int
    ephemeral_storage_mb: int
    batch_size: int
    max_batching_window_seconds: int
    maximum_concurrency: int
    reserved_concurrency: int | None


def refuse_lambda_only(a: ArgReader, platform: Any) -> None:
    """Off Lambda, the event source mapping's and the function's own arguments mean nothing."""
    for field in LAMBDA_ONLY_FIELDS:
        if a.has(field):
            raise a.fail(
                field,
                a.raw(field),
                f"only on a {PLATFORM} (a Lambda function's setting); on "
                f"{type(platform).__name__} the workers are long-running containers that poll "
                "the queue themselves",
            )


def refuse_meaningless(a: ArgReader) -> None:
    """Every worker argument Lambda has no use for, refused by name."""
    for field, (neutral, why) in MEANINGLESS.items():
        if not a.has(field):
            continue
        value = a.raw(field)
        if neutral is not None and value == neutral:
            continue
        raise a.fail(field, value, f"not on a {PLATFORM}: {why}")
    paths = a.raw("writable_paths")
    if paths is not None and list(paths) != ["/tmp"]:
        raise a.fail(
            "writable_paths",
            paths,
            f"on a {PLATFORM} only /tmp is writable (size it with ephemeral_storage_mb)",
        )
    min_workers = a.raw("min_workers")
    if min_workers not in (None, 0):
        raise a.fail(
            "min_workers",
            min_workers,
            f"on a {PLATFORM} workers exist only while a batch runs (0); Lambda starts them "
            "when messages arrive",
        )
    for field in ("environment", "secrets"):
        reserved = sorted(set(a.mapping(field, secret=field == "secrets")) & RESERVED_ENVIRONMENT)
        if reserved:
            raise rules.RESERVED_ENVIRONMENT.refuse(
                where(a), field, f"the Lambda runtime sets {', '.join(reserved)} itself"
            )


def read_function(a: ArgReader, *, fifo: bool, job_timeout: int) -> FunctionSettings:
    """The function's timeout, memory and /tmp, and the event source mapping's batching and
    concurrency, each within what Lambda accepts."""
    if job_timeout > MAX_TIMEOUT_SECONDS:
        raise rules.TIMEOUT.refuse(
            where(a),
            "job_timeout_seconds",
            f"{job_timeout} is the function's timeout on a {PLATFORM}, at most "
            f"{MAX_TIMEOUT_SECONDS} s",
        )
    memory = whole_number_within(
        a, rules.MEMORY, "memory", DEFAULT_MEMORY_MB, MIN_MEMORY_MB, MAX_MEMORY_MB
    )
    storage = whole_number_within(
        a,
        rules.EPHEMERAL_STORAGE,
        "ephemeral_storage_mb",
        MIN_EPHEMERAL_MB,
        MIN_EPHEMERAL_MB,
        MAX_EPHEMERAL_MB,
    )
    batch_max = MAX_BATCH_FIFO if fifo else MAX_BATCH_STANDARD
    batch_size = whole_number_within(
        a, rules.SQS_BATCH_SIZE, "batch_size", DEFAULT_BATCH_SIZE, 1, batch_max
    )
    window = whole_number_within(
        a,
        rules.SQS_BATCHING_WINDOW,
        "max_batching_window_seconds",
        0,
        0,
        MAX_BATCHING_WINDOW_SECONDS,
    )
    if fifo and window:
        raise rules.SQS_BATCHING_WINDOW.refuse(
            where(a),
            "max_batching_window_seconds",
            f"{window} with fifo=True: a FIFO queue's event source mapping takes no batching "
            "window",
        )
    if batch_size > 10 and window < 1:
        raise rules.SQS_BATCHING_WINDOW.refuse(
            where(a),
            "batch_size",
            f"{batch_size} needs max_batching_window_seconds of at least 1 (more than 10 "
            "messages per batch)",
        )
    given = a.raw("max_workers", 10)
    if (
        isinstance(given, int)
        and not isinstance(given, bool)
        and not MIN_CONCURRENCY <= given <= MAX_CONCURRENCY
    ):
        raise rules.SQS_MAXIMUM_CONCURRENCY.refuse(
            where(a),
            "max_workers",
            f"{given} is outside {MIN_CONCURRENCY}..{MAX_CONCURRENCY}; on a {PLATFORM} it "
            "is the event source mapping's maximum concurrency",
        )
    concurrency = a.integer("max_workers", 10, MIN_CONCURRENCY, MAX_CONCURRENCY)
    reserved = a.optional_integer("reserved_concurrency", 0, 1000)
    if reserved is not None and reserved < concurrency:
        raise a.fail(
            "reserved_concurrency",
            reserved,
            f"must be at least max_workers={concurrency}: the event source mapping would "
            "invoke more functions than the reservation allows and Lambda would throttle "
            "them (messages return to the queue and count towards max_receive_count)",
        )
    return FunctionSettings(
        timeout_seconds=job_timeout,
        memory_mb=memory,
        ephemeral_storage_mb=storage,
        batch_size=batch_size,
        max_batching_window_seconds=window,
        maximum_concurrency=concurrency,
        reserved_concurrency=reserved,
    )


def check_visibility(a: ArgReader, job_timeout: int, visibility: int) -> None:
    """An explicit visibility timeout below 6 x the function's timeout is refused (below 1 x
    Lambda itself refuses the event source mapping; below 6 x a throttled batch is retried
    while the first attempt may still run)."""
    wanted = VISIBILITY_PER_FUNCTION_TIMEOUT * job_timeout
    if visibility < wanted:
        raise rules.SQS_VISIBILITY_TIMEOUT.refuse(
            where(a),
            "visibility_timeout_seconds",
            f"{visibility} is too short; on a {PLATFORM} it must be at least {VISIBILITY_PER_FUNCTION_TIMEOUT} x "
            f"job_timeout_seconds={job_timeout} (the function's timeout) = {wanted}",
        )


__all__ = [
    "LAMBDA_ONLY_FIELDS",
    "FunctionSettings",
    "check_visibility",
    "read_function",
    "refuse_lambda_only",
    "refuse_meaningless",
]
