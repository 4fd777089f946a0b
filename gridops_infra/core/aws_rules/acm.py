"""AWS Certificate Manager: what RequestCertificate accepts."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "AWS Certificate Manager"

COMMON_NAME_LENGTH = aws_rule(
    id="acm-common-name-length",
    service=SERVICE,
    rule="A certificate's first domain name becomes its Common Name, which cannot exceed 64 "
    "characters (RFC 5280), periods included.",
    source="https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html",
    fix="Use a domain of at most 64 characters (a shorter name pointing at the same service).",
)

DOMAIN_NAMES_QUOTA = aws_rule(
    id="acm-domain-names-quota",
    service=SERVICE,
    rule="An ACM certificate holds at most 10 domain names by default (its domain name plus "
    "subject alternative names).",
    source="https://docs.aws.amazon.com/acm/latest/userguide/acm-limits.html",
    fix="Split the names over several certificates or use a wildcard name; with a raised "
    "quota, raise the policy setting `maximum`.",
)
