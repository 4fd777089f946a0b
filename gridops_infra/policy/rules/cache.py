"""ElastiCache (Redis/Valkey) replication groups: encryption, authentication, failover."""

from __future__ import annotations

from typing import Any

from gridops_infra.policy._props import as_list, get, is_true, number
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule

REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"


@resource_rule(
    name="elasticache-encryption",
    description="ElastiCache replication groups encrypt data at rest and in transit.",
    severity=MANDATORY,
    remediation="Set at_rest_encryption_enabled=True (with kms_key_id for a customer managed "
    "key) and transit_encryption_enabled=True; clients then connect with TLS "
    "(rediss://). At-rest encryption is chosen at creation: changing it replaces the group.",
    types=(REPLICATION_GROUP,),
)
def encryption(args: Any, report: ReportViolation) -> None:
    if not is_true(get(args.props, "atRestEncryptionEnabled")):
        report("atRestEncryptionEnabled is not true: data and backups are unencrypted.")
    if not is_true(get(args.props, "transitEncryptionEnabled")):
        report("transitEncryptionEnabled is not true: clients talk to Redis in clear text.")


@resource_rule(
    name="elasticache-auth",
    description="ElastiCache replication groups require authentication: an AUTH token or "
    "RBAC user groups.",
    severity=MANDATORY,
    remediation="Set auth_token to a Pulumi secret (e.g. a random.RandomPassword result) or "
    "user_group_ids to an ElastiCache RBAC user group (needs transit encryption).",
    types=(REPLICATION_GROUP,),
)
def authentication(args: Any, report: ReportViolation) -> None:
    if get(args.props, "authToken") or get(args.props, "authTokenWo"):
        return
    if as_list(get(args.props, "userGroupIds")):
        return
    report("neither authToken nor userGroupIds is set: anyone who reaches the port is in.")


def node_count(props: Any) -> float:
    clusters = number(get(props, "numCacheClusters"))
    if clusters is not None:
        return clusters
    shards = number(get(props, "numNodeGroups")) or 1
    replicas = number(get(props, "replicasPerNodeGroup")) or 0
    return shards * (1 + replicas)


@resource_rule(
    name="elasticache-automatic-failover",
    description="An ElastiCache replication group with more than one node fails over "
    "automatically.",
    severity=MANDATORY,
    remediation="Set automatic_failover_enabled=True (and multi_az_enabled=True with nodes "
    "in more than one AZ).",
    types=(REPLICATION_GROUP,),
)
def automatic_failover(args: Any, report: ReportViolation) -> None:
    nodes = node_count(args.props)
    if nodes > 1 and not is_true(get(args.props, "automaticFailoverEnabled")):
        report(
            f"{nodes:g} nodes but automaticFailoverEnabled is not true: losing the primary "
            "stops writes until someone promotes a replica."
        )
