"""RedisCache: an ElastiCache replication group (Valkey by default, or Redis OSS), private,
TLS-only with an AUTH token, encrypted at rest, Multi-AZ when it has replicas, snapshotted."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal, TypedDict, overload

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from . import data_families as fam
from ._component import GridopsComponent, Transform, check_transforms
from ._validation import ArgError, ArgReader, check_name
from .consumer_ingress import ConsumerIngress
from .links import LinkGrant
from .logs import retention_days
from .metrics import Metric
from .network import Network

COMPONENT = "RedisCache"
NAMESPACE = "AWS/ElastiCache"
MAX_REPLICAS = 5
MAX_SHARDS = 500
AUTH_TOKEN_LENGTH = 64  # letters and digits: ElastiCache allows 16..128, and URL-safe
MAXMEMORY_POLICIES = (
    "volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random",
    "allkeys-random", "volatile-ttl", "noeviction",
)  # fmt: skip
CLUSTER_MEMBER_SUFFIX = "-{shard:04d}-{node:03d}"
MEMBER_SUFFIX = "-{node:03d}"


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
    families ElastiCache offers for Valkey/Redis OSS (see `data_families.py`). Changing it
    resizes in place (online)."""
    replicas: int
    """Read replicas per shard, spread over the network's AZs. Default: 1. Allowed: 0..5."""
    shards: int
    """Turn on cluster mode with this many shards. Default: off (one shard, no cluster
    mode). Allowed: 1..500. Turning cluster mode on or off replaces the cache."""
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
    """Daily snapshot window, UTC, `hh24:mi-hh24:mi`. Default: `"02:00-03:00"`."""
    maintenance_window: str
    """Weekly maintenance window, UTC, `ddd:hh24:mi-ddd:hh24:mi`. Default:
    `"sun:05:00-sun:06:00"`."""
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


