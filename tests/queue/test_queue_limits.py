"""SqsWorkerQueue limits: a short `job_timeout_seconds` works without `seconds_per_job`
(its default follows the timeout down), an explicit `seconds_per_job` above the timeout
is refused naming it, and the worker fields it shares with StatelessService (image length,
sidecar names, task_statements, list fields) are refused naming the field before the
queue registers anything."""

from __future__ import annotations

import re
from typing import Any

import pytest
from queue_programs import POLICY, QUEUE, WORKER_IMAGE

from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.testing import preview

COMPONENT = "gridops:aws:SqsWorkerQueue"
BUCKET_OBJECTS = "arn:aws:s3:::acme-reports/*"


def image_of_length(length: int) -> str:
    prefix = "ghcr.io/acme/"
    image = prefix + "w" * (length - len(prefix) - 2) + ":1"
    assert len(image) == length
    return image


def sidecar(name: str) -> dict[str, Any]:
    return {"containers": [{"name": name, "image": "envoyproxy/envoy:v1.31.0"}]}


# (args beyond platform and image, pattern the error must match)
BAD: list[tuple[dict[str, Any], str]] = [
    ({"job_timeout_seconds": 5, "seconds_per_job": 6}, r"seconds_per_job=6 .*to 5\.0"),
    ({"job_timeout_seconds": 1, "seconds_per_job": 10}, r"seconds_per_job=10 .*to 1\.0"),
    ({"image": image_of_length(256)}, r"image='ghcr\.io/acme/w+:1' .*at most 255 .*has 256"),
    (sidecar("s" + "a" * 63), r"containers\[0\]\.name='sa{63}' .*at most 63"),
    (
        {"task_statements": [{"Action": "s3:GetObject", "Resource": "acme-reports"}]},
        r"task_statements\[0\]\.Resource='acme-reports' .*ARN",
    ),
    (
        {"task_statements": [{"Action": "s3:GetObject", "Resource": 5}]},
        r"task_statements\[0\]\.Resource=5 ",
    ),
    (
        {"task_statements": [{"Sid": "x y", "Action": "s3:GetObject", "Resource": BUCKET_OBJECTS}]},
        r"task_statements\[0\]\.Sid='x y'",
    ),
    ({"command": {"a": 1}}, r"command=\{'a': 1\} .*expected a list"),
    ({"alarm_actions": {"arn:aws:sns:us-east-1:123456789012:oncall"}}, r"alarm_actions=\{"),
    ({"rollback_alarm_names": {"a": 1}}, r"rollback_alarm_names=\{'a': 1\} .*expected a list"),
]


@pytest.fixture(scope="module")
def refused(preview_refusals):
    return preview_refusals(
        lambda: FargateCluster("prod", {"network": Network("prod", {})}),
        lambda cluster, i, case: SqsWorkerQueue(
            f"jobs{i}", {"platform": cluster, "image": WORKER_IMAGE, **case[0]}
        ),
        BAD,
    )


@pytest.mark.parametrize("index", range(len(BAD)), ids=[b[1][:50] for b in BAD])
def test_each_limit_is_refused_naming_the_field(refused, index):
    _, errors = refused
    assert index in errors, f"accepted: {BAD[index][0]}"
    assert errors[index].startswith(f"SqsWorkerQueue 'jobs{index}': "), errors[index]
    assert re.search(BAD[index][1], errors[index]), errors[index]


def test_refused_queues_register_nothing(refused):
    plan, errors = refused
    assert len(errors) == len(BAD)
    assert plan.of_type(COMPONENT) == []
    assert plan.of_type(QUEUE) == []
    assert [r.name for r in plan.resources if r.name.startswith("jobs")] == []


# job timeout -> the seconds_per_job it implies when none is given
SHORT_TIMEOUTS = {1: 1.0, 5: 5.0, 9: 9.0, 10: 10.0, 60: 10.0}


def _accepted_program() -> None:
    cluster = FargateCluster("prod", {"network": Network("prod", {})})
    for timeout in SHORT_TIMEOUTS:
        SqsWorkerQueue(
            f"t{timeout}",
            {"platform": cluster, "image": WORKER_IMAGE, "job_timeout_seconds": timeout},
        )
    SqsWorkerQueue(
        "edge",
        {
            "platform": cluster,
            "image": image_of_length(255),
            "job_timeout_seconds": 5,
            "seconds_per_job": 5,
            **sidecar("s" + "a" * 62),
            "task_statements": [
                {"Sid": "WriteReports", "Action": "s3:PutObject", "Resource": BUCKET_OBJECTS}
            ],
        },
    )


@pytest.fixture(scope="module")
def accepted():
    return preview(_accepted_program)


def test_short_job_timeouts_work_without_seconds_per_job(accepted):
    names = {r.name for r in accepted.of_type(COMPONENT)}
    assert names == {f"t{t}" for t in SHORT_TIMEOUTS} | {"edge"}


@pytest.mark.parametrize(("timeout", "seconds_per_job"), SHORT_TIMEOUTS.items())
def test_seconds_per_job_defaults_to_at_most_the_job_timeout(accepted, timeout, seconds_per_job):
    policy = accepted.one(POLICY, f"t{timeout}-scale-on-backlog")
    config = policy.inputs["targetTrackingScalingPolicyConfiguration"]
    # target backlog per task = acceptable_latency_seconds (default 300) / seconds_per_job
    assert config["targetValue"] == 300 / seconds_per_job
    queue = accepted.one(QUEUE, f"t{timeout}-queue")
    assert queue.inputs["visibilityTimeoutSeconds"] == 6 * timeout


def test_boundary_worker_values_reach_the_task_definition(accepted):
    task = accepted.one("aws:ecs/taskDefinition:TaskDefinition", "edge-task-definition")
    definitions = task.inputs["containerDefinitions"]
    assert image_of_length(255) in definitions and "s" + "a" * 62 in definitions
    policy = accepted.one(POLICY, "edge-scale-on-backlog")
    assert policy.inputs["targetTrackingScalingPolicyConfiguration"]["targetValue"] == 60.0
