"""Senders (a service linking the queue, or grant_send), the Linkable protocol, and the
metric helpers ObservabilityStack consumes."""

from __future__ import annotations

import json

import pulumi
import pytest
from queue_programs import ACCOUNT, QUEUE, REGION, ROLE_POLICY, WORKER_IMAGE, doc

from gridops_infra.core.links import Linkable
from gridops_infra.network.component import Network
from gridops_infra.observability.golden_signals import golden_signal_specs
from gridops_infra.platforms import FargateCluster
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.service import StatelessService
from gridops_infra.testing import preview
from gridops_infra.testing.validators import iam_findings

KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SEEN: dict[str, object] = {}


def _program() -> None:
    cluster = FargateCluster("prod", {"network": Network("prod", {})})
    jobs = SqsWorkerQueue("jobs", {"platform": cluster, "image": WORKER_IMAGE})
    video = SqsWorkerQueue(
        "video-jobs", {"platform": cluster, "image": WORKER_IMAGE, "kms_key_arn": KEY}
    )
    api = StatelessService(
        "api", {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2", "links": [jobs]}
    )
    first = video.grant_send(api)
    video.grant_send(jobs)  # a worker may feed another queue
    SEEN.update(
        jobs=jobs,
        video=video,
        same=video.grant_send(api) is first,
        allow=jobs.allow_from("api", api.security_group_id),
    )
    pulumi.export("api_policies", api.policy_documents)
    pulumi.export("api_task_role", api.task_role_arn)
    pulumi.export(
        "metric_dimensions",
        {
            "age": jobs.metric_age_of_oldest_message().dimensions,
            "depth": jobs.metric_dlq_depth().dimensions,
            "visible": jobs.metric_visible_messages().dimensions,
        },
    )


@pytest.fixture(scope="module")
def plan():
    SEEN.clear()
    return preview(_program, stack="fargate")


def test_the_queue_is_linkable(plan):
    assert isinstance(SEEN["jobs"], Linkable)


def test_a_linked_service_gets_the_url_named_after_the_queue(plan):
    definition = plan.one("aws:ecs/taskDefinition:TaskDefinition", "api-task-definition")
    env = {
        e["name"]: e["value"]
        for e in json.loads(definition.inputs["containerDefinitions"])[0]["environment"]
    }
    assert env["JOBS_QUEUE_URL"] == plan.one(QUEUE, "jobs-queue").outputs["url"]
    assert "QUEUE_URL" not in env


def test_a_linked_service_may_send_to_this_queue_only(plan):
    task = doc(plan.outputs["api_policies"]["task"])
    assert task["Statement"] == [
        {
            "Action": ["sqs:GetQueueAttributes", "sqs:SendMessage"],
            "Effect": "Allow",
            "Resource": [plan.one(QUEUE, "jobs-queue").outputs["arn"]],
            "Sid": "SendToJobs",
        }
    ]
    assert iam_findings(task) == []


def test_allow_from_opens_nothing(plan):
    assert SEEN["allow"] is None
    api_sg = plan.one("aws:ec2/securityGroup:SecurityGroup", "api-sg").id
    from_api = [
        r
        for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.inputs.get("referencedSecurityGroupId") == api_sg
    ]
    assert from_api == []


def test_grant_send_adds_one_policy_on_the_service_role(plan):
    assert SEEN["same"] is True
    policies = [r for r in plan.of_type(ROLE_POLICY) if r.name.startswith("video-jobs-send-")]
    assert sorted(p.name for p in policies) == ["video-jobs-send-api", "video-jobs-send-jobs"]
    policies = sorted(policies, key=lambda p: p.name)
    assert policies[0].inputs["role"] == plan.one("aws:iam/role:Role", "api-task-role").id
    assert policies[1].inputs["role"] == plan.one("aws:iam/role:Role", "jobs-task-role").id
    statements = {s["Sid"]: s for s in json.loads(policies[0].inputs["policy"])["Statement"]}
    assert statements["SendToVideoJobs"]["Resource"] == [
        plan.one(QUEUE, "video-jobs-queue").outputs["arn"]
    ]
    encrypt = statements["EncryptForVideoJobs"]
    assert encrypt["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert encrypt["Resource"] == [KEY]
    assert encrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": "sqs.us-east-1.amazonaws.com"}
    }
    assert iam_findings(policies[0].inputs["policy"]) == []


def test_grant_send_refuses_what_has_no_task_role():
    errors: list[str] = []

    def program() -> None:
        cluster = FargateCluster("prod", {"network": Network("prod", {})})
        jobs = SqsWorkerQueue("jobs", {"platform": cluster, "image": WORKER_IMAGE})
        try:
            jobs.grant_send(cluster)
        except ValueError as exc:
            errors.append(str(exc))

    preview(program)
    assert errors and "grant_send(FargateCluster)" in errors[0]


def test_metric_helpers_describe_the_queues(plan):
    jobs = SEEN["jobs"]
    assert isinstance(jobs, SqsWorkerQueue)
    queue_name = plan.one(QUEUE, "jobs-queue").outputs["name"]
    dlq_name = plan.one(QUEUE, "jobs-dlq").outputs["name"]
    age = jobs.metric_age_of_oldest_message()
    assert (age.namespace, age.name, age.statistic) == (
        "AWS/SQS",
        "ApproximateAgeOfOldestMessage",
        "Maximum",
    )
    depth = jobs.metric_dlq_depth()
    visible = jobs.metric_visible_messages()
    assert depth.name == visible.name == "ApproximateNumberOfMessagesVisible"
    assert plan.outputs["metric_dimensions"] == {
        "age": {"QueueName": queue_name},
        "depth": {"QueueName": dlq_name},
        "visible": {"QueueName": queue_name},
    }


def test_golden_signals_use_the_queue_helpers(plan):
    specs = {s.key: s for s in golden_signal_specs(SEEN["jobs"])}
    assert set(specs) == {
        "jobs.oldest-message-age",
        "jobs.dlq-not-empty",
        "jobs.worker-cpu",
        "jobs.worker-memory",
    }
    assert specs["jobs.dlq-not-empty"].metric is not None
    assert specs["jobs.dlq-not-empty"].metric.name == "ApproximateNumberOfMessagesVisible"
