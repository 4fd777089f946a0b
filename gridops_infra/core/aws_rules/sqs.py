"""Amazon SQS: what CreateQueue and a redrive policy refuse for the queues SqsWorkerQueue
builds."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Amazon SQS"
CREATE_QUEUE = (
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html"
)

QUEUE_NAME = aws_rule(
    id="sqs-queue-name",
    service=SERVICE,
    rule="A queue name has up to 80 letters, digits, hyphens or underscores; a FIFO queue's "
    "name ends with .fifo (counted in the 80), a standard queue's does not.",
    source=CREATE_QUEUE,
    fix="Pass a queue_name such as 'orders' (or 'orders.fifo' with fifo=True), or leave it "
    "out and let Pulumi name the queue.",
)

QUEUE_ATTRIBUTES = aws_rule(
    id="sqs-queue-attribute-ranges",
    service=SERVICE,
    rule="VisibilityTimeout is 0..43200 s, MessageRetentionPeriod 60..1209600 s, DelaySeconds "
    "0..900 s and ReceiveMessageWaitTimeSeconds 0..20 s.",
    source=CREATE_QUEUE,
    fix="Keep visibility_timeout_seconds <= 43200 (12 hours), message_retention_seconds within "
    "60..1209600 (14 days), delay_seconds <= 900 and receive_wait_time_seconds <= 20.",
)

DEAD_LETTER_SAME_TYPE = aws_rule(
    id="sqs-dead-letter-same-type",
    service=SERVICE,
    rule="A dead-letter queue is of the same type as its source queue: a FIFO queue can only "
    "use a FIFO dead-letter queue, a standard queue only a standard one.",
    source="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue.html",
    fix="Point the redrive policy at a queue of the source's type (fifo_queue the same on "
    "both); SqsWorkerQueue builds its dead-letter queue that way.",
)

START_MESSAGE_MOVE_TASK = (
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/"
    "API_StartMessageMoveTask.html"
)

MESSAGE_MOVE_SOURCE_IS_DLQ = aws_rule(
    id="sqs-message-move-source-is-dlq",
    service=SERVICE,
    rule="A message move task's source is a dead-letter queue of another SQS queue, and a "
    "queue has at most one active message move task.",
    source=START_MESSAGE_MOVE_TASK,
    fix="Move only the old stage's dead-letter queue with a move task; what is left in its "
    "main queue drains through the old workers or move_messages(), and wait for (or cancel) "
    "a running task first.",
)

MESSAGE_MOVE_RATE = aws_rule(
    id="sqs-message-move-rate",
    service=SERVICE,
    rule="A message move task moves at most 500 messages per second.",
    source=START_MESSAGE_MOVE_TASK,
    fix="Give max_per_second between 1 and 500, or leave it out for SQS to choose.",
)
