"""SQS: the create-time rules AWS enforces (`core/aws_rules/sqs.py`) on queues and their
redrive policies, checked on the whole Plan (transforms, hand-written queues)."""

from __future__ import annotations

import re
from typing import Any

from gridops_infra.core.aws_rules import sqs
from gridops_infra.policy._props import UNKNOWN, depends_on, is_true, number, of_type, peek, text
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, stack_rule
from gridops_infra.policy.rules.queue import QUEUE, dead_letter_target, redrive_links

QUEUE_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}")
ATTRIBUTE_RANGES = (
    ("visibilityTimeoutSeconds", 0, 43_200),
    ("messageRetentionSeconds", 60, 1_209_600),
    ("delaySeconds", 0, 900),
    ("receiveWaitTimeSeconds", 0, 20),
)


@resource_rule(
    name="sqs-queue-name",
    description="An SQS queue name has at most 80 letters, digits, '-' and '_', and ends in "
    ".fifo exactly when the queue is FIFO.",
    severity=MANDATORY,
    remediation=sqs.QUEUE_NAME.fix,
    types=(QUEUE,),
    aws_rule=sqs.QUEUE_NAME.id,
)
def queue_name(args: Any, report: ReportViolation) -> None:
    name = peek(args.props, "name")
    if not isinstance(name, str) or not name:
        return  # unnamed (Pulumi names it) or not known yet
    fifo = is_true(peek(args.props, "fifoQueue"))
    base = name.removesuffix(".fifo")
    if len(name) > 80 or not QUEUE_NAME.fullmatch(base):
        report(f"queue name {name!r} is not 1..80 letters, digits, '-' or '_'.")
    elif fifo != name.endswith(".fifo"):
        kind = "a FIFO queue needs" if fifo else "only a FIFO queue may have"
        report(f"queue name {name!r}: {kind} the .fifo suffix.")


@resource_rule(
    name="sqs-queue-attribute-ranges",
    description="SQS queue timings are within what SQS accepts (visibility 0..43200 s, "
    "retention 60..1209600 s, delay 0..900 s, receive wait 0..20 s).",
    severity=MANDATORY,
    remediation=sqs.QUEUE_ATTRIBUTES.fix,
    types=(QUEUE,),
    aws_rule=sqs.QUEUE_ATTRIBUTES.id,
)
def attribute_ranges(args: Any, report: ReportViolation) -> None:
    for prop, lo, hi in ATTRIBUTE_RANGES:
        value = number(peek(args.props, prop))
        if value is not None and not lo <= value <= hi:
            report(f"{prop} is {value:g}; SQS accepts {lo}..{hi}.")


def _is_fifo(queue: Any) -> Any:
    flag = peek(queue.props, "fifoQueue")
    if flag is UNKNOWN:
        return UNKNOWN
    return is_true(flag) or text(peek(queue.props, "name")).endswith(".fifo")


def _source_queue(holder: Any, queues: list[Any]) -> Any:
    if holder.resource_type == QUEUE:
        return holder
    url = peek(holder.props, "queueUrl")
    for queue in queues:
        if depends_on(holder, "queueUrl", queue) or (url and url == peek(queue.props, "url")):
            return queue
    return None


def _target_queue(holder: Any, policy: Any, queues: list[Any]) -> Any:
    target = dead_letter_target(policy)
    for queue in queues:
        if queue is holder:
            continue
        if (isinstance(target, str) and target == peek(queue.props, "arn")) or depends_on(
            holder, "redrivePolicy", queue
        ):
            return queue
    return None


@stack_rule(
    name="sqs-dead-letter-same-type",
    description="A queue's dead-letter queue is of the same type (FIFO or standard).",
    severity=MANDATORY,
    remediation=sqs.DEAD_LETTER_SAME_TYPE.fix,
    types=(QUEUE, "aws:sqs/redrivePolicy:RedrivePolicy"),
    aws_rule=sqs.DEAD_LETTER_SAME_TYPE.id,
)
def dead_letter_same_type(args: Any, report: ReportViolation) -> None:
    queues = of_type(args.resources, QUEUE)
    for holder, policy in redrive_links(args.resources):
        source = _source_queue(holder, queues)
        target = _target_queue(holder, policy, queues)
        if source is None or target is None:
            continue
        source_fifo, target_fifo = _is_fifo(source), _is_fifo(target)
        if UNKNOWN in (source_fifo, target_fifo) or source_fifo == target_fifo:
            continue
        kinds = {True: "FIFO", False: "standard"}
        report(
            f"queue {source.name!r} ({kinds[source_fifo]}) redrives to {target.name!r} "
            f"({kinds[target_fifo]}); SQS refuses a dead-letter queue of another type.",
            holder.urn,
        )
