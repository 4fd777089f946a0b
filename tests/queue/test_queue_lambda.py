"""The worker on a LambdaPlatform: a container-image function from the same image, an
event source mapping with partial batch responses and maximum concurrency, the queue and
its dead-letter queue as on every platform, a role that reaches this queue only, the
function in the private subnets behind its own security group (which linked resources
admit), and refusals, naming the field, of what Lambda cannot do."""

from __future__ import annotations

import json

import pulumi
import pytest
from queue_programs import ACCOUNT, DB_SECRET, QUEUE, REGION, ROLE_POLICY, FakeDatabase, doc

from gridops_infra import StatelessService
from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster, LambdaPlatform
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.testing import preview
from gridops_infra.testing.validators import iam_findings

IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/acme/worker:1.4.2"
FUNCTION = "aws:lambda/function:Function"
MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
SMTP_SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:smtp-AbCdEf"
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DB: dict[str, FakeDatabase] = {}


def _program() -> None:
    platform = LambdaPlatform("fn", {"network": Network("fn", {"az_count": 2})})
    DB["db"] = db = FakeDatabase()
    jobs = SqsWorkerQueue(
        "jobs",
        {
            "platform": platform,
            "image": IMAGE,
            "command": ["worker.handler"],
            "job_timeout_seconds": 120,
            "memory": 1769,
            "ephemeral_storage_mb": 2048,
            "cpu_architecture": "X86_64",
            "max_workers": 25,
            "reserved_concurrency": 30,
            "batch_size": 50,
            "max_batching_window_seconds": 5,
            "kms_key_arn": KMS_KEY,
            "links": [db],
            "environment": {"LOG_LEVEL": "info"},
            "secrets": {"SMTP_PASSWORD": SMTP_SECRET},
            "log_retention_days": 90,
        },
    )
    SqsWorkerQueue("emails", {"platform": platform, "image": IMAGE})
    pulumi.export("jobs_policies", jobs.policy_documents)


@pytest.fixture(scope="module")
def plan():
    return preview(_program)


def test_the_function_runs_the_image_with_the_worker_spec(plan):
    function = plan.one(FUNCTION, "jobs-worker")
    inputs = function.inputs
    assert inputs["packageType"] == "Image" and inputs["imageUri"] == IMAGE
    assert inputs["imageConfig"] == {"commands": ["worker.handler"]}
    assert inputs["timeout"] == 120
    assert inputs["memorySize"] == 1769
    assert inputs["ephemeralStorage"] == {"size": 2048}
    assert inputs["architectures"] == ["x86_64"]
    assert inputs["reservedConcurrentExecutions"] == 30
    variables = inputs["environment"]["variables"]
    assert variables["LOG_LEVEL"] == "info" and variables["JOB_TIMEOUT_SECONDS"] == "120"
    assert variables["QUEUE_URL"] == plan.one(QUEUE, "jobs-queue").outputs["url"]
    assert variables["DB_HOST"].endswith(".rds.amazonaws.com")
    # Secrets reach the function as references only, never as values.
    assert variables["SMTP_PASSWORD_SECRET_ARN"] == SMTP_SECRET
    assert variables["DB_PASSWORD_SECRET_ARN"] == f"{DB_SECRET}:password::"
    assert "SMTP_PASSWORD" not in variables and "DB_PASSWORD" not in variables


def test_the_event_source_mapping_batches_with_partial_responses_and_a_concurrency_cap(plan):
    mapping = plan.one(MAPPING, "jobs-source")
    inputs = mapping.inputs
    assert inputs["eventSourceArn"] == plan.one(QUEUE, "jobs-queue").outputs["arn"]
    assert inputs["functionName"] == plan.one(FUNCTION, "jobs-worker").outputs["name"]
    assert inputs["batchSize"] == 50
    assert inputs["maximumBatchingWindowInSeconds"] == 5
    assert inputs["functionResponseTypes"] == ["ReportBatchItemFailures"]
    assert inputs["scalingConfig"] == {"maximumConcurrency": 25}
    defaults = plan.one(MAPPING, "emails-source").inputs
    assert defaults["batchSize"] == 10 and defaults["scalingConfig"] == {"maximumConcurrency": 10}
    assert "maximumBatchingWindowInSeconds" not in defaults
    assert "reservedConcurrentExecutions" not in plan.one(FUNCTION, "emails-worker").inputs


def test_the_queue_hides_a_message_six_function_timeouts_and_keeps_its_dead_letter_queue(plan):
    queue = plan.one(QUEUE, "jobs-queue")
    assert queue.inputs["visibilityTimeoutSeconds"] == 6 * 120
    policy = json.loads(queue.inputs["redrivePolicy"])
    assert policy["deadLetterTargetArn"] == plan.one(QUEUE, "jobs-dlq").outputs["arn"]
    assert policy["maxReceiveCount"] == 5


