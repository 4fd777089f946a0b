"""RedisCache: the node ids and CloudWatch metrics behind its `metric_*` methods.

ElastiCache publishes Valkey/Redis metrics per node only, under the node's `CacheClusterId`
(`<group>-001`, `<group>-0001-001` in cluster mode); there is no `ReplicationGroupId`
dimension for them (that one belongs to Global Datastore metrics)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gridops_infra.core.metrics import Metric
from gridops_infra.core.validation import ArgError
from gridops_infra.data.redis.settings import COMPONENT

if TYPE_CHECKING:
    from gridops_infra.data.redis.component import RedisCache

NAMESPACE = "AWS/ElastiCache"
CLUSTER_MEMBER_SUFFIX = "-{shard:04d}-{node:03d}"
MEMBER_SUFFIX = "-{node:03d}"


def member_id(cache: RedisCache, node: int, shard: int) -> str:
    """The CacheClusterId of node `node` (1 = created as primary) of shard `shard`."""
    nodes = cache.replicas + 1
    shards = cache.shards or 1
    if not (1 <= node <= nodes and 1 <= shard <= shards):
        raise ArgError(
            f"{COMPONENT} '{cache.name}': node={node}, shard={shard} does not exist "
            f"(nodes 1..{nodes}, shards 1..{shards})"
        )
    if cache.shards:
        return cache.identifier + CLUSTER_MEMBER_SUFFIX.format(shard=shard, node=node)
    return cache.identifier + MEMBER_SUFFIX.format(node=node)


def node_metric(
    cache: RedisCache, name: str, statistic: str, unit: str, node: int, shard: int
) -> Metric:
    return Metric(
        NAMESPACE, name, {"CacheClusterId": member_id(cache, node, shard)}, statistic, unit=unit
    )


def replica_lag(cache: RedisCache, node: int, shard: int) -> Metric:
    """`ReplicationLag` (seconds) of one replica: node 2.. of its shard."""
    if node == 1:
        raise ArgError(f"{COMPONENT} '{cache.name}': node 1 is the primary; pick a replica (2..)")
    return node_metric(cache, "ReplicationLag", "Maximum", "Seconds", node, shard)


def replica_nodes(cache: RedisCache) -> list[tuple[int, int]]:
    """(node, shard) of every replica, shard by shard (empty without replicas)."""
    return [
        (node, shard)
        for shard in range(1, (cache.shards or 1) + 1)
        for node in range(2, cache.replicas + 2)
    ]


__all__ = ["NAMESPACE", "member_id", "node_metric", "replica_lag", "replica_nodes"]
