"""Pricers for messaging: SQS queues (dead-letter queues at their own small volume) and SNS
topics."""

from __future__ import annotations

from gridops_infra.analysis.cost.context import Price, PricingContext, money
from gridops_infra.testing.plan import ResourceRecord


def sqs_queue(rec: ResourceRecord, ctx: PricingContext) -> Price:
    fifo = bool(rec.inputs.get("fifoQueue"))
    rate = ctx.rate("sqs", "fifo_requests_million" if fifo else "standard_requests_million")
    dead_letter = _is_dead_letter_queue(rec, ctx)
    events = not dead_letter and _is_event_queue(rec, ctx)
    key = (
        "sqs_dlq_requests_million"
        if dead_letter
        else "sqs_event_requests_million"
        if events
        else "sqs_requests_million"
    )
    m = ctx.usage(rec, key) or 0.0
    role = " (dead-letter queue)" if dead_letter else " (event queue)" if events else ""
    kind = f"{' (FIFO)' if fifo else ''}{role}"
    return Price(m * rate, f"{m:g}M requests x {money(rate)}/M{kind}", m * rate)


def _is_dead_letter_queue(rec: ResourceRecord, ctx: PricingContext) -> bool:
    """Whether another queue of the plan redrives into `rec` (failed messages only)."""
    arn = rec.outputs.get("arn")
    if not isinstance(arn, str):
        return False
    for other in ctx.plan.of_type("aws:sqs/queue:Queue"):
        policy = other.inputs.get("redrivePolicy")
        if isinstance(policy, str) and arn in policy:
            return True
    return False


def _is_event_queue(rec: ResourceRecord, ctx: PricingContext) -> bool:
    """Whether EventBridge rules deliver to `rec` (an interruption or event queue)."""
    arn = rec.outputs.get("arn")
    if not isinstance(arn, str):
        return False
    targets = ctx.plan.of_type("aws:cloudwatch/eventTarget:EventTarget")
    return any(t.inputs.get("arn") == arn for t in targets)


def sns_topic(rec: ResourceRecord, ctx: PricingContext) -> Price:
    rate = ctx.rate("sns", "publishes_million")
    m = ctx.usage(rec, "sns_publishes_million") or 0.0
    return Price(m * rate, f"{m:g}M publishes x {money(rate)}/M", m * rate)
