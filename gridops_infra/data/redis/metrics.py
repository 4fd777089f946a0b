"""RedisCache: the node ids and CloudWatch metrics behind its `metric_*` methods.

ElastiCache publishes Valkey/Redis metrics per node only, under the node's `CacheClusterId`
(`<group>-001`, `<group>-0001-001` in cluster mode); there is no `ReplicationGroupId`
dimension for them (that one belongs to Global Datastore metrics)."""

from __future__ import annotations

from gridops_infra.core.metrics import Metric
from gridops_infra.core.validation import ArgError
from gridops_infra.data.redis.settings import COMPONENT, CacheSettings

NAMESPACE = "AWS/ElastiCache"
CLUSTER_MEMBER_SUFFIX = "-{shard:04d}-{node:03d}"
MEMBER_SUFFIX = "-{node:03d}"


def member_id(cfg: CacheSettings, node: int, shard: int) -> str:
    """The CacheClusterId of node `node` (1 = created as primary) of shard `shard`."""
    nodes = cfg.replicas + 1
    shards = cfg.shards or 1
    if not (1 <= node <= nodes and 1 <= shard <= shards):
        raise ArgError(
            f"{COMPONENT} '{cfg.name}': node={node}, shard={shard} does not exist "
            f"(nodes 1..{nodes}, shards 1..{shards})"
        )
    if cfg.shards:
        return cfg.identifier + CLUSTER_MEMBER_SUFFIX.format(shard=shard, node=node)
    return cfg.identifier + MEMBER_SUFFIX.format(node=node)


def node_metric(
    cfg: CacheSettings, name: str, statistic: str, unit: str, node: int, shard: int
) -> Metric:
    return Metric(
        NAMESPACE, name, {"CacheClusterId": member_id(cfg, node, shard)}, statistic, unit=unit
    )


def replica_lag(cfg: CacheSettings, node: int, shard: int) -> Metric:
    """`ReplicationLag` (seconds) of one replica: node 2.. of its shard."""
    if node == 1:
        raise ArgError(f"{COMPONENT} '{cfg.name}': node 1 is the primary; pick a replica (2..)")
    return node_metric(cfg, "ReplicationLag", "Maximum", "Seconds", node, shard)


def replica_nodes(cfg: CacheSettings) -> list[tuple[int, int]]:
    """(node, shard) of every replica, shard by shard (empty without replicas)."""
    return [
        (node, shard)
        for shard in range(1, (cfg.shards or 1) + 1)
        for node in range(2, cfg.replicas + 2)
    ]


__all__ = ["NAMESPACE", "member_id", "node_metric", "replica_lag", "replica_nodes"]
