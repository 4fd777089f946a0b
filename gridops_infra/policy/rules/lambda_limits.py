"""Lambda: the create-time rules AWS enforces (`core/aws_rules/lambda_.py`) where only the
whole Plan shows them: an event source mapping between a queue and a function declared
apart (hand-written, or transformed after SqsWorkerQueue checked its own)."""

from __future__ import annotations

from typing import Any

from gridops_infra.core.aws_rules import lambda_
from gridops_infra.policy._props import UNKNOWN, number, of_type, peek, refers_to
from gridops_infra.policy.rule import MANDATORY, ReportViolation, stack_rule
from gridops_infra.policy.rules.queue import QUEUE

FUNCTION = "aws:lambda/function:Function"
EVENT_SOURCE_MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping"
DEFAULT_FUNCTION_TIMEOUT = 3.0  # CreateFunction's default
DEFAULT_VISIBILITY_TIMEOUT = 30.0  # CreateQueue's default


@stack_rule(
    name="lambda-sqs-visibility-timeout",
    description="A queue that invokes a Lambda function keeps messages hidden at least as "
    "long as the function may run (Lambda refuses the event source mapping otherwise).",
    severity=MANDATORY,
    remediation=lambda_.SQS_VISIBILITY_TIMEOUT.fix,
    types=(EVENT_SOURCE_MAPPING, QUEUE, FUNCTION),
    aws_rule=lambda_.SQS_VISIBILITY_TIMEOUT.id,
)
def sqs_visibility_timeout(args: Any, report: ReportViolation) -> None:
    queues = of_type(args.resources, QUEUE)
    functions = of_type(args.resources, FUNCTION)
    for mapping in of_type(args.resources, EVENT_SOURCE_MAPPING):
        queue = next((q for q in queues if refers_to(mapping, "eventSourceArn", q, "arn")), None)
        function = next(
            (f for f in functions if refers_to(mapping, "functionName", f, "name", "arn")), None
        )
        if queue is None or function is None:
            continue
        visibility = _seconds(queue, "visibilityTimeoutSeconds", DEFAULT_VISIBILITY_TIMEOUT)
        timeout = _seconds(function, "timeout", DEFAULT_FUNCTION_TIMEOUT)
        if visibility is None or timeout is None or visibility >= timeout:
            continue
        report(
            f"queue {queue.name!r} hides a received message for {visibility:g} s, less than "
            f"function {function.name!r}'s timeout of {timeout:g} s: Lambda refuses the event "
            "source mapping.",
            mapping.urn,
        )


def _seconds(resource: Any, prop: str, default: float) -> float | None:
    """The prop's value, its default when unset, None when not known yet."""
    value = peek(resource.props, prop)
    if value is None:
        return default
    return None if value is UNKNOWN else number(value)
