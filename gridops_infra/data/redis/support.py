"""RedisCache: what the replication group stands on (key, security group, subnets, engine
parameters, log groups), built as children of the component before the group itself."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.data.redis.settings import CacheSettings

LOG_KINDS = ("slow-log", "engine-log")


@dataclass
class Foundation:
    """Children the replication group uses, created before it."""

    kms_key_arn: pulumi.Input[str] | None
    security_group: aws.ec2.SecurityGroup
    subnet_group: aws.elasticache.SubnetGroup
    parameter_group: aws.elasticache.ParameterGroup
    log_groups: dict[str, aws.cloudwatch.LogGroup]
    """By ElastiCache log type (`slow-log`, `engine-log`)."""


def data_protection(cfg: CacheSettings) -> pulumi.ResourceOptions:
    """`protect` and `retain_on_delete` for what holds or unlocks the data."""
    return pulumi.ResourceOptions(protect=cfg.protect, retain_on_delete=cfg.protect)


def build_foundation(cache: GridopsComponent, cfg: CacheSettings) -> Foundation:
    name, identifier = cache.name, cfg.identifier
    kms_key_arn = cfg.kms_key_arn
    if cfg.customer_managed_key:
        kms_key_arn = cache.child(
            "kms_key",
            aws.kms.Key,
            {
                "description": f"Encrypts the {name} cache, its snapshots and AUTH secret",
                "enable_key_rotation": True,
                "deletion_window_in_days": 30,
            },
            suffix="key",
            opts=data_protection(cfg),
        ).arn
    security_group = cache.child(
        "security_group",
        aws.ec2.SecurityGroup,
        {
            "vpc_id": cfg.network.vpc_id,
            "description": f"Cache {name}: admits only linked services",
            "tags": {"Name": f"{name}-cache"},
        },
        suffix="sg",
    )
    subnet_group = cache.child(
        "subnet_group",
        aws.elasticache.SubnetGroup,
        {
            "name": f"{identifier}-subnets",
            "subnet_ids": cfg.network.private_subnet_ids,
            "description": f"Private subnets of cache {name}",
        },
        suffix="subnets",
    )
    params = {"maxmemory-policy": cfg.maxmemory_policy, **cfg.parameters}
    if cfg.shards:
        params["cluster-enabled"] = "yes"
    parameter_group = cache.child(
        "parameter_group",
        aws.elasticache.ParameterGroup,
        {
            # The family is in the name so an engine upgrade creates the new group first.
            "name": f"{identifier}-{cfg.family.replace('.', '-')}",
            "family": cfg.family,
            "description": f"{cfg.engine} {cfg.engine_version} parameters of {name}",
            "parameters": [{"name": k, "value": v} for k, v in sorted(params.items())],
        },
        suffix="params",
    )
    log_groups = {
        kind: cache.child(
            "log_group",
            aws.cloudwatch.LogGroup,
            {
                "name": f"/aws/elasticache/{identifier}/{kind}",
                "retention_in_days": cfg.log_retention_days,
            },
            suffix=kind.replace("-log", "-logs"),
        )
        for kind in LOG_KINDS
    }
    return Foundation(kms_key_arn, security_group, subnet_group, parameter_group, log_groups)


__all__ = ["Foundation", "build_foundation", "data_protection"]
