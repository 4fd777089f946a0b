"""RedisCache: its arguments, as users write them (checked in `settings.py`)."""

from __future__ import annotations

from typing import Literal, TypedDict

import pulumi

from gridops_infra.core.component import Transform
from gridops_infra.network.component import Network


class RedisCacheArgs(TypedDict, total=False):
    network: Network
    """The Network whose private subnets hold the nodes. Changing it replaces the cache.

    Required.
    Example: ``network  # a Network``"""
    engine: Literal["valkey", "redis"]
    """`"valkey"` (default; cheaper, open source) or `"redis"` (Redis OSS). Redis -> Valkey
    upgrades in place; the other way replaces the cache.

    Default: `"valkey"`.
    Example: ``"redis"``"""
    engine_version: str
    """`major.minor`. Allowed: Valkey 7.2, 8.0, 8.1, 8.2, 9.0; Redis OSS 6.2, 7.0, 7.1.
    Upgrades happen in place.

    Default: `"8.2"` for Valkey, `"7.1"` for Redis OSS.
    Example: ``"7.1"``"""
    node_type: str
    """`cache.<family>.<size>`. Allowed: the current node families ElastiCache offers for
    Valkey/Redis OSS (see `data/families.py`). Changing it resizes in place (online).

    Default: `"cache.t4g.small"`.
    Example: ``"cache.r7g.large"``"""
    replicas: int
    """Read replicas per shard, spread over the network's AZs. Allowed: 0..5.

    Default: 1.
    Example: ``2``"""
    shards: int
    """Turn on cluster mode with this many shards. Allowed: 1..500, and `shards x (replicas
    + 1)` at most 500 nodes (ElastiCache's limit per replication group, e.g. 83 shards with
    5 replicas). AWS's default account quotas are lower (90 nodes per cluster-mode cluster,
    300 nodes per Region; raise them in Service Quotas before a large cluster): they are not
    checked here. Turning cluster mode on or off replaces the cache.

    Default: off (one shard, no cluster mode).
    Example: ``3``"""
    multi_az: bool
    """Multi-AZ with automatic failover to a replica.

    Default: true when `replicas >= 1`; asking for it with zero replicas is refused.
    Example: ``True``"""
    identifier: str
    """The replication group id. Allowed: lowercase letters, digits and hyphens, a letter
    first, no double or trailing hyphen, at most 40 characters. Changing it replaces the
    cache.

    Default: `<project>-<name>-<stack>`.
    Example: ``"shop-sessions-prod"``"""
    port: int
    """The port. Allowed: 1024..65535. Changing it replaces the cache.

    Default: 6379.
    Example: ``6380``"""
    snapshot_retention_days: int
    """Days of automatic daily snapshots. Allowed: 1..35.

    Default: 7.
    Example: ``14``"""
    snapshot_window: str
    """Daily snapshot window, UTC, `hh24:mi-hh24:mi`. Allowed (ElastiCache rules): at least
    60 minutes (at most a day; an end before the start crosses midnight, e.g.
    `"23:30-00:30"`), and on no day overlapping `maintenance_window` (touching is fine).

    Default: `"02:00-03:00"`.
    Example: ``"01:00-02:00"``"""
    maintenance_window: str
    """Weekly maintenance window, UTC, `ddd:hh24:mi-ddd:hh24:mi`, days `mon`..`sun`. Allowed
    (ElastiCache rules): at least 60 minutes (an end before the start crosses the week's
    end, e.g. `"sun:23:30-mon:00:30"`), not overlapping `snapshot_window`.

    Default: `"sun:05:00-sun:06:00"`.
    Example: ``"sat:22:00-sat:23:00"``"""
    final_snapshot: bool
    """Snapshot the data when the cache is deleted.

    Default: true.
    Example: ``False``"""
    snapshot_name: str
    """Seed the cache from this ElastiCache snapshot (e.g. moving between stages). Changing
    it replaces the cache.

    Default: none.
    Example: ``"sessions-staging-2026-01-15"``"""
    kms_key_arn: pulumi.Input[str]
    """Customer managed KMS key (ARN) for data at rest and the secret. Changing it replaces
    the cache.

    Default: the AWS managed key.
    Example: ``"arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"``"""
    customer_managed_key: bool
    """Create a customer managed KMS key (rotated yearly). Changing it replaces the cache.

    Default: false.
    Example: ``True``"""
    maxmemory_policy: str
    """What happens when memory is full. Use `"noeviction"` when the data must never be
    dropped silently.

    Default: `"volatile-lru"` (evict keys with a TTL).
    Example: ``"noeviction"``"""
    parameters: dict[str, str]
    """Extra engine parameters, name -> value.

    Default: none.
    Example: ``{"timeout": "300"}``"""
    log_retention_days: int
    """Days the slow log and engine log stay in CloudWatch Logs.

    Default: 30.
    Example: ``90``"""
    apply_immediately: bool
    """Apply changes now instead of in the maintenance window.

    Default: false.
    Example: ``True``"""
    protect: bool
    """Pulumi `protect` and `retain_on_delete` on the replication group and the customer
    key.

    Default: true (a replaced cache starts empty).
    Example: ``False``"""
    env_prefix: str
    """Prefix of the environment variables linked services get.

    Default: `"REDIS"`.
    Example: ``"SESSIONS"``"""
    tags: dict[str, str]
    """Tags for every resource, merged with `gridops:component` and `gridops:stage`.

    Default: none.
    Example: ``{"team": "shop"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role (see `RedisCache.CHILD_ROLES`).

    Default: none.
    Example: ``{"log_group": {"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}``"""


__all__ = ["RedisCacheArgs"]
