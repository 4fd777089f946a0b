"""RedisCache: the ElastiCache replication group itself (TLS-only with AUTH, encrypted at rest,
snapshotted, logging to CloudWatch) and the endpoints clients connect to."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.data.redis.settings import CacheSettings
from gridops_infra.data.redis.support import Foundation, data_protection


def replication_group_args(
    cfg: CacheSettings, name: str, f: Foundation, auth_token: pulumi.Input[str]
) -> dict[str, Any]:
    """The `aws.elasticache.ReplicationGroup` arguments, cluster mode on or off."""
    engine, version, shards, replicas = cfg.engine, cfg.engine_version, cfg.shards, cfg.replicas
    zones = cfg.network.availability_zones
    group_args: dict[str, Any] = {
        "replication_group_id": cfg.identifier,
        "description": f"{engine} {version} cache {name}",
        "engine": engine,
        "engine_version": version,
        "node_type": cfg.node_type,
        "port": cfg.port,
        "parameter_group_name": f.parameter_group.name,
        "subnet_group_name": f.subnet_group.name,
        "security_group_ids": [f.security_group.id],
        "at_rest_encryption_enabled": True,
        "kms_key_id": f.kms_key_arn,
        "transit_encryption_enabled": True,
        "transit_encryption_mode": "required",
        "auth_token": auth_token,
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
            for kind, group in f.log_groups.items()
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
    return group_args


def build_replication_group(
    cache: GridopsComponent, cfg: CacheSettings, f: Foundation, auth_token: pulumi.Input[str]
) -> aws.elasticache.ReplicationGroup:
    return cache.child(
        "replication_group",
        aws.elasticache.ReplicationGroup,
        replication_group_args(cfg, cache.name, f, auth_token),
        opts=data_protection(cfg),
    )


def endpoints(
    group: aws.elasticache.ReplicationGroup, cluster_mode: bool
) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
    """(primary, reader) hosts: both the configuration endpoint in cluster mode."""
    if cluster_mode:
        return group.configuration_endpoint_address, group.configuration_endpoint_address
    return group.primary_endpoint_address, group.reader_endpoint_address


__all__ = ["build_replication_group", "endpoints", "replication_group_args"]
