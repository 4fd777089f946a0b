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

WEIGHTED = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-weighted.html"
HEALTH_CHECK_CONFIG = (
    "https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html"
)
ALARM_IDENTIFIER = (
    "https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html"
)

WEIGHTED_SAME_TYPE = aws_rule(
    id="route53-weighted-same-type",
    service=SERVICE,
    rule="The records of a weighted group have the same name and the same type.",
    source=WEIGHTED,
    fix="Give both sides of a TrafficCutover an address or an alias target (A records), or "
    "both a cname.",
)

SET_IDENTIFIER_LENGTH = aws_rule(
    id="route53-set-identifier-length",
    service=SERVICE,
    rule="A record's set identifier has 1 to 128 characters.",
    source=RECORD_SET,
    fix="Give set_identifier a name of 1 to 128 characters, or leave it out.",
)

INSUFFICIENT_DATA_STATUS = aws_rule(
    id="route53-health-check-insufficient-data-status",
    service=SERVICE,
    rule="A CLOUDWATCH_METRIC health check's InsufficientDataHealthStatus is Healthy, "
    "Unhealthy or LastKnownStatus.",
    source=HEALTH_CHECK_CONFIG,
    fix="Set rollback.insufficient_data to 'Healthy', 'Unhealthy' or 'LastKnownStatus'.",
)

HEALTH_CHECK_ALARM_SINGLE_METRIC = aws_rule(
    id="route53-health-check-alarm-single-metric",
    service=SERVICE,
    rule="A health check follows a CloudWatch alarm on a standard-resolution metric with the "
    "statistic Average, Minimum, Maximum, Sum or SampleCount: not a composite alarm, metric "
    "math or an extended statistic.",
    source=ALARM_IDENTIFIER,
    fix="Follow a metric alarm on one metric: give TrafficCutover rollback."
    "cloudfront_distribution_id (it builds one on the distribution's 5xxErrorRate) instead "
    "of an SLO page alarm, which is a composite.",
)
