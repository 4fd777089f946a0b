"""Amazon Route 53: what ChangeResourceRecordSets accepts in a record."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Amazon Route 53"
RECORD_SET = "https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html"

ALIAS_WITHOUT_TTL = aws_rule(
    id="route53-alias-without-ttl",
    service=SERVICE,
    rule="An alias record takes no TTL: Route 53 uses the alias target's.",
    source=RECORD_SET,
    fix="Leave ttl out of a record with aliases (or drop the aliases and give records).",
)

SET_IDENTIFIER_WITH_ROUTING_POLICY = aws_rule(
    id="route53-set-identifier-with-routing-policy",
    service=SERVICE,
    rule="A record with a routing policy other than simple (weighted, failover, latency, "
    "geolocation, multivalue, CIDR) needs a set identifier, and a simple record takes none.",
    source=RECORD_SET,
    fix="Give set_identifier with the routing policy, or neither.",
)
