"""The worker on Fargate: its roles reach this queue only, its containers are valid ECS
definitions without ports, its service has no load balancer and no inbound traffic, and
links work as for a StatelessService."""

from __future__ import annotations

import json

import pulumi
import pytest
from queue_programs import (
    ACCOUNT,
    DB_SECRET,
    QUEUE,
    REGION,
    ROLE_POLICY,
    WORKER_IMAGE,
    FakeDatabase,
    children,
    doc,
)

from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.testing import preview
from gridops_infra.testing.validators import ecs_container_definition_errors, iam_findings

DB: dict[str, FakeDatabase] = {}


def _program() -> None:
    cluster = FargateCluster("prod", {"network": Network("prod", {})})
    db = FakeDatabase()
    DB["db"] = db
    jobs = SqsWorkerQueue(
        "jobs",
        {
            "platform": cluster,
            "image": WORKER_IMAGE,
            "max_workers": 20,
            "links": [db],
            "environment": {"LOG_LEVEL": "info"},
            "command": ["python", "-m", "worker"],
            "job_timeout_seconds": 45,
        },
    )
    emails = SqsWorkerQueue("emails", {"platform": cluster, "image": WORKER_IMAGE})
    pulumi.export("jobs_policies", jobs.policy_documents)
    pulumi.export("jobs_containers", jobs.container_definitions)
    pulumi.export("jobs_sg", jobs.security_group_id)
    pulumi.export("emails_policies", emails.policy_documents)
    pulumi.export("cluster_name", cluster.cluster_name)
    pulumi.export("allowed_sg", db.allowed[0][1])


@pytest.fixture(scope="module")
def plan():
    DB.clear()
    return preview(_program, stack="fargate")


@pytest.fixture(scope="module")
def containers(plan):
    return json.loads(plan.outputs["jobs_containers"])


def _sqs_resources(policy: dict) -> set[str]:
    return {
        r
        for s in policy["Statement"]
        if any(a.startswith("sqs:") for a in s["Action"])
        for r in s["Resource"]
    }


def test_worker_consumes_its_own_queue_and_no_other(plan):
    jobs_arn = plan.one(QUEUE, "jobs-queue").outputs["arn"]
    other_arns = {
        plan.one(QUEUE, n).outputs["arn"] for n in ("jobs-dlq", "emails-queue", "emails-dlq")
    }
    task = doc(plan.outputs["jobs_policies"]["task"])
    consume = next(s for s in task["Statement"] if s["Sid"] == "ConsumeJobs")
    assert consume["Action"] == [
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
    ]
    assert _sqs_resources(task) == {jobs_arn}
    assert not _sqs_resources(task) & other_arns
    emails = doc(plan.outputs["emails_policies"]["task"])
    assert _sqs_resources(emails) == {plan.one(QUEUE, "emails-queue").outputs["arn"]}
    execution = doc(plan.outputs["jobs_policies"]["execution"])
    assert "sqs:" not in json.dumps(execution)


def test_task_protection_is_scoped_to_this_clusters_tasks(plan):
    task = doc(plan.outputs["jobs_policies"]["task"])
    protect = next(s for s in task["Statement"] if s["Sid"] == "ProtectJobsWorkerTasks")
    assert protect["Action"] == ["ecs:GetTaskProtection", "ecs:UpdateTaskProtection"]
    cluster = plan.outputs["cluster_name"]
    assert protect["Resource"] == [f"arn:aws:ecs:{REGION}:{ACCOUNT}:task/{cluster}/*"]


def test_every_worker_policy_passes_parliament(plan):
    documents = [
        *plan.outputs["jobs_policies"].values(),
        *plan.outputs["emails_policies"].values(),
    ]
    assert len(documents) == 4
    for document in documents:
        assert iam_findings(document) == [], document
    roles = [r for r in plan.of_type("aws:iam/role:Role") if r.name.startswith(("jobs", "emails"))]
    assert len(roles) == 4
    for role in roles:
        assert iam_findings(role.inputs["assumeRolePolicy"], trust=True) == []


def test_policies_attach_to_the_roles_they_were_built_for(plan):
    task_policy = plan.one(ROLE_POLICY, "jobs-task-policy")
    task_role = plan.one("aws:iam/role:Role", "jobs-task-role")
    assert task_policy.inputs["role"] == task_role.id
    assert doc(task_policy.inputs["policy"]) == doc(plan.outputs["jobs_policies"]["task"])
    definition = plan.one("aws:ecs/taskDefinition:TaskDefinition", "jobs-task-definition")
    assert definition.inputs["taskRoleArn"] == task_role.outputs["arn"]


def test_container_definitions_validate_against_the_ecs_model(plan, containers):
    assert ecs_container_definition_errors(containers) is None
    definition = plan.one("aws:ecs/taskDefinition:TaskDefinition", "jobs-task-definition")
    assert json.loads(definition.inputs["containerDefinitions"]) == containers
    assert definition.inputs["family"].endswith("-jobs-worker")


