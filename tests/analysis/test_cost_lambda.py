"""gridops cost and timing know a Lambda queue worker: requests plus GB-seconds at the
function's architecture's rate, /tmp above 512 MB, the usage assumptions a caller can
override, the event source mapping free; and timing has a figure for every type it
creates (nothing untimed)."""

from __future__ import annotations

import pytest

from gridops_infra import LambdaPlatform, Network, SqsWorkerQueue
from gridops_infra.analysis import estimate_cost, estimate_timing, load_prices
from gridops_infra.testing import preview

PRICES = load_prices()
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/worker:1.4.2"
FUNCTION = "aws:lambda/function:Function"


def _program() -> None:
    platform = LambdaPlatform("fn", {"network": Network("fn", {"az_count": 2})})
    SqsWorkerQueue("arm", {"platform": platform, "image": IMAGE, "memory": 1024})
    SqsWorkerQueue(
        "x86",
        {
            "platform": platform,
            "image": IMAGE,
            "memory": 2048,
            "cpu_architecture": "X86_64",
            "ephemeral_storage_mb": 1536,
        },
    )


@pytest.fixture(scope="module")
def plan():
    return preview(_program)


def line(report, name: str):
    (found,) = [x for x in report.lines if x.type == FUNCTION and x.name == name]
    return found


def test_a_function_costs_its_requests_and_gb_seconds_at_its_architectures_rate(plan):
    report = estimate_cost(plan)
    invocations, seconds = 0.1, 1.0  # the usage defaults
    requests = invocations * PRICES.rate("lambda", "requests_million")
    arm = invocations * 1e6 * seconds * 1.0 * PRICES.rate("lambda", "arm64_gb_second")
    assert line(report, "arm-worker").monthly_usd == pytest.approx(requests + arm)
    x86 = invocations * 1e6 * seconds * 2.0 * PRICES.rate("lambda", "x86_64_gb_second")
    storage = (
        invocations * 1e6 * seconds * 1.0 * PRICES.rate("lambda", "ephemeral_storage_gb_second")
    )
    assert line(report, "x86-worker").monthly_usd == pytest.approx(requests + x86 + storage)
    assert "arm64" in line(report, "arm-worker").formula
    assert not [u for u in report.not_priced if u.type == FUNCTION]
    free = {t for t, *_ in report.free}
    assert "aws:lambda/eventSourceMapping:EventSourceMapping" in free


def test_the_usage_assumptions_can_be_overridden_per_function(plan):
    busy = {
        "resources": {
            "arm-worker": {"lambda_invocations_million": 2, "lambda_seconds_per_invocation": 3}
        }
    }
    report = estimate_cost(plan, usage=busy)
    expected = 2 * PRICES.rate("lambda", "requests_million") + 2e6 * 3 * 1.0 * PRICES.rate(
        "lambda", "arm64_gb_second"
    )
    assert line(report, "arm-worker").monthly_usd == pytest.approx(expected)
    assert line(report, "x86-worker").monthly_usd < expected


def test_every_resource_of_a_lambda_worker_has_a_create_time(plan):
    report = estimate_cost(plan)
    assert report.lines
    timing = estimate_timing(plan)
    assert timing.untimed == {}
    assert timing.total_seconds > 0
