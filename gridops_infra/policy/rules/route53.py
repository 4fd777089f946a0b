"""Route 53's create-time rules on records: aliases take no TTL; a routing policy needs a
set identifier (and a simple record takes none)."""

from __future__ import annotations

from typing import Any

from gridops_infra.core.aws_rules import route53
from gridops_infra.policy._props import as_list, get
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule

RECORD = "aws:route53/record:Record"
ROUTING_POLICIES = (
    "weightedRoutingPolicies",
    "failoverRoutingPolicies",
    "latencyRoutingPolicies",
    "geolocationRoutingPolicies",
    "geoproximityRoutingPolicy",
    "cidrRoutingPolicy",
    "multivalueAnswerRoutingPolicy",
)


@resource_rule(
    name="route53-alias-without-ttl",
    description="A Route 53 alias record sets no TTL.",
    severity=MANDATORY,
    remediation=route53.ALIAS_WITHOUT_TTL.fix,
    types=(RECORD,),
    aws_rule=route53.ALIAS_WITHOUT_TTL.id,
)
def alias_without_ttl(args: Any, report: ReportViolation) -> None:
    if as_list(get(args.props, "aliases")) and get(args.props, "ttl") is not None:
        report(f"alias record with ttl {get(args.props, 'ttl')!r}; an alias takes no TTL.")


def _routing_policies(props: Any) -> list[str]:
    out = []
    for key in ROUTING_POLICIES:
        value = get(props, key)
        if value is True or (value not in (None, False) and as_list(value)):
            out.append(key)
    return out


@resource_rule(
    name="route53-set-identifier-with-routing-policy",
    description="A Route 53 record has a set identifier exactly when it has a routing policy.",
    severity=MANDATORY,
    remediation=route53.SET_IDENTIFIER_WITH_ROUTING_POLICY.fix,
    types=(RECORD,),
    aws_rule=route53.SET_IDENTIFIER_WITH_ROUTING_POLICY.id,
)
def set_identifier_with_routing_policy(args: Any, report: ReportViolation) -> None:
    policies = _routing_policies(args.props)
    identifier = get(args.props, "setIdentifier")
    if policies and not identifier:
        report(f"{', '.join(policies)} without setIdentifier.")
    elif identifier and not policies:
        report(f"setIdentifier {identifier!r} on a simple record (no routing policy).")