def test_worker_container_has_no_port_and_a_stop_timeout_covering_the_job(containers):
    (app,) = containers
    assert app["image"] == WORKER_IMAGE
    assert "portMappings" not in app and "healthCheck" not in app
    assert app["stopTimeout"] == 45  # job_timeout_seconds
    assert app["command"] == ["python", "-m", "worker"]
    assert app["readonlyRootFilesystem"] is True


def test_worker_environment_has_the_queue_url_and_link_settings(plan, containers):
    (app,) = containers
    env = {e["name"]: e["value"] for e in app["environment"]}
    assert env == {
        "DB_HOST": "db.cluster-abc.us-east-1.rds.amazonaws.com",
        "JOB_TIMEOUT_SECONDS": "45",
        "LOG_LEVEL": "info",
        "QUEUE_URL": plan.one(QUEUE, "jobs-queue").outputs["url"],
    }
    assert app["secrets"] == [{"name": "DB_PASSWORD", "valueFrom": f"{DB_SECRET}:password::"}]
    execution = doc(plan.outputs["jobs_policies"]["execution"])
    read = next(s for s in execution["Statement"] if s["Sid"] == "ReadSecrets")
    assert read["Resource"] == [DB_SECRET]


def test_links_admit_the_worker_security_group(plan):
    db = DB["db"]
    assert [name for name, _ in db.allowed] == ["jobs-worker"]
    assert plan.outputs["allowed_sg"] == plan.outputs["jobs_sg"]


def test_worker_service_has_no_load_balancer_and_runs_privately(plan):
    service = plan.one("aws:ecs/service:Service", "jobs-worker")
    assert "loadBalancers" not in service.inputs
    assert "healthCheckGracePeriodSeconds" not in service.inputs
    network = service.inputs["networkConfiguration"]
    assert network["assignPublicIp"] is False
    assert network["securityGroups"] == [plan.outputs["jobs_sg"]]
    assert service.inputs["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert service.inputs["desiredCount"] == 0  # min_workers
    assert service.inputs["availabilityZoneRebalancing"] == "DISABLED"
    assert "desiredCount" in service.ignore_changes
    assert not [
        r for r in plan.of_type("aws:lb/targetGroup:TargetGroup") if r.name.startswith("jobs")
    ]


def test_nothing_may_connect_to_the_workers(plan):
    sg = plan.one("aws:ec2/securityGroup:SecurityGroup", "jobs-sg")
    ingress = [
        r
        for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.inputs.get("securityGroupId") == sg.id
        or r.inputs.get("referencedSecurityGroupId") == sg.id
    ]
    assert ingress == []
    egress = children(plan, "jobs", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
    assert sorted((r.inputs.get("cidrIpv4"), r.inputs.get("fromPort")) for r in egress) == [
        ("0.0.0.0/0", 443),
        ("10.0.0.0/16", None),
    ]


def test_a_deployment_rolls_back_when_jobs_start_reaching_the_dead_letter_queue(plan):
    """The worker's ECS deployment alarm is the DLQ's growth (DIFF of its depth), not its
    depth: failures already waiting there must not roll back every later deployment."""
    service = plan.one("aws:ecs/service:Service", "jobs-worker")
    alarm = plan.one("aws:cloudwatch/metricAlarm:MetricAlarm", "jobs-dlq-growing")
    assert service.inputs["alarms"] == {
        "alarmNames": [alarm.inputs["name"]],
        "enable": True,
        "rollback": True,
    }
    assert alarm.urn in service.dependencies
    assert alarm.inputs["name"] == "gridops-fargate-jobs-dlq-growing"
    dlq = plan.one("aws:sqs/queue:Queue", "jobs-dlq")
    depth, growth = alarm.inputs["metricQueries"]
    assert depth["metric"]["metricName"] == "ApproximateNumberOfMessagesVisible"
    assert depth["metric"]["dimensions"] == {"QueueName": dlq.outputs["name"]}
    assert depth["returnData"] is False
    assert growth == {
        "id": "growth",
        "expression": "DIFF(depth)",
        "label": "messages added to the dead-letter queue",
        "returnData": True,
    }
    assert alarm.inputs["comparisonOperator"] == "GreaterThanThreshold"
    assert alarm.inputs["threshold"] == 0
    assert alarm.inputs["treatMissingData"] == "notBreaching"
    assert not alarm.inputs.get("alarmActions"), "it rolls back; dlq-not-empty notifies"


def test_user_rollback_alarms_join_the_dead_letter_alarm():
    def program() -> None:
        cluster = FargateCluster("prod", {"network": Network("prod", {})})
        SqsWorkerQueue(
            "jobs",
            {"platform": cluster, "image": WORKER_IMAGE, "rollback_alarm_names": ["jobs-errors"]},
        )

    service = preview(program).one("aws:ecs/service:Service", "jobs-worker")
    assert service.inputs["alarms"]["alarmNames"] == [
        "gridops-dev-jobs-dlq-growing",
        "jobs-errors",
    ]
