"""RedisCache: an ElastiCache replication group (Valkey by default, or Redis OSS), private,
TLS-only with an AUTH token, encrypted at rest, Multi-AZ when it has replicas, snapshotted.

The pieces: `args.py` (the arguments), `settings.py` (their checks),
`support.py` (key, security group, subnets, parameters, logs), `auth.py` (the
AUTH token and its secret), `group.py` (the replication group) and `metrics.py`;
this module assembles them and offers links, ingress and metrics.
"""

from __future__ import annotations

from typing import overload

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.links import LinkGrant
from gridops_infra.core.metrics import Metric
from gridops_infra.core.validation import check_name
from gridops_infra.data.redis.args import RedisCacheArgs
from gridops_infra.data.redis.auth import create_auth, write_auth_secret
from gridops_infra.data.redis.group import build_replication_group, endpoints
from gridops_infra.data.redis.metrics import member_id, node_metric, replica_lag, replica_nodes
from gridops_infra.data.redis.settings import COMPONENT, CacheSettings, parse_cache_args
from gridops_infra.data.redis.support import build_foundation
from gridops_infra.network.consumer_ingress import ConsumerIngress


class RedisCache(GridopsComponent):
    """A Valkey / Redis OSS replication group that only linked services can reach.

    Example: `RedisCache("cache", {"network": net, "node_type": "cache.r7g.large",
    "replicas": 1})`.
    """

    TYPE = "gridops:aws:RedisCache"
    ADMITS_CONSUMER_GROUPS = True
    """`allow_from` opens the port to a consumer's security group (see `links`)."""
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
    settings: CacheSettings
    """Every argument, checked and defaulted."""

    def __init__(
        self,
        name: str,
        args: RedisCacheArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name(COMPONENT, name)
        cfg, a = parse_cache_args(name, args)
        transforms = check_transforms(COMPONENT, name, a.raw("transforms"), self.CHILD_ROLES)

        super().__init__(name, opts, transforms=transforms, tags=cfg.tags)
        self.settings = cfg
        self.identifier = cfg.identifier
        self.port = cfg.port
        self.replicas = cfg.replicas
        self.shards = cfg.shards
        self.env_prefix = cfg.env_prefix
        self._consumers = ConsumerIngress(self, COMPONENT, self.port, "Cache")

        f = build_foundation(self, cfg)
        self.kms_key_arn = f.kms_key_arn
        self.security_group_id = f.security_group.id
        auth = create_auth(self, f.kms_key_arn)
        self.auth_token = pulumi.Output.secret(auth.token.result)
        self.replication_group = build_replication_group(self, cfg, f, auth.token.result)
        self.primary_endpoint, self.reader_endpoint = endpoints(
            self.replication_group, bool(self.shards)
        )
        self.auth_secret_arn = write_auth_secret(
            self, auth, self.primary_endpoint, self.reader_endpoint, self.port
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

    # -- metrics (per node: see `metrics.py`) -------------------------------------

    def member_id(self, node: int = 1, shard: int = 1) -> str:
        """The CacheClusterId of node `node` (1 = created as primary) of shard `shard`."""
        return member_id(self.settings, node, shard)

    def metric_cpu(self, node: int = 1, shard: int = 1) -> Metric:
        """`EngineCPUUtilization`: the engine's (main) thread, which saturates long before the
        host's `CPUUtilization` shows it on multi-core nodes."""
        return node_metric(self.settings, "EngineCPUUtilization", "Average", "Percent", node, shard)

    def metric_memory(self, node: int = 1, shard: int = 1) -> Metric:
        """`DatabaseMemoryUsagePercentage`: used memory over `maxmemory`."""
        return node_metric(
            self.settings, "DatabaseMemoryUsagePercentage", "Maximum", "Percent", node, shard
        )

    def metric_evictions(self, node: int = 1, shard: int = 1) -> Metric:
        """`Evictions` per period on the node (the primary's count is the one that matters)."""
        return node_metric(self.settings, "Evictions", "Sum", "Count", node, shard)

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
            return [self.metric_replication_lag(n, sh) for n, sh in replica_nodes(self.settings)]
        return replica_lag(self.settings, node, shard)


__all__ = ["RedisCache", "RedisCacheArgs"]
