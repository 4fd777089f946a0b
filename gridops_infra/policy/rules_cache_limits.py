"""ElastiCache: the create-time rules AWS enforces (`core/aws_rules/elasticache.py`) on
replication groups, checked on the whole Plan (transforms, hand-written resources)."""

from __future__ import annotations

from typing import Any

from ..core.aws_rules import elasticache
from ._props import UNKNOWN, is_true, number, peek
from .rule import MANDATORY, ReportViolation, resource_rule
from .rules_cache import REPLICATION_GROUP


@resource_rule(
    name="elasticache-auth-token-needs-tls",
    description="A replication group with an AUTH token has in-transit encryption on.",
    severity=MANDATORY,
    remediation=elasticache.AUTH_TOKEN_NEEDS_TLS.fix,
    types=(REPLICATION_GROUP,),
    aws_rule=elasticache.AUTH_TOKEN_NEEDS_TLS.id,
)
def auth_token_needs_tls(args: Any, report: ReportViolation) -> None:
    has_token = peek(args.props, "authToken") is not None or (
        peek(args.props, "authTokenWo") is not None
    )
    if has_token and not is_true(peek(args.props, "transitEncryptionEnabled")):
        report("authToken is set but transitEncryptionEnabled is not true; AWS refuses it.")


@resource_rule(
    name="elasticache-failover-needs-replica",
    description="A cluster-mode-disabled replication group with automatic failover or "
    "Multi-AZ has at least two nodes.",
    severity=MANDATORY,
    remediation=elasticache.FAILOVER_NEEDS_REPLICA.fix,
    types=(REPLICATION_GROUP,),
    aws_rule=elasticache.FAILOVER_NEEDS_REPLICA.id,
)
def failover_needs_replica(args: Any, report: ReportViolation) -> None:
    if peek(args.props, "numNodeGroups") is not None:
        return  # cluster mode: failover is always on, replicas per shard may be 0
    failover = is_true(peek(args.props, "automaticFailoverEnabled")) or is_true(
        peek(args.props, "multiAzEnabled")
    )
    raw_nodes = peek(args.props, "numCacheClusters")
    if raw_nodes is UNKNOWN:
        return
    nodes = number(raw_nodes)
    if failover and (nodes is None or nodes < 2):
        report(
            f"automatic failover / Multi-AZ with numCacheClusters={nodes if nodes else 1:g}: "
            "AWS needs at least 2 (a primary and a replica)."
        )
