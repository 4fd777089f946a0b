"""The right-sizing review: one size down, up or keep from measured p95 utilization, each
dollar delta recomputed here from the shipped price table."""

from __future__ import annotations

from typing import Any

import pytest

from gridops_infra.analysis.assess_records import UtilizationItem
from gridops_infra.analysis.cost.prices import PriceTable, load_prices
from gridops_infra.analysis.rightsizing import review, total_monthly_delta
from gridops_infra.service.spec.checks import fargate_size_error

TABLE = load_prices()
HOURS = TABLE.hours_per_month
LOW = {"cpu_p95_percent": 12.0, "memory_p95_percent": 20.0}
HIGH = {"cpu_p95_percent": 90.0, "memory_p95_percent": 50.0}
MID = {"cpu_p95_percent": 50.0, "memory_p95_percent": 50.0}


def fargate_month(cpu: int, memory: int) -> float:
    vcpu = TABLE.data["fargate"]["x86_64"]["vcpu_hour"]
    gb = TABLE.data["fargate"]["x86_64"]["gb_hour"]
    return (cpu / 1024 * vcpu + memory / 1024 * gb) * HOURS


def rds_month(klass: str) -> float:
    return TABLE.data["rds_postgres_instance_hour"][klass] * HOURS


def cache_month(node: str) -> float:
    return TABLE.data["elasticache_node_hour"][node] * HOURS


def one(table: PriceTable | None = None, **fields: Any):
    fields.setdefault("name", "x")
    (result,) = review((UtilizationItem(**fields),), table)
    return result


@pytest.mark.parametrize(
    ("size", "utilization", "expected", "decision"),
    [
        ((1024, 2048), LOW, (512, 1024), "down"),
        ((512, 1024), HIGH, (1024, 2048), "up"),
        # memory halved, rounded up to a memory Fargate accepts with 512 cpu (1024 steps)
        ((1024, 3072), LOW, (512, 2048), "down"),
        # memory doubled, but 256 cpu's 2048 MiB doubled is within 512 cpu's range
        ((256, 2048), HIGH, (512, 4096), "up"),
        # 8192 cpu with 61440 MiB: halved is 30720, the most 4096 cpu takes
        ((8192, 61440), LOW, (4096, 30720), "down"),
    ],
)
def test_fargate_one_size_down_or_up_is_a_size_fargate_accepts(
    size: tuple[int, int],
    utilization: dict[str, float],
    expected: tuple[int, int],
    decision: str,
) -> None:
    r = one(kind="service", cpu_units=size[0], memory_mib=size[1], **utilization)
    assert r.decision == decision
    assert r.recommended_size == f"{expected[0]} cpu / {expected[1]} MiB"
    assert fargate_size_error(*expected) is None
    assert r.current_monthly_usd == round(fargate_month(*size), 2)
    assert r.recommended_monthly_usd == round(fargate_month(*expected), 2)
    assert r.monthly_delta_usd == round(fargate_month(*expected) - fargate_month(*size), 2)


def test_fargate_dollar_figures_for_the_common_case() -> None:
    # 1 vCPU/2 GB -> 0.5 vCPU/1 GB: (0.5 * 0.04048 + 1 * 0.004445) * 730 saved
    r = one(kind="worker", cpu_units=1024, memory_mib=2048, **LOW)
    assert (r.current_monthly_usd, r.recommended_monthly_usd, r.monthly_delta_usd) == (
        36.04,
        18.02,
        -18.02,
    )


def test_fargate_has_no_size_below_256_or_above_16384() -> None:
    smallest = one(kind="service", cpu_units=256, memory_mib=512, **LOW)
    assert (smallest.decision, smallest.recommended_size) == ("no_smaller_priced_size", None)
    assert smallest.monthly_delta_usd == 0.0
    assert "no smaller Fargate size" in smallest.reason
    largest = one(kind="service", cpu_units=16384, memory_mib=122880, **HIGH)
    assert (largest.decision, largest.recommended_size) == ("no_larger_priced_size", None)


@pytest.mark.parametrize(
    ("klass", "utilization", "expected", "decision"),
    [
        ("db.r6g.xlarge", LOW, "db.r6g.large", "down"),
        ("db.t4g.large", HIGH, "db.t4g.xlarge", "up"),
        ("db.m7g.2xlarge", LOW, "db.m7g.xlarge", "down"),
        ("db.t4g.micro", HIGH, "db.t4g.small", "up"),
    ],
)
def test_rds_next_size_of_the_same_family(
    klass: str, utilization: dict[str, float], expected: str, decision: str
) -> None:
    r = one(kind="database", instance_class=klass, **utilization)
    assert (r.decision, r.recommended_size) == (decision, expected)
    assert r.monthly_delta_usd == round(rds_month(expected) - rds_month(klass), 2)


def test_rds_dollar_delta_for_r6g_xlarge_down() -> None:
    r = one(kind="database", instance_class="db.r6g.xlarge", **LOW)
    assert r.monthly_delta_usd == -164.25  # (0.225 - 0.45) * 730


