"""RedisCache: every argument checked and defaulted, before anything is registered; bad input
raises a ValueError naming the field, the value and what is allowed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pulumi

from gridops_infra.core import maintenance_windows as windows
from gridops_infra.core.aws_rules import elasticache
from gridops_infra.core.aws_rules.checks import where, whole_number_within
from gridops_infra.core.logs import retention_days
from gridops_infra.core.validation import ArgReader
from gridops_infra.data import families as fam
from gridops_infra.data.redis.args import RedisCacheArgs
from gridops_infra.network.component import Network

COMPONENT = "RedisCache"
MAX_REPLICAS = 5
MAX_SHARDS = 500
MAX_NODES = 500  # per cluster-mode replication group: shards x (replicas + 1)
ELASTICACHE_MIN_WINDOW_MINUTES = 60
MAXMEMORY_POLICIES = (
    "volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random",
    "allkeys-random", "volatile-ttl", "noeviction",
)  # fmt: skip


@dataclass(frozen=True)
class CacheSettings:
    """Every RedisCache argument checked and defaulted."""

    name: str
    """The component's name, for messages."""

    network: Network
    engine: str
    engine_version: str
    family: str
    node_type: str
    data_tiering: bool
    replicas: int
    shards: int | None
    multi_az: bool
    identifier: str
    port: int
    snapshot_retention_days: int
    snapshot_window: str
    maintenance_window: str
    final_snapshot_identifier: str | None
    snapshot_name: str | None
    kms_key_arn: pulumi.Input[str] | None
    customer_managed_key: bool
    maxmemory_policy: str
    parameters: dict[str, str]
    log_retention_days: int
    apply_immediately: bool
    protect: bool
    env_prefix: str
    tags: dict[str, str]


def parse_cache_args(name: str, args: Any) -> tuple[CacheSettings, ArgReader]:
    """Every argument checked and defaulted, and the reader (for `transforms`)."""
    a = ArgReader(COMPONENT, name, args, RedisCacheArgs.__annotations__)
    network = a.instance_of("network", (Network,))
    engine = a.choice("engine", "valkey", tuple(fam.CACHE_ENGINES))
    spec = fam.CACHE_ENGINES[engine]
    version = a.choice("engine_version", spec.default_version, spec.versions)
    node_type = a.raw("node_type", "cache.t4g.small")
    problem = fam.class_problem(node_type, "cache", fam.CACHE_NODE_FAMILIES, "ElastiCache")
    if problem:
        raise elasticache.NODE_TYPE.refuse(where(a), "node_type", f"{node_type!r}: {problem}")
    family = (fam.split_class(node_type, "cache") or ("", ""))[0]
    if family in fam.VALKEY_ONLY_FAMILIES and engine != "valkey":
        raise elasticache.NODE_TYPE.refuse(
            where(a),
            "node_type",
            f"{node_type!r} with engine={engine!r}: ElastiCache offers cache.{family} for "
            "Valkey (and Memcached) only, not Redis OSS",
            f"Use engine='valkey' (the default) or cache.{family.replace('8', '7')} with Redis OSS.",
        )
    replicas = whole_number_within(
        a, elasticache.REPLICAS_PER_SHARD, "replicas", 1, 0, MAX_REPLICAS
    )
    shards = a.optional_integer("shards", 1, MAX_SHARDS)
    if shards is not None and shards * (replicas + 1) > MAX_NODES:
        raise a.fail(
            "shards",
            shards,
            f"shards x (replicas + 1) must be <= {MAX_NODES} (ElastiCache's limit of nodes per "
            f"cluster-mode replication group); {shards} x ({replicas} + 1) = "
            f"{shards * (replicas + 1)} nodes",
        )
    multi_az = a.boolean("multi_az", replicas >= 1)
    if multi_az and replicas == 0:
        raise elasticache.FAILOVER_NEEDS_REPLICA.refuse(
            where(a), "multi_az", "multi_az=True with replicas=0 leaves no replica to fail over to"
        )
    identifier = fam.read_identifier(
        a,
        COMPONENT,
        name,
        fam.ELASTICACHE_ID_MAX,
        elasticache.REPLICATION_GROUP_ID,
    )
    final_snapshot = a.boolean("final_snapshot", True)
    kms_key_arn, customer_key = fam.read_encryption_key(a)
    snapshot_window, maintenance_window = _windows(a)
    settings = CacheSettings(
        name=name,
        network=network,
        engine=engine,
        engine_version=version,
        family=spec.families[version],
        node_type=node_type,
        data_tiering=family in fam.DATA_TIERING_FAMILIES,
        replicas=replicas,
        shards=shards,
        multi_az=multi_az,
        identifier=identifier,
        port=a.integer("port", 6379, 1024, 65535),
        snapshot_retention_days=a.integer("snapshot_retention_days", 7, 1, 35),
        snapshot_window=snapshot_window,
        maintenance_window=maintenance_window,
        final_snapshot_identifier=f"{identifier}-final" if final_snapshot else None,
        snapshot_name=a.optional_string(
            "snapshot_name", r"[a-zA-Z][a-zA-Z0-9-]{0,254}", "expected an ElastiCache snapshot name"
        ),
        kms_key_arn=kms_key_arn,
        customer_managed_key=customer_key,
        maxmemory_policy=a.choice("maxmemory_policy", "volatile-lru", MAXMEMORY_POLICIES),
        parameters=_parameters(a),
        log_retention_days=retention_days(a, "log_retention_days", 30),
        apply_immediately=a.boolean("apply_immediately", False),
        protect=a.boolean("protect", True),
        env_prefix=a.string("env_prefix", "REDIS", r"[A-Z][A-Z0-9_]*", "expected UPPER_SNAKE_CASE"),
        tags=a.mapping("tags"),
    )
    return settings, a


def _windows(a: ArgReader) -> tuple[str, str]:
    """ElastiCache rules: each window at least 60 minutes, the daily snapshot window clear of
    the weekly maintenance window."""
    snapshot = windows.read_daily(
        a,
        "snapshot_window",
        "02:00-03:00",
        "ElastiCache",
        ELASTICACHE_MIN_WINDOW_MINUTES,
        "e.g. '02:00-03:00'",
    )
    maintenance = windows.read_weekly(
        a,
        "maintenance_window",
        "sun:05:00-sun:06:00",
        "ElastiCache",
        ELASTICACHE_MIN_WINDOW_MINUTES,
        "e.g. 'sun:05:00-sun:06:00'",
    )
    windows.refuse_overlap(
        a, "snapshot_window", snapshot, "maintenance_window", maintenance, "ElastiCache"
    )
    return snapshot.text, maintenance.text


def _parameters(a: ArgReader) -> dict[str, str]:
    params = a.mapping("parameters")
    for key, value in params.items():
        if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", key):
            raise a.fail(
                "parameters", params, f"parameter name {key!r} is not an engine parameter name"
            )
        if key in ("maxmemory-policy", "cluster-enabled"):
            raise a.fail(
                "parameters", params, f"{key} is set by RedisCache (maxmemory_policy, shards)"
            )
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise a.fail("parameters", params, f"value of {key} must be a string or a number")
    return {k: str(v) for k, v in params.items()}


__all__ = ["COMPONENT", "CacheSettings", "parse_cache_args"]
