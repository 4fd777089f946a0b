"""SQS on moto's loopback server (tests/moto_server.py) for the queue drain's tests."""

from __future__ import annotations

import itertools
import json
from typing import Any

from tests.moto_server import aws_client, moto_endpoint

NUMBERS = itertools.count()

sqs_endpoint = moto_endpoint
"""A moto server on 127.0.0.1 (a free port) for the duration of the block."""


def sqs_client(endpoint: str) -> Any:
    return aws_client(endpoint, "sqs")


def make_queue(sqs: Any, name: str, dlq_of: str | None = None) -> tuple[str, str]:
    """A queue of its own (a server lives for a whole test module), optionally the
    dead-letter queue of `dlq_of`; returns (url, arn)."""
    url = sqs.create_queue(QueueName=f"q{next(NUMBERS)}-{name}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    if dlq_of is not None:
        policy = {"deadLetterTargetArn": arn, "maxReceiveCount": 5}
        sqs.set_queue_attributes(QueueUrl=dlq_of, Attributes={"RedrivePolicy": json.dumps(policy)})
    return url, arn
