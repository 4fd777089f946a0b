"""Draining the old stage's jobs queues into the new stage's: run from a shell (or a
one-off task) with boto3 once the new stage's workers consume their own queue.

- The old dead-letter queue: `start_dlq_move` starts an SQS message move task (a redrive
  SQS runs by itself) into the new stage's main queue. SQS takes only a dead-letter queue
  of another SQS queue as the source, one running task per queue and at most 500 messages
  per second; each is checked first, naming what to do instead.
- The old main queue: a move task cannot read it. The sound default is to let the old
  stage's workers drain it (they keep running until `backlog(old_queue).empty`); when they
  are already gone, `move_messages` copies what is left into the new queue and deletes
  each message from the old one only after SQS accepted the copy.

Delivery is at least once on both paths (SQS's own guarantee, and a copy whose delete was
lost is copied again), so workers on both sides dedupe: each copy carries the id of the
message it came from in the message attribute `gridops-origin-message-id` (kept from the
first copy when a message moves twice), and an app that cannot run a job twice keys its
idempotency record on that id when present, else on its own `MessageId`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gridops_infra.core.aws_rules.sqs import MESSAGE_MOVE_RATE, MESSAGE_MOVE_SOURCE_IS_DLQ

ORIGIN_ATTRIBUTE = "gridops-origin-message-id"
"""The message attribute naming the message a copy came from (workers dedupe on it)."""
MAX_ATTRIBUTES = 10
"""SQS carries at most 10 message attributes per message."""
WHERE = "queue drain"


@dataclass(frozen=True)
class Backlog:
    """What a queue still holds (SQS's approximate counts)."""

    visible: int
    in_flight: int
    delayed: int

    @property
    def empty(self) -> bool:
        return self.visible == self.in_flight == self.delayed == 0


@dataclass(frozen=True)
class MoveReport:
    moved: int
    """Messages copied to the destination and deleted from the source."""
    failed: int
    """Messages SQS refused to take; they stay in the source (visible again after its
    visibility timeout)."""


def backlog(sqs: Any, queue_url: str) -> Backlog:
    """The queue's approximate visible, in-flight and delayed message counts."""
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    visible, in_flight, delayed = (int(attributes.get(n, 0)) for n in names)
    return Backlog(visible, in_flight, delayed)


def check_move_task(sqs: Any, source_dlq_url: str, max_per_second: int | None = None) -> None:
    """Refuse a message move task SQS would refuse: a rate above 500 a second, or a source
    that is no SQS queue's dead-letter queue."""
    if max_per_second is not None and (
        isinstance(max_per_second, bool)
        or not isinstance(max_per_second, int)
        or not 1 <= max_per_second <= 500
    ):
        raise MESSAGE_MOVE_RATE.refuse(WHERE, "max_per_second", f"{max_per_second!r}")
    sources = sqs.list_dead_letter_source_queues(QueueUrl=source_dlq_url).get("queueUrls", [])
    if not sources:
        raise MESSAGE_MOVE_SOURCE_IS_DLQ.refuse(
            WHERE,
            "source",
            f"{source_dlq_url} is no SQS queue's dead-letter queue (no queue's redrive "
            "policy names it)",
        )


def start_dlq_move(
    sqs: Any,
    source_dlq_url: str,
    destination_arn: str,
    *,
    max_per_second: int | None = None,
) -> str:
    """Start moving the old dead-letter queue into `destination_arn` (the new stage's main
    queue); returns the task handle (`cancel_message_move_task` takes it)."""
    check_move_task(sqs, source_dlq_url, max_per_second)
    source_arn = sqs.get_queue_attributes(QueueUrl=source_dlq_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    running = [
        task
        for task in sqs.list_message_move_tasks(SourceArn=source_arn, MaxResults=10)["Results"]
        if task.get("Status") == "RUNNING"
    ]
    if running:
        raise MESSAGE_MOVE_SOURCE_IS_DLQ.refuse(
            WHERE, "source", f"{source_dlq_url} has a running move task already"
        )
    request: dict[str, Any] = {"SourceArn": source_arn, "DestinationArn": destination_arn}
    if max_per_second is not None:
        request["MaxNumberOfMessagesPerSecond"] = max_per_second
    return sqs.start_message_move_task(**request)["TaskHandle"]


def move_messages(
    sqs: Any,
    source_url: str,
    destination_url: str,
    *,
    limit: int | None = None,
    wait_seconds: int = 1,
    on_batch: Callable[[int], None] | None = None,
) -> MoveReport:
    """Copy messages from `source_url` to `destination_url` until a receive comes back
    empty (or `limit` moved), deleting each from the source once the copy is accepted.

    Run it only when nothing else consumes the source (the old workers stopped): a message
    in flight with an old worker is not seen, and comes back after its visibility timeout."""
    moved = failed = 0
    fifo = destination_url.endswith(".fifo")
    while limit is None or moved < limit:
        batch_size = 10 if limit is None else max(1, min(10, limit - moved))
        received = sqs.receive_message(
            QueueUrl=source_url,
            MaxNumberOfMessages=batch_size,
            WaitTimeSeconds=wait_seconds,
            MessageAttributeNames=["All"],
            MessageSystemAttributeNames=["All"],
        ).get("Messages", [])
        if not received:
            break
        entries = [_copy(str(i), message, fifo) for i, message in enumerate(received)]
        sent = sqs.send_message_batch(QueueUrl=destination_url, Entries=entries)
        accepted = {entry["Id"] for entry in sent.get("Successful", [])}
        failed += len(received) - len(accepted)
        done = [
            {"Id": str(i), "ReceiptHandle": message["ReceiptHandle"]}
            for i, message in enumerate(received)
            if str(i) in accepted
        ]
        if done:
            sqs.delete_message_batch(QueueUrl=source_url, Entries=done)
        moved += len(done)
        if on_batch is not None:
            on_batch(len(done))
        if not done:
            break  # SQS refuses every copy: stop rather than spin on the same messages.
    return MoveReport(moved=moved, failed=failed)


def _copy(entry_id: str, message: dict[str, Any], fifo: bool) -> dict[str, Any]:
    attributes = dict(message.get("MessageAttributes") or {})
    origin = attributes.get(ORIGIN_ATTRIBUTE, {}).get("StringValue") or message["MessageId"]
    if ORIGIN_ATTRIBUTE in attributes or len(attributes) < MAX_ATTRIBUTES:
        attributes[ORIGIN_ATTRIBUTE] = {"DataType": "String", "StringValue": origin}
    entry: dict[str, Any] = {"Id": entry_id, "MessageBody": message["Body"]}
    if attributes:
        entry["MessageAttributes"] = attributes
    if fifo:
        system = message.get("Attributes") or {}
        entry["MessageGroupId"] = system.get("MessageGroupId", "moved")
        # The origin id: SQS drops a second copy within its 5-minute deduplication window.
        entry["MessageDeduplicationId"] = origin
    return entry


__all__ = [
    "ORIGIN_ATTRIBUTE",
    "Backlog",
    "MoveReport",
    "backlog",
    "check_move_task",
    "move_messages",
    "start_dlq_move",
]
