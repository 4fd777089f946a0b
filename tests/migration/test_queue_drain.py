"""The queue drain against SQS's API as moto's server answers it on loopback (started
here, one per test module): what is left in the old queue moves into the new one once,
with its attributes and the id it came from; a move task SQS would refuse is refused
first. moto does not implement StartMessageMoveTask itself, so only its checks run here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gridops_infra.migration.queue_drain import (
    ORIGIN_ATTRIBUTE,
    backlog,
    check_move_task,
    move_messages,
)
from tests.moto_sqs import make_queue, sqs_client, sqs_endpoint


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with sqs_endpoint() as url:
        yield url


@pytest.fixture
def sqs(endpoint: str) -> Any:
    return sqs_client(endpoint)


def bodies(sqs: Any, url: str) -> list[dict[str, Any]]:
    out = []
    while True:
        got = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
        ).get("Messages", [])
        if not got:
            return out
        out += got
        sqs.delete_message_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)
            ],
        )


def test_what_is_left_moves_once_with_its_origin_id(sqs: Any) -> None:
    old, _ = make_queue(sqs, "old-jobs")
    new, _ = make_queue(sqs, "new-jobs")
    sent_ids = {}
    for i in range(23):
        attributes = {"tenant": {"DataType": "String", "StringValue": f"t{i % 3}"}}
        reply = sqs.send_message(QueueUrl=old, MessageBody=f"job-{i}", MessageAttributes=attributes)
        sent_ids[f"job-{i}"] = reply["MessageId"]
    assert backlog(sqs, old).visible == 23

    report = move_messages(sqs, old, new, wait_seconds=0)

    assert (report.moved, report.failed) == (23, 0)
    assert backlog(sqs, old).empty
    copies = bodies(sqs, new)
    assert sorted(m["Body"] for m in copies) == sorted(sent_ids)
    for copy in copies:
        attributes = copy["MessageAttributes"]
        assert attributes[ORIGIN_ATTRIBUTE]["StringValue"] == sent_ids[copy["Body"]]
        assert attributes["tenant"]["StringValue"].startswith("t")


def test_a_message_moved_twice_keeps_its_first_origin(sqs: Any) -> None:
    first, _ = make_queue(sqs, "first")
    second, _ = make_queue(sqs, "second")
    third, _ = make_queue(sqs, "third")
    original = sqs.send_message(QueueUrl=first, MessageBody="job")["MessageId"]
    move_messages(sqs, first, second, wait_seconds=0)
    move_messages(sqs, second, third, wait_seconds=0)
    (copy,) = bodies(sqs, third)
    assert copy["MessageAttributes"][ORIGIN_ATTRIBUTE]["StringValue"] == original


def test_limit_moves_no_more(sqs: Any) -> None:
    old, _ = make_queue(sqs, "old")
    new, _ = make_queue(sqs, "new")
    for i in range(15):
        sqs.send_message(QueueUrl=old, MessageBody=str(i))
    report = move_messages(sqs, old, new, limit=12, wait_seconds=0)
    assert report.moved == 12
    assert backlog(sqs, new).visible == 12 and backlog(sqs, old).visible == 3


def test_into_a_fifo_queue_the_origin_id_deduplicates(sqs: Any) -> None:
    old, _ = make_queue(sqs, "old")
    new = sqs.create_queue(QueueName="drain-new.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    sqs.send_message(QueueUrl=old, MessageBody="job")
    assert move_messages(sqs, old, new, wait_seconds=0).moved == 1
    (copy,) = bodies(sqs, new)
    assert copy["Body"] == "job"


def test_a_move_task_from_a_queue_that_is_no_dlq_is_refused(sqs: Any) -> None:
    main, _ = make_queue(sqs, "main")
    with pytest.raises(ValueError, match="is no SQS queue's dead-letter queue") as e:
        check_move_task(sqs, main)
    assert "StartMessageMoveTask" in str(e.value)


def test_a_move_task_from_a_dlq_passes_the_checks(sqs: Any) -> None:
    main, _ = make_queue(sqs, "main")
    dlq, _ = make_queue(sqs, "dlq", dlq_of=main)
    check_move_task(sqs, dlq, max_per_second=500)


@pytest.mark.parametrize("rate", [0, 501, True])
def test_a_move_task_rate_sqs_refuses_is_refused(sqs: Any, rate: Any) -> None:
    main, _ = make_queue(sqs, "main")
    dlq, _ = make_queue(sqs, "dlq", dlq_of=main)
    with pytest.raises(ValueError, match=r"max_per_second: .*500 messages per second"):
        check_move_task(sqs, dlq, max_per_second=rate)
