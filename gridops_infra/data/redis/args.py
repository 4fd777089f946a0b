"""RedisCache: its arguments, as users write them (checked in `settings.py`)."""

from __future__ import annotations

from typing import Literal, TypedDict

import pulumi

from gridops_infra.core.component import Transform
from gridops_infra.network.component import Network


class RedisCacheArgs(TypedDict, total=False):
    network: Network
    """The Network whose private subnets hold the nodes. Required. Changing it replaces the
    cache."""
    engine: Literal["valkey", "redis"]
    """`"valkey"` (default; cheaper, open source) or `"redis"` (Redis OSS). Redis -> Valkey
    upgrades in place; the other way replaces the cache."""
    engine_version: str
    """`major.minor`. Default: `"8.2"` for Valkey, `"7.1"` for Redis OSS. Allowed: Valkey
    7.2, 8.0, 8.1, 8.2, 9.0; Redis OSS 6.2, 7.0, 7.1. Upgrades happen in place."""
    node_type: str
    """`cache.<family>.<size>`. Default: `"cache.t4g.small"`. Allowed: the current node
    families ElastiCache offers for Valkey/Redis OSS (see `data/families.py`). Changing it
    resizes in place (online)."""
    replicas: int
    """Read replicas per shard, spread over the network's AZs. Default: 1. Allowed: 0..5."""
    shards: int
    """Turn on cluster mode with this many shards. Default: off (one shard, no cluster
    mode). Allowed: 1..500, and `shards x (replicas + 1)` at most 500 nodes (ElastiCache's
    limit per replication group, e.g. 83 shards with 5 replicas). AWS's default account
    quotas are lower (90 nodes per cluster-mode cluster, 300 nodes per Region; raise them in
    Service Quotas before a large cluster): they are not checked here. Turning cluster mode
    on or off replaces the cache."""
    multi_az: bool
    """Multi-AZ with automatic failover to a replica. Default: true when `replicas >= 1`;
    asking for it with zero replicas is refused."""
    identifier: str
    """The replication group id. Default: `<project>-<name>-<stack>`. Allowed: lowercase letters,
    digits and hyphens, a letter first, no double or trailing hyphen, at most 40
    characters. Changing it replaces the cache."""
    port: int
    """The port. Default: 6379. Allowed: 1024..65535. Changing it replaces the cache."""
    snapshot_retention_days: int
    """Days of automatic daily snapshots. Default: 7. Allowed: 1..35."""
    snapshot_window: str
    """Daily snapshot window, UTC, `hh24:mi-hh24:mi`. Default: `"02:00-03:00"`. Allowed
    (ElastiCache rules): at least 60 minutes (at most a day; an end before the start crosses
    midnight, e.g. `"23:30-00:30"`), and on no day overlapping `maintenance_window`
    (touching is fine)."""
    maintenance_window: str
    """Weekly maintenance window, UTC, `ddd:hh24:mi-ddd:hh24:mi`, days `mon`..`sun`.
    Default: `"sun:05:00-sun:06:00"`. Allowed (ElastiCache rules): at least 60 minutes (an
    end before the start crosses the week's end, e.g. `"sun:23:30-mon:00:30"`), not
    overlapping `snapshot_window`."""
    final_snapshot: bool
    """Snapshot the data when the cache is deleted. Default: true."""
    snapshot_name: str
    """Seed the cache from this ElastiCache snapshot (e.g. moving between stages). Default:
    none. Changing it replaces the cache."""
    kms_key_arn: pulumi.Input[str]
    """Customer managed KMS key (ARN) for data at rest and the secret. Default: the AWS
    managed key. Changing it replaces the cache."""
    customer_managed_key: bool
    """Create a customer managed KMS key (rotated yearly). Default: false. Changing it
    replaces the cache."""
    maxmemory_policy: str
    """What happens when memory is full. Default: `"volatile-lru"` (evict keys with a TTL).
    Use `"noeviction"` when the data must never be dropped silently."""
    parameters: dict[str, str]
    """Extra engine parameters, name -> value. Default: none."""
    log_retention_days: int
    """Days the slow log and engine log stay in CloudWatch Logs. Default: 30."""
    apply_immediately: bool
    """Apply changes now instead of in the maintenance window. Default: false."""
    protect: bool
    """Pulumi `protect` and `retain_on_delete` on the replication group and the customer key.
    Default: true (a replaced cache starts empty)."""
    env_prefix: str
    """Prefix of the environment variables linked services get. Default: `"REDIS"`."""
    tags: dict[str, str]
    """Tags for every resource, merged with `gridops:component` and `gridops:stage`."""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role (see `RedisCache.CHILD_ROLES`)."""


__all__ = ["RedisCacheArgs"]
