"""Amazon SQS: each create-time rule of `core/aws_rules/sqs.py` refuses a program AWS would
refuse (in SqsWorkerQueue before it registers anything, or as a mandatory violation of the
Plan) and accepts the nearest one AWS accepts."""

from __future__ import annotations

import pytest

from gridops_infra import FargateCluster, Network, SqsWorkerQueue

from .aws_data_programs import assert_plan_rule
from .refusals import assert_cites

IMAGE = "ghcr.io/acme/worker:1.4.2"

# (AWS rule id, field, refused arguments, accepted arguments)
COMPONENT_CASES = [
    ("sqs-queue-name", "queue_name", {"queue_name": "orders!"}, {"queue_name": "orders"}),
    ("sqs-queue-name", "queue_name", {"queue_name": "o" * 81}, {"queue_name": "o" * 70}),
    ("sqs-queue-name", "queue_name", {"fifo": True, "queue_name": "orders"}, {"fifo": True, "queue_name": "orders.fifo"}),
    ("sqs-queue-name", "queue_name", {"queue_name": "orders.fifo"}, {"queue_name": "orders-fifo"}),
    (
        "sqs-queue-attribute-ranges",
        "visibility_timeout_seconds",
        {"visibility_timeout_seconds": 43_201},
        {"visibility_timeout_seconds": 43_200},
    ),
    (
        "sqs-queue-attribute-ranges",
        "message_retention_seconds",
        {"fifo": True, "message_retention_seconds": 1_209_601},
        {"fifo": True, "message_retention_seconds": 1_209_600},
    ),
    (
        "sqs-queue-attribute-ranges",
        "message_retention_seconds",
        {"message_retention_seconds": 59},
        {"message_retention_seconds": 60, "acceptable_latency_seconds": 60},
    ),
    ("sqs-queue-attribute-ranges", "delay_seconds", {"delay_seconds": 901}, {"delay_seconds": 900}),
    (
        "sqs-queue-attribute-ranges",
        "receive_wait_time_seconds",
        {"receive_wait_time_seconds": 21},
        {"receive_wait_time_seconds": 0},
    ),
]  # fmt: skip


@pytest.fixture(scope="module")
def component_runs(preview_refusals):
    def setup():
        return FargateCluster("jobs", {"network": Network("jobs", {"az_count": 2})})

    def make(cluster, i, case):
        kind, (_, _, refused, accepted) = case
        name = f"{kind[:2]}{i % len(COMPONENT_CASES)}"
        args = refused if kind == "refused" else accepted
        SqsWorkerQueue(name, {"platform": cluster, "image": IMAGE, **args})

    cases = [("refused", c) for c in COMPONENT_CASES] + [("accepted", c) for c in COMPONENT_CASES]
    return preview_refusals(setup, make, cases)


def queue_resources(plan, name: str) -> list:
    return [
        r
        for r in plan.resources
        if "SqsWorkerQueue" in r.urn and (r.name == name or r.name.startswith(f"{name}-"))
    ]


@pytest.mark.parametrize("index", range(len(COMPONENT_CASES)))
def test_the_component_refuses_what_aws_refuses_and_registers_nothing(component_runs, index):
    plan, errors = component_runs
    rule_id, field, _, _ = COMPONENT_CASES[index]
    assert_cites(errors.get(index), rule_id, field)
    assert queue_resources(plan, f"re{index}") == []


@pytest.mark.parametrize("index", range(len(COMPONENT_CASES)))
def test_the_component_accepts_the_nearest_value_aws_accepts(component_runs, index):
    plan, errors = component_runs
    assert errors.get(len(COMPONENT_CASES) + index) is None
    assert queue_resources(plan, f"ac{index}")


@pytest.mark.parametrize(
    "rule", ["sqs-queue-name", "sqs-queue-attribute-ranges", "sqs-dead-letter-same-type"]
)
def test_the_plan_fails_what_aws_refuses_and_passes_the_rest(rule):
    assert_plan_rule(rule)


# --- The queue drain's message move task (runtime, against moto's SQS server) ---------


@pytest.fixture(scope="module")
def moved_sqs():
    from tests.moto_sqs import sqs_client, sqs_endpoint

    with sqs_endpoint() as endpoint:
        yield sqs_client(endpoint)


def test_sqs_message_move_source_is_dlq_refused_and_accepted(moved_sqs):
    from gridops_infra.migration.queue_drain import check_move_task
    from tests.moto_sqs import make_queue

    main, _ = make_queue(moved_sqs, "main")
    dlq, _ = make_queue(moved_sqs, "dlq", dlq_of=main)
    with pytest.raises(ValueError) as refused:
        check_move_task(moved_sqs, main)
    assert_cites(str(refused.value), "sqs-message-move-source-is-dlq", "source")
    check_move_task(moved_sqs, dlq)


def test_sqs_message_move_rate_refused_and_accepted(moved_sqs):
    from gridops_infra.migration.queue_drain import check_move_task
    from tests.moto_sqs import make_queue

    main, _ = make_queue(moved_sqs, "main")
    dlq, _ = make_queue(moved_sqs, "dlq", dlq_of=main)
    with pytest.raises(ValueError) as refused:
        check_move_task(moved_sqs, dlq, max_per_second=501)
    assert_cites(str(refused.value), "sqs-message-move-rate", "max_per_second")
    check_move_task(moved_sqs, dlq, max_per_second=500)