def test_the_role_consumes_this_queue_only_and_reads_exactly_its_secrets(plan):
    document = doc(plan.outputs["jobs_policies"]["function"])
    assert iam_findings(document) == []
    by_sid = {s["Sid"]: s for s in document["Statement"] if "Sid" in s}
    queue_arn = plan.one(QUEUE, "jobs-queue").outputs["arn"]
    assert by_sid["ConsumeJobs"]["Resource"] == [queue_arn]
    assert by_sid["ConsumeJobs"]["Action"] == [
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
    ]
    assert by_sid["DecryptJobs"]["Resource"] == [KMS_KEY]
    assert sorted(by_sid["ReadSecrets"]["Resource"]) == sorted([DB_SECRET, SMTP_SECRET])
    logs = plan.one("aws:cloudwatch/logGroup:LogGroup", "jobs-logs")
    assert by_sid["WriteFunctionLogs"]["Resource"] == [f"{logs.outputs['arn']}:log-stream:*"]
    interfaces = by_sid["ManageFunctionNetworkInterfaces"]["Resource"]
    assert all(r.startswith(f"arn:aws:ec2:{REGION}:{ACCOUNT}:") for r in interfaces)
    # Only Describe* (no resource-level permissions) names "*".
    starred = [s for s in document["Statement"] if "*" in s["Resource"]]
    assert [s["Sid"] for s in starred] == ["DescribeVpc"]
    assert all(a.startswith("ec2:Describe") for a in starred[0]["Action"])
    role = plan.one("aws:iam/role:Role", "jobs-fn-role")
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert plan.one(ROLE_POLICY, "jobs-fn-policy").inputs["role"] == role.id
    assert plan.one(FUNCTION, "jobs-worker").inputs["role"] == role.outputs["arn"]


def test_the_function_sits_in_the_private_subnets_and_linked_resources_admit_its_group(plan):
    function = plan.one(FUNCTION, "jobs-worker")
    group = plan.one("aws:ec2/securityGroup:SecurityGroup", "jobs-sg")
    assert function.inputs["vpcConfig"]["securityGroupIds"] == [group.id]
    private = [s.id for s in plan.of_type("aws:ec2/subnet:Subnet") if "private" in s.name]
    assert len(private) == 2
    assert sorted(function.inputs["vpcConfig"]["subnetIds"]) == sorted(private)
    assert [name for name, _ in DB["db"].allowed] == ["jobs-worker"]
    ingress = [
        r
        for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.inputs.get("securityGroupId") == group.id
    ]
    assert ingress == []


def test_logs_go_to_its_own_log_group_with_the_retention(plan):
    logs = plan.one("aws:cloudwatch/logGroup:LogGroup", "jobs-logs")
    assert logs.inputs["retentionInDays"] == 90
    config = plan.one(FUNCTION, "jobs-worker").inputs["loggingConfig"]
    assert config["logGroup"] == logs.inputs["name"]


def test_alarms_cover_dead_letters_age_errors_and_throttles_to_the_platform_topic(plan):
    topic = plan.one("aws:sns/topic:Topic", "fn-alarm-topic").outputs["arn"]
    alarms = {r.name: r.inputs for r in plan.of_type(ALARM) if r.name.startswith("jobs-")}
    assert set(alarms) == {
        "jobs-dlq-not-empty",
        "jobs-oldest-message-age",
        "jobs-function-errors",
        "jobs-function-throttles",
    }
    name = plan.one(FUNCTION, "jobs-worker").outputs["name"]
    for metric in ("Errors", "Throttles"):
        alarm = alarms[f"jobs-function-{metric.lower()}"]
        assert alarm["namespace"] == "AWS/Lambda" and alarm["metricName"] == metric
        assert alarm["dimensions"] == {"FunctionName": name}
        assert alarm["statistic"] == "Sum" and alarm["threshold"] == 1
    assert all(a["alarmActions"] == [topic] for a in alarms.values())


def test_nothing_of_a_container_worker_is_built(plan):
    types = {r.type for r in plan.resources if r.name.startswith("jobs")}
    assert not types & {
        "aws:ecs/service:Service",
        "aws:ecs/taskDefinition:TaskDefinition",
        "aws:appautoscaling/target:Target",
        "aws:appautoscaling/policy:Policy",
    }


# --- Refusals: what Lambda cannot do, naming the field, registering nothing ------------

