"""Bad SqsWorkerQueue input is refused with an error naming the field, before anything
is registered; platforms without a worker backend raise NotImplementedError naming them."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from queue_programs import WORKER_IMAGE

from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.platforms.base import PLATFORM_KINDS
from gridops_infra.queue import WORKER_BACKENDS, SqsWorkerQueue
from gridops_infra.testing import preview

COMPONENT = "gridops:aws:SqsWorkerQueue"

BAD: list[tuple[str, dict[str, Any], str]] = [
    (
        "jobs",
        {"job_timeout_seconds": 120, "visibility_timeout_seconds": 60},
        "visibility_timeout_seconds=60 .*from job_timeout_seconds=120",
    ),
    (
        "jobs",
        {"visibility_timeout_seconds": 43_201},
        "visibility_timeout_seconds: 43201 is outside 0..43200",
    ),
    ("jobs", {"job_timeout_seconds": 7_201}, "job_timeout_seconds=7201 .*give visibility"),
    ("jobs", {"job_timeout_seconds": 0}, "job_timeout_seconds=0"),
    ("jobs", {"max_receive_count": 0}, "max_receive_count=0 .*from 1 to 1000"),
    ("jobs", {"max_receive_count": 1001}, "max_receive_count=1001"),
    (
        "jobs",
        {"message_retention_seconds": 59},
        "message_retention_seconds: 59 is outside 60..1209600",
    ),
    (
        "jobs",
        {"message_retention_seconds": 1_209_601, "fifo": True},
        "message_retention_seconds: 1209601 is outside 60..1209600",
    ),
    (
        "jobs",
        {"message_retention_seconds": 1_209_600},
        "message_retention_seconds=1209600 .*13 days",
    ),
    (
        "jobs",
        {"fifo": True, "queue_name": "orders"},
        "queue_name: 'orders' with fifo=True.*ends with .fifo",
    ),
    (
        "jobs",
        {"queue_name": "orders.fifo"},
        "queue_name: 'orders.fifo' on a standard queue.*Set fifo=True",
    ),
    ("jobs", {"queue_name": "bad name"}, "queue_name: 'bad name'"),
    ("jobs", {"content_based_deduplication": True}, "content_based_deduplication=True .*fifo"),
    ("jobs", {"high_throughput": True}, "high_throughput=True .*fifo"),
    ("jobs", {"min_workers": 5, "max_workers": 2}, "min_workers=5 .*max_workers=2"),
    ("jobs", {"max_workers": 0}, "max_workers=0"),
    ("jobs", {"on_demand_base": 11}, "on_demand_base=11"),
    (
        "jobs",
        {"job_timeout_seconds": 300, "task_protection": False},
        "task_protection=False .*120 s",
    ),
    ("jobs", {"seconds_per_job": 90}, "seconds_per_job=90 .*to 60"),
    (
        "jobs",
        {"acceptable_latency_seconds": 5, "seconds_per_job": 10},
        "acceptable_latency_seconds=5 .*seconds_per_job=10",
    ),
    ("jobs", {"kms_key_arn": "alias/jobs"}, "kms_key_arn='alias/jobs'"),
    ("jobs", {"alarm_actions": ["oncall@acme.io"]}, "alarm_actions=.*not an SNS topic ARN"),
    ("jobs", {"environment": {"QUEUE_URL": "x"}}, "environment=\\['QUEUE_URL'\\]"),
    ("jobs", {"cpu": 300}, "cpu=300"),
    ("jobs", {"port": 8080}, "unknown argument\\(s\\) port"),
    ("jobs", {"image": None}, "image=None .*required"),
    ("jobs", {"platform": None}, "platform='nothing'"),
    ("jobs", {"transforms": {"target_group": {}}}, "transforms has unknown child role"),
    ("Jobs 1", {}, "name='Jobs 1'"),
]


@pytest.fixture(scope="module")
def results():
    errors: dict[int, str] = {}

    def program() -> None:
        cluster = FargateCluster("prod", {"network": Network("prod", {})})
        for i, (name, extra, _) in enumerate(BAD):
            args = {"platform": cluster, "image": WORKER_IMAGE, **extra}
            args = {k: v for k, v in args.items() if v is not None}
            try:
                SqsWorkerQueue(name, args)
            except ValueError as exc:
                errors[i] = str(exc)

    return preview(program), errors


@pytest.mark.parametrize("index", range(len(BAD)), ids=[b[2] for b in BAD])
def test_bad_input_is_refused_naming_the_field(results, index):
    _, errors = results
    assert index in errors, f"{BAD[index]} was accepted"
    assert errors[index].startswith("SqsWorkerQueue"), errors[index]
    assert re.search(BAD[index][2], errors[index]), errors[index]


def test_refused_queues_register_nothing(results):
    plan, errors = results
    assert len(errors) == len(BAD)
    assert plan.of_type(COMPONENT) == []
    assert plan.of_type("aws:sqs/queue:Queue") == []
    assert plan.of_type("aws:ecs/service:Service") == []


def test_a_mixed_case_name_with_an_underscore_is_accepted():
    """`Jobs_1` was refused before names of any case and length were; its queues keep
    autonaming (SQS takes both) and its workers run as a derived DNS label."""

    def program() -> None:
        cluster = FargateCluster("prod", {"network": Network("prod", {})})
        SqsWorkerQueue("Jobs_1", {"platform": cluster, "image": WORKER_IMAGE})

    plan = preview(program)
    assert [r.name for r in plan.of_type(COMPONENT)] == ["Jobs_1"]
    queues = plan.of_type("aws:sqs/queue:Queue")
    assert queues and all("name" not in r.inputs and "namePrefix" not in r.inputs for r in queues)
    (container,) = json.loads(
        plan.one("aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"]
    )
    assert re.fullmatch(r"jobs-1-[0-9a-f]{8}", container["name"]), container["name"]


def test_bad_input_raises_from_preview_too():
    def program() -> None:
        cluster = FargateCluster("prod", {"network": Network("prod", {})})
        SqsWorkerQueue("jobs", {"platform": cluster, "image": WORKER_IMAGE, "max_receive_count": 0})

    with pytest.raises(ValueError, match="max_receive_count"):
        preview(program)


def test_every_platform_kind_has_a_worker_backend():
    """`SqsWorkerQueue` refuses anything but a platform of a known kind, and each kind has
    its backend (the module refuses to import otherwise)."""
    assert set(WORKER_BACKENDS) == {*PLATFORM_KINDS, "lambda"}
    for kind, backend in WORKER_BACKENDS.items():
        assert backend.CHILD_ROLES and set(backend.CHILD_ROLES) <= set(SqsWorkerQueue.CHILD_ROLES)
        assert callable(backend.check) and callable(backend.build), kind
