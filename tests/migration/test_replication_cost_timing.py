"""What the data replication costs while both stages run and how long it takes: the DMS
Serverless price per DCU-hour, its deploy time, and the full load by database size."""

from __future__ import annotations

import math

import pytest

from gridops_infra import ManagedPostgresWithReplicas, Network
from gridops_infra.analysis.cost.estimate import estimate_cost
from gridops_infra.analysis.timing.estimate import estimate_timing
from gridops_infra.analysis.timing.replication import (
    FULL_LOAD_GB_PER_HOUR,
    full_load_duration,
)
from gridops_infra.migration import PostgresReplication
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.testing import preview
from gridops_infra.testing.plan import Plan

CONFIG = "aws:dms/replicationConfig:ReplicationConfig"
RATE = 0.115


def _plan(extra: dict | None = None) -> Plan:
    def program() -> None:
        net = Network("net", {"az_count": 2, "nat": "none"})
        server = SingleServer("mvp", {"network": net, "replication_source": {}})
        db = ManagedPostgresWithReplicas("db", {"network": net, "credentials": "random"})
        PostgresReplication("move", {"source": server, "target": db, **(extra or {})})

    return preview(program)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return _plan()


def _line(report, name: str):
    (line,) = [line for line in report.lines if line.name == name]
    return line


def test_the_replication_is_priced_per_dcu_hour_at_its_minimum(plan: Plan):
    report = estimate_cost(plan)
    line = _line(report, "move-replication")
    hours = report.table.hours_per_month
    assert line.monthly_usd == pytest.approx(1 * RATE * hours)
    assert "1 DCU (MinCapacityUnits)" in line.formula
    assert "up to 4 DCU during the full load" in line.formula
    # Endpoints and the subnet group are free, not unpriced.
    assert not [u for u in report.not_priced if u.name.startswith("move-")]


def test_multi_az_and_measured_usage_change_the_price():
    plan = _plan({"multi_az": True, "min_capacity_units": 2, "max_capacity_units": 8})
    hours = estimate_cost(plan).table.hours_per_month
    line = _line(estimate_cost(plan), "move-replication")
    assert line.monthly_usd == pytest.approx(2 * RATE * 2 * hours)
    assert "Multi-AZ" in line.formula
    measured = _line(estimate_cost(plan, usage={"dms_serverless_dcu": 3}), "move-replication")
    assert measured.monthly_usd == pytest.approx(3 * RATE * 2 * hours)


def test_the_replication_is_on_the_deploy_timing_with_its_source(plan: Plan):
    report = estimate_timing(plan)
    assert report.untimed.get(CONFIG) is None
    urls = {s.get("url") for s in report.sources}
    assert (
        "https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Serverless.Components.html" in urls
    )
    assert report.floor_seconds >= 15 * 60


@pytest.mark.parametrize(("size_gb", "hours"), [(0, 0.0), (20, 1.0), (100, 5.0), (2.5, 0.125)])
def test_full_load_follows_the_size(size_gb, hours):
    estimate = full_load_duration(size_gb)
    assert estimate.load_seconds == pytest.approx(hours * 3600)
    assert estimate.total_seconds == pytest.approx(hours * 3600 + 15 * 60)
    assert f"{FULL_LOAD_GB_PER_HOUR:g} GB/hour" in estimate.assumption
    assert all(source.url for source in estimate.sources)


def test_a_measured_rate_replaces_the_assumption():
    assert full_load_duration(100, gb_per_hour=50).load_seconds == pytest.approx(2 * 3600)


@pytest.mark.parametrize(
    ("size_gb", "rate"), [(-1, 20), (math.inf, 20), ("10", 20), (True, 20), (10, 0), (10, -5)]
)
def test_nonsense_is_refused(size_gb, rate):
    with pytest.raises(ValueError):
        full_load_duration(size_gb, gb_per_hour=rate)
