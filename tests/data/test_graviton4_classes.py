"""Graviton4 classes: db.m8g / db.r8g on RDS for PostgreSQL (db.r8g on Aurora) and
cache.m8g / cache.r8g on ElastiCache for Valkey, which AWS does not offer for Redis OSS.
Accepted where AWS offers them, refused (nothing registered) where it does not, and
reported as not priced with the reason, since no AWS on-demand rate was confirmed."""

from __future__ import annotations

from typing import Any

import pytest

from gridops_infra import ManagedPostgresWithReplicas, Network, RedisCache
from gridops_infra.analysis import estimate_cost
from gridops_infra.testing import preview

CACHE = "aws:elasticache/replicationGroup:ReplicationGroup"


def _cache(**args: Any) -> None:
    RedisCache("cache", {"network": Network("prod", {"az_count": 2}), **args})  # pyright: ignore[reportArgumentType]


@pytest.mark.parametrize("node_type", ["cache.m8g.large", "cache.r8g.xlarge", "cache.r8g.16xlarge"])
def test_valkey_runs_on_graviton4_nodes_and_cost_says_why_they_are_not_priced(
    node_type: str,
) -> None:
    plan = preview(lambda: _cache(node_type=node_type))
    (group,) = plan.of_type(CACHE)
    assert group.inputs["nodeType"] == node_type
    assert group.inputs["engine"] == "valkey"
    unpriced = {u.name: u.reason for u in estimate_cost(plan).not_priced}
    assert "Valkey and Memcached only" in unpriced[group.name]
    assert "not priced" in unpriced[group.name]


def test_redis_oss_on_a_graviton4_node_is_refused_before_anything_registers() -> None:
    errors: list[str] = []

    def program() -> None:
        try:
            _cache(node_type="cache.r8g.large", engine="redis")
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program)
    (message,) = errors
    assert "node_type" in message and "engine='redis'" in message
    assert "CacheNodes.SupportedTypes.html" in message and "cache.r7g" in message
    assert plan.of_type(CACHE) == []


def test_a_graviton4_node_size_elasticache_does_not_sell_is_refused() -> None:
    errors: list[str] = []

    def program() -> None:
        try:
            _cache(node_type="cache.m8g.medium")
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program)
    (message,) = errors
    assert "'cache.m8g' comes in large" in message
    assert plan.of_type(CACHE) == []


@pytest.mark.parametrize(
    ("args", "resource_type"),
    [
        ({"instance_class": "db.m8g.large"}, "aws:rds/instance:Instance"),
        ({"instance_class": "db.r8g.xlarge"}, "aws:rds/instance:Instance"),
        (
            {"instance_class": "db.r8g.large", "engine_mode": "aurora"},
            "aws:rds/clusterInstance:ClusterInstance",
        ),
    ],
)
def test_postgres_on_graviton4_is_accepted_and_reported_unpriced(
    args: dict[str, Any], resource_type: str
) -> None:
    def program() -> None:
        ManagedPostgresWithReplicas(
            "db",
            {"network": Network("prod", {"az_count": 2}), "replicas": 0, **args},  # pyright: ignore[reportArgumentType]
        )

    plan = preview(program)
    instances = plan.of_type(resource_type)
    assert instances and all(i.inputs["instanceClass"] == args["instance_class"] for i in instances)
    unpriced = {u.name: u.reason for u in estimate_cost(plan).not_priced}
    for instance in instances:
        assert "Graviton4" in unpriced[instance.name]
        assert "no us-east-1 on-demand rate confirmed" in unpriced[instance.name]
