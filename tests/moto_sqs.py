"""SQS's API as moto's server answers it on loopback, for tests of code that calls boto3
(the queue drain): a real HTTP endpoint, no hand-written fake."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

NUMBERS = itertools.count()


@contextmanager
def sqs_endpoint() -> Iterator[str]:
    """A moto server on 127.0.0.1 (a free port) for the duration of the block."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def sqs_client(endpoint: str) -> Any:
    return boto3.client(
        "sqs",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


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