class RedisCache(GridopsComponent):
    """A Valkey / Redis OSS replication group that only linked services can reach.

    Example: `RedisCache("cache", {"network": net, "node_type": "cache.r7g.large",
    "replicas": 1})`.
    """

    TYPE = "gridops:aws:RedisCache"
    CHILD_ROLES = (
        "kms_key",
        "security_group",
        "ingress",
        "subnet_group",
        "parameter_group",
        "log_group",
        "auth_token",
        "secret",
        "secret_version",
        "replication_group",
    )

    primary_endpoint: pulumi.Output[str]
    """Host for writes (the configuration endpoint in cluster mode)."""
    reader_endpoint: pulumi.Output[str]
    """Host balancing reads over the replicas (the configuration endpoint in cluster mode)."""
    port: int
    """The port."""
    auth_secret_arn: pulumi.Output[str]
    """Secrets Manager secret (JSON keys `auth_token`, `host`, `port`, `url`, `reader_url`)."""
    auth_token: pulumi.Output[str]
    """The AUTH token, a Pulumi secret."""
    security_group_id: pulumi.Output[str]
    """The cache's security group."""

    def __init__(
        self,
        name: str,
        args: RedisCacheArgs | dict[str, Any] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name(COMPONENT, name)
        a = ArgReader(COMPONENT, name, args, RedisCacheArgs.__annotations__)
        cfg = _parse(a, name)
        transforms = check_transforms(COMPONENT, name, a.raw("transforms"), self.CHILD_ROLES)

        super().__init__(name, opts, transforms=transforms, tags=cfg.tags)
        self.settings = cfg
        self.identifier = identifier = cfg.identifier
        self.port = cfg.port
        self.replicas = replicas = cfg.replicas
        self.shards = shards = cfg.shards
        self.env_prefix = cfg.env_prefix
        self._consumers = ConsumerIngress(self, COMPONENT, self.port, "Cache")
        protection = pulumi.ResourceOptions(protect=cfg.protect, retain_on_delete=cfg.protect)
        engine, version, network = cfg.engine, cfg.engine_version, cfg.network

        kms_key_arn = cfg.kms_key_arn
        if cfg.customer_managed_key:
            kms_key_arn = self.child(
                "kms_key",
                aws.kms.Key,
                {
                    "description": f"Encrypts the {name} cache, its snapshots and AUTH secret",
                    "enable_key_rotation": True,
                    "deletion_window_in_days": 30,
                },
                suffix="key",
                opts=protection,
            ).arn
        self.kms_key_arn = kms_key_arn
        security_group = self.child(
            "security_group",
            aws.ec2.SecurityGroup,
            {
                "vpc_id": network.vpc_id,
                "description": f"Cache {name}: admits only linked services",
                "tags": {"Name": f"{name}-cache"},
            },
            suffix="sg",
        )
        self.security_group_id = security_group.id
        subnet_group = self.child(
            "subnet_group",
            aws.elasticache.SubnetGroup,
            {
                "name": f"{identifier}-subnets",
                "subnet_ids": network.private_subnet_ids,
                "description": f"Private subnets of cache {name}",
            },
            suffix="subnets",
        )
        params = {"maxmemory-policy": cfg.maxmemory_policy, **cfg.parameters}
        if shards:
            params["cluster-enabled"] = "yes"
        parameter_group = self.child(
            "parameter_group",
            aws.elasticache.ParameterGroup,
            {
                # The family is in the name so an engine upgrade creates the new group first.
                "name": f"{identifier}-{cfg.family.replace('.', '-')}",
                "family": cfg.family,
                "description": f"{engine} {version} parameters of {name}",
                "parameters": [{"name": k, "value": v} for k, v in sorted(params.items())],
            },
            suffix="params",
        )
        logs = {
            kind: self.child(
                "log_group",
                aws.cloudwatch.LogGroup,
                {
                    "name": f"/aws/elasticache/{identifier}/{kind}",
                    "retention_in_days": cfg.log_retention_days,
                },
                suffix=kind.replace("-log", "-logs"),
            )
            for kind in ("slow-log", "engine-log")
        }
        token = self.child(
            "auth_token",
            random.RandomPassword,
            {"length": AUTH_TOKEN_LENGTH, "special": False, "min_numeric": 4, "min_upper": 4},
            suffix="auth-token",
            tag=False,
        )
        self.auth_token = pulumi.Output.secret(token.result)
        secret = self.child(
            "secret",
            aws.secretsmanager.Secret,
            {
                "description": f"AUTH token and connection URLs of cache {name}",
                "kms_key_id": kms_key_arn,
                "recovery_window_in_days": 7,
            },
            suffix="auth",
        )

        zones = network.availability_zones
        group_args: dict[str, Any] = {
            "replication_group_id": identifier,
            "description": f"{engine} {version} cache {name}",
            "engine": engine,
            "engine_version": version,
            "node_type": cfg.node_type,
            "port": self.port,
            "parameter_group_name": parameter_group.name,
            "subnet_group_name": subnet_group.name,
            "security_group_ids": [security_group.id],
            "at_rest_encryption_enabled": True,
            "kms_key_id": kms_key_arn,
            "transit_encryption_enabled": True,
            "transit_encryption_mode": "required",
            "auth_token": token.result,
            # cluster mode always fails over automatically (ElastiCache requires it)
            "automatic_failover_enabled": cfg.multi_az or bool(shards),
            "multi_az_enabled": cfg.multi_az,
            "snapshot_retention_limit": cfg.snapshot_retention_days,
            "snapshot_window": cfg.snapshot_window,
            "maintenance_window": cfg.maintenance_window,
            "final_snapshot_identifier": cfg.final_snapshot_identifier,
            "auto_minor_version_upgrade": True,
            "apply_immediately": cfg.apply_immediately,
            "log_delivery_configurations": [
                {
                    "destination": group.name,
                    "destination_type": "cloudwatch-logs",
                    "log_format": "json",
                    "log_type": kind,
                }
                for kind, group in logs.items()
            ],
        }
        if shards:
            group_args |= {
                "cluster_mode": "enabled",
                "num_node_groups": shards,
                "replicas_per_node_group": replicas,
            }
        else:
            group_args |= {
                "cluster_mode": "disabled",
                "num_cache_clusters": 1 + replicas,
                # the primary in the first AZ, each replica in the next one
                "preferred_cache_cluster_azs": [zones[i % len(zones)] for i in range(1 + replicas)],
            }
        if cfg.data_tiering:
            group_args["data_tiering_enabled"] = True
        if cfg.snapshot_name:
            group_args["snapshot_name"] = cfg.snapshot_name
        group = self.child(
            "replication_group", aws.elasticache.ReplicationGroup, group_args, opts=protection
        )
        self.replication_group = group

        if shards:
            self.primary_endpoint = group.configuration_endpoint_address
            self.reader_endpoint = group.configuration_endpoint_address
        else:
            self.primary_endpoint = group.primary_endpoint_address
            self.reader_endpoint = group.reader_endpoint_address

        def document(values: list[Any]) -> str:
            auth, primary, reader = values
            url = f"rediss://:{auth}@{{host}}:{self.port}"
            return json.dumps(
                {
                    "auth_token": auth,
                    "host": primary,
                    "port": self.port,
                    "url": url.format(host=primary),
                    "reader_url": url.format(host=reader),
                },
                sort_keys=True,
            )

        version_resource = self.child(
            "secret_version",
            aws.secretsmanager.SecretVersion,
            {
                "secret_id": secret.id,
                "secret_string": pulumi.Output.secret(
                    pulumi.Output.all(
                        token.result, self.primary_endpoint, self.reader_endpoint
                    ).apply(document)
                ),
            },
            suffix="auth-value",
        )
        # Resolves only once the value is written, so consumers never read an empty secret.
        self.auth_secret_arn = pulumi.Output.all(secret.arn, version_resource.id).apply(
            lambda v: str(v[0])
        )
        self.register_outputs(
            {
                "primary_endpoint": self.primary_endpoint,
                "reader_endpoint": self.reader_endpoint,
                "port": self.port,
                "auth_secret_arn": self.auth_secret_arn,
                "security_group_id": self.security_group_id,
            }
        )

    # -- links -----------------------------------------------------------------------------

    def link_grant(self) -> LinkGrant:
        """Host and port as plain settings; the AUTH token and URLs as secret references."""
        p = self.env_prefix
        environment: dict[str, pulumi.Input[str]] = {
            f"{p}_HOST": self.primary_endpoint,
            f"{p}_READER_HOST": self.reader_endpoint,
            f"{p}_PORT": str(self.port),
            f"{p}_TLS": "true",
            f"{p}_CLUSTER_MODE": "true" if self.shards else "false",
        }
        keys = {f"{p}_AUTH_TOKEN": "auth_token", f"{p}_URL": "url", f"{p}_READER_URL": "reader_url"}
        secrets: dict[str, pulumi.Input[str]] = {
            env: self.auth_secret_arn.apply(lambda arn, k=key: f"{arn}:{k}::")
            for env, key in keys.items()
        }
        return LinkGrant(
            environment=environment,
            secrets=secrets,
            secret_arns=[self.auth_secret_arn],
            kms_key_arns=[self.kms_key_arn] if self.kms_key_arn is not None else [],
        )

    def allow_from(
        self, consumer_name: str, security_group_id: pulumi.Input[str]
    ) -> aws.vpc.SecurityGroupIngressRule:
        """Admit one consumer security group on the cache port (once per consumer)."""
        return self._consumers.allow(consumer_name, security_group_id)

    # -- metrics ---------------------------------------------------------------------------
    # ElastiCache publishes Valkey/Redis metrics per node only, under the node's
    # `CacheClusterId` (`<group>-001`, `<group>-0001-001` in cluster mode); there is no
    # `ReplicationGroupId` dimension for them (that one belongs to Global Datastore metrics).

    def member_id(self, node: int = 1, shard: int = 1) -> str:
        """The CacheClusterId of node `node` (1 = created as primary) of shard `shard`."""
        nodes = self.replicas + 1
        shards = self.shards or 1
        if not (1 <= node <= nodes and 1 <= shard <= shards):
            raise ArgError(
                f"{COMPONENT} '{self.name}': node={node}, shard={shard} does not exist "
                f"(nodes 1..{nodes}, shards 1..{shards})"
            )
        if self.shards:
            return self.identifier + CLUSTER_MEMBER_SUFFIX.format(shard=shard, node=node)
        return self.identifier + MEMBER_SUFFIX.format(node=node)

    def _metric(self, name: str, statistic: str, unit: str, node: int, shard: int) -> Metric:
        return Metric(
            NAMESPACE, name, {"CacheClusterId": self.member_id(node, shard)}, statistic, unit=unit
        )

    def metric_cpu(self, node: int = 1, shard: int = 1) -> Metric:
        """`EngineCPUUtilization`: the engine's (main) thread, which saturates long before the
        host's `CPUUtilization` shows it on multi-core nodes."""
        return self._metric("EngineCPUUtilization", "Average", "Percent", node, shard)

    def metric_memory(self, node: int = 1, shard: int = 1) -> Metric:
        """`DatabaseMemoryUsagePercentage`: used memory over `maxmemory`."""
        return self._metric("DatabaseMemoryUsagePercentage", "Maximum", "Percent", node, shard)

    def metric_evictions(self, node: int = 1, shard: int = 1) -> Metric:
        """`Evictions` per period on the node (the primary's count is the one that matters)."""
        return self._metric("Evictions", "Sum", "Count", node, shard)

    @overload
    def metric_replication_lag(self) -> list[Metric]: ...
    @overload
    def metric_replication_lag(self, node: int, shard: int = 1) -> Metric: ...

    def metric_replication_lag(
        self, node: int | None = None, shard: int = 1
    ) -> Metric | list[Metric]:
        """`ReplicationLag` (seconds), which only replicas publish. With `node` (2.. in its
        shard): that replica's. Without: one per replica of every shard, as a list (empty
        for a cache without replicas)."""
        if node is None:
            return [
                self.metric_replication_lag(n, sh)
                for sh in range(1, (self.shards or 1) + 1)
                for n in range(2, self.replicas + 2)
            ]
        if node == 1:
            raise ArgError(
                f"{COMPONENT} '{self.name}': node 1 is the primary; pick a replica (2..)"
            )
        return self._metric("ReplicationLag", "Maximum", "Seconds", node, shard)


@dataclass(frozen=True)
class CacheSettings:
    """Every RedisCache argument checked and defaulted."""

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


def _parse(a: ArgReader, name: str) -> CacheSettings:
    network = a.instance_of("network", (Network,))
    engine = a.choice("engine", "valkey", tuple(fam.CACHE_ENGINES))
    spec = fam.CACHE_ENGINES[engine]
    version = a.choice("engine_version", spec.default_version, spec.versions)
    node_type = a.raw("node_type", "cache.t4g.small")
    problem = fam.class_problem(node_type, "cache", fam.CACHE_NODE_FAMILIES, "ElastiCache")
    if problem:
        raise a.fail("node_type", node_type, problem)
    family = (fam.split_class(node_type, "cache") or ("", ""))[0]
    replicas = a.integer("replicas", 1, 0, MAX_REPLICAS)
    shards = a.optional_integer("shards", 1, MAX_SHARDS)
    multi_az = a.boolean("multi_az", replicas >= 1)
    if multi_az and replicas == 0:
        raise a.fail("multi_az", True, "automatic failover needs replicas >= 1 (replicas is 0)")
    identifier = _identifier(a, name, fam.ELASTICACHE_ID_MAX)
    final_snapshot = a.boolean("final_snapshot", True)
    kms_key_arn = a.raw("kms_key_arn")
    if kms_key_arn is not None and not (
        isinstance(kms_key_arn, pulumi.Output)
        or (
            isinstance(kms_key_arn, str)
            and re.fullmatch(r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[a-zA-Z0-9-]+", kms_key_arn)
        )
    ):
        raise a.fail(
            "kms_key_arn", kms_key_arn, "expected 'arn:aws:kms:<region>:<account>:key/<id>'"
        )
    customer_key = a.boolean("customer_managed_key", False)
    if customer_key and kms_key_arn is not None:
        raise a.fail(
            "customer_managed_key", True, "give either kms_key_arn or customer_managed_key"
        )
    return CacheSettings(
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
        snapshot_window=a.string(
            "snapshot_window",
            "02:00-03:00",
            r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d",
            "expected hh24:mi-hh24:mi in UTC, e.g. '02:00-03:00'",
        ),
        maintenance_window=a.string(
            "maintenance_window",
            "sun:05:00-sun:06:00",
            r"(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-"
            r"(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d",
            "expected ddd:hh24:mi-ddd:hh24:mi in UTC, e.g. 'sun:05:00-sun:06:00'",
        ),
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


def _identifier(a: ArgReader, name: str, max_length: int) -> str:
    if not a.has("identifier"):
        return fam.default_identifier(
            COMPONENT, name, pulumi.get_project(), pulumi.get_stack(), max_length
        )
    value = a.raw("identifier")
    problem = fam.identifier_problem(value, max_length)
    if problem:
        raise a.fail("identifier", value, f"ElastiCache replication group id rules: {problem}")
    return value


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


__all__ = ["RedisCache", "RedisCacheArgs"]
