"""Queue options: FIFO (autonamed and named) with deduplication and high throughput, a
customer managed KMS key, explicit visibility and retention, capacity choices."""

from __future__ import annotations

import json

import pulumi
import pytest
from queue_programs import ACCOUNT, QUEUE, REGION, WORKER_IMAGE, doc

from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.testing import preview

KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _no_exec(args: dict, opts: pulumi.ResourceOptions) -> dict:
    return {**args, "propagate_tags": "TASK_DEFINITION"}


def _program() -> None:
    cluster = FargateCluster("prod", {"network": Network("prod", {})})
    base = {"platform": cluster, "image": WORKER_IMAGE}
    SqsWorkerQueue("events", {**base, "fifo": True, "high_throughput": True})
    SqsWorkerQueue("orders", {**base, "fifo": True, "queue_name": "orders.fifo"})
    secure = SqsWorkerQueue(
        "secure",
        {
            **base,
            "kms_key_arn": KEY,
            "job_timeout_seconds": 600,
            "visibility_timeout_seconds": 900,
            "message_retention_seconds": 86_400,
            "max_receive_count": 3,
            "acceptable_latency_seconds": 1800,
            "seconds_per_job": 120,
            "on_demand_base": 1,
        },
    )
    SqsWorkerQueue("steady", {**base, "spot": False, "task_protection": False})
    SqsWorkerQueue(
        "tuned",
        {**base, "transforms": {"queue": {"delay_seconds": 5}, "service": _no_exec}},
    )
    pulumi.export("secure_task", secure.policy_documents["task"])
    pulumi.export("secure_containers", secure.container_definitions)


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="fargate")


def test_autonamed_fifo_queues_end_in_fifo_and_deduplicate_by_content(plan):
    queue, dlq = plan.one(QUEUE, "events-queue"), plan.one(QUEUE, "events-dlq")
    for q in (queue, dlq):
        assert q.inputs["fifoQueue"] is True
        assert q.inputs["contentBasedDeduplication"] is True
        assert q.inputs["deduplicationScope"] == "messageGroup"
        assert q.inputs["fifoThroughputLimit"] == "perMessageGroupId"
        assert q.outputs["name"].endswith(".fifo") and q.outputs["url"].endswith(".fifo")
    assert json.loads(queue.inputs["redrivePolicy"])["deadLetterTargetArn"] == dlq.outputs["arn"]


def test_a_named_fifo_queue_names_its_dlq_after_it(plan):
    queue, dlq = plan.one(QUEUE, "orders-queue"), plan.one(QUEUE, "orders-dlq")
    assert queue.inputs["name"] == "orders.fifo"
    assert dlq.inputs["name"] == "orders-dlq.fifo"
    assert "deduplicationScope" not in queue.inputs  # high_throughput is off by default


def test_a_customer_managed_key_encrypts_both_queues(plan):
    for name in ("secure-queue", "secure-dlq"):
        q = plan.one(QUEUE, name)
        assert q.inputs["kmsMasterKeyId"] == KEY
        assert q.inputs["kmsDataKeyReusePeriodSeconds"] == 300
        assert "sqsManagedSseEnabled" not in q.inputs


def test_workers_decrypt_with_the_key_only_through_sqs(plan):
    statements = {s["Sid"]: s for s in doc(plan.outputs["secure_task"])["Statement"]}
    decrypt = statements["DecryptSecure"]
    assert decrypt["Action"] == ["kms:Decrypt"] and decrypt["Resource"] == [KEY]
    assert decrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": "sqs.us-east-1.amazonaws.com"}
    }


def test_explicit_visibility_retention_and_receive_count_are_used(plan):
    queue = plan.one(QUEUE, "secure-queue")
    assert queue.inputs["visibilityTimeoutSeconds"] == 900
    assert queue.inputs["messageRetentionSeconds"] == 86_400
    assert json.loads(queue.inputs["redrivePolicy"])["maxReceiveCount"] == 3


def test_long_jobs_get_the_longest_fargate_stop_timeout(plan):
    app = json.loads(plan.outputs["secure_containers"])[0]
    assert app["stopTimeout"] == 120  # job_timeout_seconds=600, Fargate's maximum is 120
    env = {e["name"]: e["value"] for e in app["environment"]}
    assert env["JOB_TIMEOUT_SECONDS"] == "600"


def test_spot_by_default_with_an_optional_on_demand_base(plan):
    secure = plan.one("aws:ecs/service:Service", "secure-worker")
    assert secure.inputs["capacityProviderStrategies"] == [
        {"base": 1, "capacityProvider": "FARGATE", "weight": 0},
        {"base": 0, "capacityProvider": "FARGATE_SPOT", "weight": 1},
    ]
    events = plan.one("aws:ecs/service:Service", "events-worker")
    assert events.inputs["capacityProviderStrategies"] == [
        {"base": 0, "capacityProvider": "FARGATE_SPOT", "weight": 1}
    ]
    steady = plan.one("aws:ecs/service:Service", "steady-worker")
    assert steady.inputs["capacityProviderStrategies"] == [
        {"base": 0, "capacityProvider": "FARGATE", "weight": 1}
    ]


def test_without_task_protection_the_role_cannot_protect_tasks(plan):
    policy = plan.one("aws:iam/rolePolicy:RolePolicy", "steady-task-policy")
    actions = {a for s in json.loads(policy.inputs["policy"])["Statement"] for a in s["Action"]}
    assert not any(a.startswith("ecs:") for a in actions)
    protected = plan.one("aws:iam/rolePolicy:RolePolicy", "events-task-policy")
    actions = {a for s in json.loads(protected.inputs["policy"])["Statement"] for a in s["Action"]}
    assert {"ecs:GetTaskProtection", "ecs:UpdateTaskProtection"} <= actions


def test_transforms_reach_the_queue_and_the_worker_service(plan):
    assert plan.one(QUEUE, "tuned-queue").inputs["delaySeconds"] == 5
    assert plan.one(QUEUE, "tuned-dlq").inputs.get("delaySeconds") is None
    service = plan.one("aws:ecs/service:Service", "tuned-worker")
    assert service.inputs["propagateTags"] == "TASK_DEFINITION"
