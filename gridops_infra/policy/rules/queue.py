"""SQS: encryption and dead-letter queues."""

from __future__ import annotations

from typing import Any

from gridops_infra.policy._props import (
    UNKNOWN,
    depends_on,
    get,
    is_true,
    of_type,
    parse_json,
    peek,
    text,
)
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, stack_rule

QUEUE = "aws:sqs/queue:Queue"
REDRIVE_POLICY = "aws:sqs/redrivePolicy:RedrivePolicy"


@resource_rule(
    name="sqs-encryption",
    description="SQS queues encrypt messages at rest (SSE-SQS or a KMS key), set explicitly.",
    severity=MANDATORY,
    remediation="Set sqs_managed_sse_enabled=True, or kms_master_key_id=<key arn> for a "
    "customer managed key.",
    types=(QUEUE,),
)
def encryption(args: Any, report: ReportViolation) -> None:
    if is_true(get(args.props, "sqsManagedSseEnabled")) or text(get(args.props, "kmsMasterKeyId")):
        return
    report("neither sqsManagedSseEnabled nor kmsMasterKeyId is set.")


def dead_letter_target(policy: Any) -> Any:
    """The deadLetterTargetArn of a redrive policy (JSON string or object); UNKNOWN when the
    policy is not known yet, None when there is none."""
    if policy is UNKNOWN:
        return UNKNOWN
    document = parse_json(policy)
    if not isinstance(document, dict):
        return None
    return document.get("deadLetterTargetArn") or None


def redrive_links(resources: list[Any]) -> list[tuple[Any, Any]]:
    """(holder, redrive policy value) for queues with redrivePolicy and RedrivePolicy
    resources."""
    links = [(q, peek(q.props, "redrivePolicy")) for q in of_type(resources, QUEUE)]
    links += [(r, peek(r.props, "redrivePolicy")) for r in of_type(resources, REDRIVE_POLICY)]
    return [(holder, policy) for holder, policy in links if policy is not None]


def is_dead_letter_queue(queue: Any, links: list[tuple[Any, Any]]) -> bool:
    arn = peek(queue.props, "arn")
    for holder, policy in links:
        if holder is queue:
            continue
        target = dead_letter_target(policy)
        if isinstance(target, str) and target == arn:
            return True
        if depends_on(holder, "redrivePolicy", queue):
            return True
    return False


def has_dead_letter_queue(queue: Any, links: list[tuple[Any, Any]]) -> bool:
    for holder, policy in links:
        if dead_letter_target(policy) is None:
            continue
        if holder is queue:
            return True
        if holder.resource_type == REDRIVE_POLICY:
            url = peek(holder.props, "queueUrl")
            if depends_on(holder, "queueUrl", queue) or (url and url == peek(queue.props, "url")):
                return True
    return False


@stack_rule(
    name="sqs-dead-letter-queue",
    description="Every SQS queue that is not itself a dead-letter queue sends messages that "
    "keep failing to one.",
    severity=MANDATORY,
    remediation="Create a second queue and set redrive_policy=json.dumps({'deadLetterTargetArn':"
    " <dlq arn>, 'maxReceiveCount': 5}) on the work queue (or add aws.sqs.RedrivePolicy), and "
    "alarm on the DLQ's ApproximateNumberOfMessagesVisible.",
    types=(QUEUE, REDRIVE_POLICY),
)
def dead_letter_queue(args: Any, report: ReportViolation) -> None:
    links = redrive_links(args.resources)
    for queue in of_type(args.resources, QUEUE):
        if has_dead_letter_queue(queue, links) or is_dead_letter_queue(queue, links):
            continue
        report(
            f"queue {queue.name!r} has no redrive policy: a poison message is retried until "
            "it expires, blocking or slowing the workers.",
            queue.urn,
        )