REFUSED: list[tuple[dict, str]] = [
    ({"cpu": 512, "memory": 1024}, r"cpu=512 .*LambdaPlatform.*memory"),
    ({"containers": [{"name": "agent", "image": "ghcr.io/acme/agent:1"}]}, "containers=.*LambdaPlatform"),
    ({"user": "1000"}, "user='1000' .*LambdaPlatform"),
    ({"image_pull_secret_arn": SMTP_SECRET}, "image_pull_secret_arn=.*LambdaPlatform"),
    ({"enable_execute_command": True}, "enable_execute_command=True .*LambdaPlatform"),
    ({"container_health_check_command": ["CMD", "true"]}, "container_health_check_command=.*LambdaPlatform"),
    ({"rollback_alarm_names": ["x"]}, "rollback_alarm_names=.*LambdaPlatform"),
    ({"read_only_root_filesystem": False}, "read_only_root_filesystem=False .*LambdaPlatform"),
    ({"writable_paths": ["/tmp", "/work"]}, "writable_paths=.*only /tmp"),
    ({"min_workers": 1}, "min_workers=1 .*LambdaPlatform"),
    ({"seconds_per_job": 2.0}, "seconds_per_job=2.0 .*LambdaPlatform"),
    ({"scale_in_cooldown_seconds": 60}, "scale_in_cooldown_seconds=60 .*LambdaPlatform"),
    ({"scale_out_cooldown_seconds": 60}, "scale_out_cooldown_seconds=60 .*LambdaPlatform"),
    ({"spot": True}, "spot=True .*LambdaPlatform"),
    ({"on_demand_base": 1}, "on_demand_base=1 .*LambdaPlatform"),
    ({"task_protection": True}, "task_protection=True .*LambdaPlatform"),
    ({"reserved_concurrency": 5, "max_workers": 10}, "reserved_concurrency=5 .*max_workers=10"),
    ({"reserved_concurrency": 20, "max_workers": "ten"}, "max_workers='ten' .*whole number"),
    ({"secrets": {"QUEUE": SMTP_SECRET}, "environment": {"QUEUE_SECRET_ARN": "x"}}, "QUEUE_SECRET_ARN"),
]  # fmt: skip


@pytest.fixture(scope="module")
def refusals(preview_refusals):
    def setup():
        return LambdaPlatform("fn", {"network": Network("fn", {"az_count": 2})})

    def make(platform, i, case):
        args, _ = case
        SqsWorkerQueue(f"bad{i}", {"platform": platform, "image": IMAGE, **args})

    return preview_refusals(setup, make, REFUSED)


@pytest.mark.parametrize("index", range(len(REFUSED)))
def test_what_lambda_cannot_do_is_refused_by_name_and_registers_nothing(refusals, index):
    import re

    plan, errors = refusals
    _, pattern = REFUSED[index]
    assert re.search(pattern, errors.get(index, "")), errors.get(index)
    assert SMTP_SECRET not in errors[index] or "image_pull_secret_arn" in errors[index]
    assert [r for r in plan.resources if r.name.startswith(f"bad{index}")] == []


LAMBDA_ONLY = ["batch_size", "max_batching_window_seconds", "reserved_concurrency", "ephemeral_storage_mb"]  # fmt: skip


@pytest.mark.parametrize("field", LAMBDA_ONLY)
def test_the_function_settings_are_refused_on_a_container_platform(preview_refusals, field):
    def setup():
        return FargateCluster("prod", {"network": Network("prod", {"az_count": 2})})

    def make(cluster, i, value):
        SqsWorkerQueue("jobs", {"platform": cluster, "image": IMAGE, field: value})

    plan, errors = preview_refusals(setup, make, [20])
    assert f"{field}=20 is not allowed; only on a LambdaPlatform" in errors[0]
    assert "FargateCluster" in errors[0]
    assert [r for r in plan.resources if r.name.startswith("jobs")] == []


def test_a_service_cannot_run_on_a_lambda_platform(preview_refusals):
    def setup():
        return LambdaPlatform("fn", {"network": Network("fn", {"az_count": 2})})

    def make(platform, i, case):
        StatelessService("api", {"platform": platform, "image": IMAGE})

    plan, errors = preview_refusals(setup, make, [None])
    assert "platform=LambdaPlatform is not allowed" in errors[0]
    assert [r for r in plan.resources if r.name.startswith("api")] == []


def test_without_nat_the_secrets_need_an_endpoint(preview_refusals):
    def setup():
        return {
            nat: LambdaPlatform(
                f"fn-{i}",
                {
                    "network": Network(
                        f"net-{i}",
                        {"az_count": 2, "nat": "none", "vpc_endpoints": endpoints},
                    )
                },
            )
            for i, (nat, endpoints) in enumerate((("bare", []), ("endpoints", ["secretsmanager"])))
        }

    def make(platforms, i, kind):
        SqsWorkerQueue(
            f"q{i}",
            {"platform": platforms[kind], "image": IMAGE, "secrets": {"SMTP": SMTP_SECRET}},
        )

    plan, errors = preview_refusals(setup, make, ["bare", "endpoints"])
    assert "secrets: the function's code calls secretsmanager" in errors[0]
    assert 1 not in errors
    assert [r for r in plan.resources if r.name.startswith("q0")] == []
    assert plan.one(FUNCTION, "q1-worker")