def test_no_smaller_or_larger_priced_size_is_said_not_guessed() -> None:
    # db.r6g has no medium (AWS offers none); db.m5 stops at xlarge in the table
    smaller = one(kind="database", instance_class="db.r6g.large", **LOW)
    assert (smaller.decision, smaller.recommended_size) == ("no_smaller_priced_size", None)
    assert "no smaller priced size" in smaller.reason
    larger = one(kind="database", instance_class="db.m5.xlarge", **HIGH)
    assert (larger.decision, larger.recommended_size) == ("no_larger_priced_size", None)
    assert "no larger priced size" in larger.reason
    cache = one(kind="cache", node_type="cache.t4g.micro", **LOW)
    assert cache.decision == "no_smaller_priced_size"


def test_a_size_missing_from_the_table_is_never_skipped_over() -> None:
    # The table knows large and 2xlarge but not xlarge: one size down from 2xlarge is
    # xlarge, which is unpriced, so no recommendation rather than a two-size jump.
    table = PriceTable(
        {
            "hours_per_month": 730,
            "region": "us-east-1",
            "as_of": "2026-01-01",
            "rds_postgres_instance_hour": {"db.x9.large": 0.1, "db.x9.2xlarge": 0.4},
        }
    )
    r = one(table, kind="database", instance_class="db.x9.2xlarge", **LOW)
    assert (r.decision, r.recommended_size) == ("no_smaller_priced_size", None)


def test_elasticache_next_node_type_and_delta() -> None:
    down = one(kind="cache", node_type="cache.t4g.medium", **LOW)
    assert down.recommended_size == "cache.t4g.small"
    assert down.monthly_delta_usd == round(
        cache_month("cache.t4g.small") - cache_month("cache.t4g.medium"), 2
    )
    up = one(kind="cache", node_type="cache.m7g.large", **HIGH)
    assert (up.decision, up.recommended_size) == ("up", "cache.m7g.xlarge")
    assert up.monthly_delta_usd == round(
        cache_month("cache.m7g.xlarge") - cache_month("cache.m7g.large"), 2
    )


def test_a_current_size_the_table_does_not_price_is_reported_unpriced() -> None:
    r = one(kind="database", instance_class="db.r8g.large", **LOW)
    assert (r.decision, r.recommended_size, r.current_monthly_usd) == ("unpriced", None, None)
    assert "Graviton4" in r.reason  # the table's own reason
    other = one(kind="cache", node_type="cache.c1.medium", **LOW)
    assert other.decision == "unpriced" and "not in the price table" in other.reason


@pytest.mark.parametrize(
    ("utilization", "decision", "reason"),
    [
        (MID, "keep", "within the limits"),
        (
            {"cpu_p95_percent": 30.0, "memory_p95_percent": 10.0},
            "keep",
            "within",
        ),  # 30 is not below 30
        ({"cpu_p95_percent": 10.0, "memory_p95_percent": 40.0}, "keep", "within"),
        ({"cpu_p95_percent": 75.0, "memory_p95_percent": 75.0}, "keep", "within"),  # not above
        ({"cpu_p95_percent": 75.01}, "up", "CPU above 75%"),
        ({"memory_p95_percent": 80.0, "cpu_p95_percent": 5.0}, "up", "memory above 75%"),
        ({"cpu_p95_percent": 5.0}, "keep", "p95 memory not measured"),
        ({}, "keep", "no CPU or memory figure measured"),
    ],
)
def test_the_rule_edges(utilization: dict[str, float], decision: str, reason: str) -> None:
    r = one(kind="service", cpu_units=1024, memory_mib=2048, **utilization)
    assert r.decision == decision
    assert reason in r.reason
    if decision == "keep":
        assert r.recommended_size == r.current_size and r.monthly_delta_usd == 0.0


def test_total_is_the_sum_of_the_item_deltas() -> None:
    items = (
        UtilizationItem(kind="service", name="api", cpu_units=1024, memory_mib=2048, **LOW),
        UtilizationItem(kind="database", name="db", instance_class="db.r6g.xlarge", **LOW),
        UtilizationItem(kind="cache", name="c", node_type="cache.m7g.large", **HIGH),
        UtilizationItem(kind="worker", name="w", cpu_units=512, memory_mib=1024, **MID),
    )
    results = review(items)
    assert [r.decision for r in results] == ["down", "down", "up", "keep"]
    expected = (
        (fargate_month(512, 1024) - fargate_month(1024, 2048))
        + (rds_month("db.r6g.large") - rds_month("db.r6g.xlarge"))
        + (cache_month("cache.m7g.xlarge") - cache_month("cache.m7g.large"))
    )
    assert total_monthly_delta(results) == pytest.approx(round(expected, 2), abs=0.011)
    assert total_monthly_delta(results) == round(sum(r.monthly_delta_usd for r in results), 2)
