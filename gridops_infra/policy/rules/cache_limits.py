"""ElastiCache: the create-time rules AWS enforces (`core/aws_rules/elasticache.py`) on
replication groups, checked on the whole Plan (transforms, hand-written resources)."""

from __future__ import annotations

from typing import Any

from gridops_infra.core.aws_rules import elasticache
from gridops_infra.policy._props import UNKNOWN, is_true, number, of_type, peek
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, stack_rule
from gridops_infra.policy.rules.cache import REPLICATION_GROUP


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


RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword"
AUTH_TOKEN_SPECIALS = frozenset("!&#$^<>-")
AUTH_TOKEN_LENGTH = (16, 128)
# What pulumi-random draws special characters from unless override_special is given.
RANDOM_DEFAULT_SPECIALS = "!@#$%&*()-_=+[]{}<>:?"


def token_problems(generator: Any) -> list[str]:
    """Why a RandomPassword would make an AUTH token ElastiCache refuses ([] when it would
    not, or when its settings are not known yet)."""
    props = generator.props
    length = number(peek(props, "length"))
    lo, hi = AUTH_TOKEN_LENGTH
    problems = []
    if length is not None and not lo <= length <= hi:
        problems.append(f"its length is {length:g} (ElastiCache takes {lo}..{hi})")
    special = peek(props, "special")
    if special is UNKNOWN or special is False:
        return problems
    override = peek(props, "overrideSpecial")
    drawn = override if isinstance(override, str) else RANDOM_DEFAULT_SPECIALS
    refused = sorted(set(drawn) - AUTH_TOKEN_SPECIALS)
    if refused:
        problems.append(f"it may contain {''.join(refused)} (only !&#$^<>- are allowed)")
    return problems


def literal_token_problems(token: Any) -> list[str]:
    if not isinstance(token, str):
        return []  # a secret or a computed value: judged through its generator, if any
    lo, hi = AUTH_TOKEN_LENGTH
    problems = []
    if not lo <= len(token) <= hi:
        problems.append(f"it has {len(token)} characters (ElastiCache takes {lo}..{hi})")
    if any(not c.isascii() or not (c.isalnum() or c in AUTH_TOKEN_SPECIALS) for c in token):
        problems.append("it has characters other than letters, digits and !&#$^<>-")
    return problems


@stack_rule(
    name="elasticache-auth-token-format",
    description="A replication group's AUTH token (or the RandomPassword it comes from) is "
    "16..128 characters of letters, digits and !&#$^<>-.",
    severity=MANDATORY,
    remediation=elasticache.AUTH_TOKEN_FORMAT.fix,
    types=(REPLICATION_GROUP, RANDOM_PASSWORD),
    aws_rule=elasticache.AUTH_TOKEN_FORMAT.id,
)
def auth_token_format(args: Any, report: ReportViolation) -> None:
    for group in of_type(args.resources, REPLICATION_GROUP):
        deps = (getattr(group, "property_dependencies", None) or {}).get("authToken") or []
        generators = [d for d in deps if d.resource_type == RANDOM_PASSWORD]
        problems = [p for g in generators for p in token_problems(g)]
        if not generators:
            problems = literal_token_problems(peek(group.props, "authToken"))
        for problem in problems:
            report(
                f"replication group {group.name!r}: the AUTH token is refused: {problem}.",
                group.urn,
            )
