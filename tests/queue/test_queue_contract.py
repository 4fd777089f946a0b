"""The DESIGN contract call `SqsWorkerQueue("jobs", {"platform": cluster, "image": ...,
"max_workers": 20})`: encrypted queue, dead-letter queue and redrive, policies, alarms,
outputs, and a clean policy-pack report."""

from __future__ import annotations

import json

import pulumi
import pytest
from queue_programs import ALARM, QUEUE, WORKER_IMAGE, children, component_record

from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.policy import check_plan
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.testing import preview
from gridops_infra.testing.validators import iam_findings

FOURTEEN_DAYS, FOUR_DAYS = 1_209_600, 345_600


def _program() -> None:
    cluster = FargateCluster("prod", {"network": Network("prod", {})})
    jobs = SqsWorkerQueue("jobs", {"platform": cluster, "image": WORKER_IMAGE, "max_workers": 20})
    pulumi.export("queue_url", jobs.queue_url)
    pulumi.export("queue_arn", jobs.queue_arn)
    pulumi.export("dlq_url", jobs.dlq_url)
    pulumi.export("dlq_arn", jobs.dlq_arn)
    pulumi.export("service_name", jobs.service_name)


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="fargate")


@pytest.fixture(scope="module")
def queue(plan):
    return plan.one(QUEUE, "jobs-queue")


@pytest.fixture(scope="module")
def dlq(plan):
    return plan.one(QUEUE, "jobs-dlq")


def test_both_queues_are_encrypted_with_sse(queue, dlq):
    for q in (queue, dlq):
        assert q.inputs["sqsManagedSseEnabled"] is True
        assert "kmsMasterKeyId" not in q.inputs


def test_failed_messages_move_to_the_dlq_after_five_receives(queue, dlq):
    redrive = json.loads(queue.inputs["redrivePolicy"])
    assert redrive == {"deadLetterTargetArn": dlq.outputs["arn"], "maxReceiveCount": 5}


def test_the_dlq_keeps_messages_longer_than_the_queue(queue, dlq):
    assert queue.inputs["messageRetentionSeconds"] == FOUR_DAYS
    assert dlq.inputs["messageRetentionSeconds"] == FOURTEEN_DAYS
    assert dlq.inputs["messageRetentionSeconds"] > queue.inputs["messageRetentionSeconds"]


def test_visibility_timeout_is_six_job_timeouts_and_receives_long_poll(queue):
    # job_timeout_seconds defaults to 60
    assert queue.inputs["visibilityTimeoutSeconds"] == 360
    assert queue.inputs["receiveWaitTimeSeconds"] == 20
    assert "fifoQueue" not in queue.inputs


def test_only_this_queue_may_redrive_into_the_dlq(plan, queue, dlq):
    allow = plan.one("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", "jobs-dlq-redrive-allow")
    assert allow.inputs["queueUrl"] == dlq.outputs["url"]
    assert json.loads(allow.inputs["redriveAllowPolicy"]) == {
        "redrivePermission": "byQueue",
        "sourceQueueArns": [queue.outputs["arn"]],
    }


def test_queue_policies_refuse_plain_http_and_pass_parliament(plan, queue, dlq):
    for name, q in (("jobs-queue-policy", queue), ("jobs-dlq-policy", dlq)):
        policy = plan.one("aws:sqs/queuePolicy:QueuePolicy", name)
        assert policy.inputs["queueUrl"] == q.outputs["url"]
        document = json.loads(policy.inputs["policy"])
        assert document["Statement"] == [
            {
                "Action": ["sqs:*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                "Effect": "Deny",
                "Principal": "*",
                "Resource": [q.outputs["arn"]],
                "Sid": "DenyInsecureTransport",
            }
        ]
        assert iam_findings(document) == []


def test_dlq_not_empty_and_oldest_message_alarms(plan, queue, dlq):
    dlq_alarm = plan.one(ALARM, "jobs-dlq-not-empty")
    assert dlq_alarm.inputs["namespace"] == "AWS/SQS"
    assert dlq_alarm.inputs["metricName"] == "ApproximateNumberOfMessagesVisible"
    assert dlq_alarm.inputs["dimensions"] == {"QueueName": dlq.outputs["name"]}
    assert dlq_alarm.inputs["comparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert dlq_alarm.inputs["threshold"] == 1
    age = plan.one(ALARM, "jobs-oldest-message-age")
    assert age.inputs["metricName"] == "ApproximateAgeOfOldestMessage"
    assert age.inputs["dimensions"] == {"QueueName": queue.outputs["name"]}
    assert age.inputs["statistic"] == "Maximum"
    # acceptable_latency_seconds defaults to 300
    assert age.inputs["comparisonOperator"] == "GreaterThanThreshold"
    assert age.inputs["threshold"] == 300


def test_outputs_name_the_queues_and_the_worker_service(plan, queue, dlq):
    out = plan.outputs
    assert out["queue_url"] == queue.outputs["url"]
    assert out["queue_url"].startswith(
        "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-queue-"
    )
    assert out["queue_arn"] == queue.outputs["arn"]
    assert out["dlq_url"] == dlq.outputs["url"] and out["dlq_arn"] == dlq.outputs["arn"]
    service = plan.one("aws:ecs/service:Service", "jobs-worker")
    assert out["service_name"] == service.outputs["name"]
    registered = component_record(plan, "gridops:aws:SqsWorkerQueue", "jobs").outputs
    assert {"queue_url", "queue_arn", "dlq_url", "dlq_arn", "service_name"} <= set(registered)


def test_every_child_is_tagged_and_parented_to_the_component(plan):
    kids = children(plan, "jobs")
    assert len(kids) >= 20
    for kid in kids:
        tags = kid.inputs.get("tags")
        if tags is not None:
            assert tags["gridops:component"] == "SqsWorkerQueue"


def test_policy_pack_finds_no_mandatory_violation_in_the_queue(plan):
    report = check_plan(plan)
    mine = [v for v in report.mandatory_failures if (v.resource_name or "").startswith("jobs")]
    assert mine == []
    assert not report.of_rule("sqs-encryption") and not report.of_rule("sqs-dead-letter-queue")
