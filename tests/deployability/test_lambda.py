"""AWS Lambda: each create-time rule of `core/aws_rules/lambda_.py` refuses a program AWS
would refuse (SqsWorkerQueue on a LambdaPlatform, before it registers anything, or as a
mandatory violation of the Plan) and accepts the nearest one AWS accepts."""

from __future__ import annotations

import pytest

from gridops_infra import LambdaPlatform, Network, SqsWorkerQueue

from .aws_data_programs import assert_plan_rule
from .refusals import assert_cites

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/worker:1.4.2"

# (AWS rule id, field, refused arguments, accepted arguments)
COMPONENT_CASES = [
    ("lambda-function-timeout", "job_timeout_seconds", {"job_timeout_seconds": 901}, {"job_timeout_seconds": 900}),
    ("lambda-function-memory", "memory", {"memory": 127}, {"memory": 128}),
    ("lambda-function-memory", "memory", {"memory": 10_241}, {"memory": 10_240}),
    ("lambda-ephemeral-storage", "ephemeral_storage_mb", {"ephemeral_storage_mb": 511}, {"ephemeral_storage_mb": 512}),
    ("lambda-ephemeral-storage", "ephemeral_storage_mb", {"ephemeral_storage_mb": 10_241}, {"ephemeral_storage_mb": 10_240}),
    ("lambda-image-in-ecr", "image", {"image": "ghcr.io/acme/worker:1.4.2"}, {"image": IMAGE}),
    (
        "lambda-image-in-ecr",
        "image",
        {"image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/worker:1.4.2"},
        {"image": IMAGE},
    ),
    (
        "lambda-image-in-ecr",
        "image",
        {"image": "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/acme/worker:1.4.2"},
        {"image": IMAGE},
    ),
    ("lambda-reserved-environment", "environment", {"environment": {"AWS_REGION": "eu-west-1"}}, {"environment": {"REGION": "eu-west-1"}}),
    ("lambda-sqs-batch-size", "batch_size", {"batch_size": 10_001, "max_batching_window_seconds": 1}, {"batch_size": 10_000, "max_batching_window_seconds": 1}),
    ("lambda-sqs-batch-size", "batch_size", {"fifo": True, "batch_size": 11}, {"fifo": True, "batch_size": 10}),
    ("lambda-sqs-batch-size", "batch_size", {"batch_size": 0}, {"batch_size": 1}),
    ("lambda-sqs-batching-window", "batch_size", {"batch_size": 11}, {"batch_size": 11, "max_batching_window_seconds": 1}),
    ("lambda-sqs-batching-window", "max_batching_window_seconds", {"max_batching_window_seconds": 301}, {"max_batching_window_seconds": 300}),
    ("lambda-sqs-batching-window", "max_batching_window_seconds", {"fifo": True, "max_batching_window_seconds": 1}, {"fifo": True}),
    ("lambda-sqs-maximum-concurrency", "max_workers", {"max_workers": 1}, {"max_workers": 2}),
    ("lambda-sqs-maximum-concurrency", "max_workers", {"max_workers": 1001}, {"max_workers": 1000}),
    (
        "lambda-sqs-visibility-timeout",
        "visibility_timeout_seconds",
        {"job_timeout_seconds": 60, "visibility_timeout_seconds": 60},
        {"job_timeout_seconds": 60, "visibility_timeout_seconds": 360},
    ),
    (
        "lambda-sqs-visibility-timeout",
        "visibility_timeout_seconds",
        {"job_timeout_seconds": 100, "visibility_timeout_seconds": 599},
        {"job_timeout_seconds": 100, "visibility_timeout_seconds": 600},
    ),
]  # fmt: skip


@pytest.fixture(scope="module")
def component_runs(preview_refusals):
    def setup():
        network = Network("fn", {"az_count": 2, "nat": "single"})
        return LambdaPlatform("fn", {"network": network})

    def make(platform, i, case):
        kind, (_, _, refused, accepted) = case
        name = f"{kind[:2]}{i % len(COMPONENT_CASES)}"
        args = refused if kind == "refused" else accepted
        SqsWorkerQueue(name, {"platform": platform, "image": IMAGE, **args})

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
    functions = [
        r for r in queue_resources(plan, f"ac{index}") if r.type == "aws:lambda/function:Function"
    ]
    assert len(functions) == 1


def test_the_plan_fails_a_queue_hiding_messages_shorter_than_its_function_runs():
    assert_plan_rule("lambda-sqs-visibility-timeout")
