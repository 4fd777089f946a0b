"""AWS WAF (v2): web ACLs, their rules, and where they may live."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "AWS WAF"

CLOUDFRONT_SCOPE_US_EAST_1 = aws_rule(
    id="wafv2-cloudfront-scope-us-east-1",
    service=SERVICE,
    rule="A web ACL for CloudFront (scope CLOUDFRONT) and everything it uses must be created "
    "in US East (N. Virginia), us-east-1.",
    source="https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html",
    fix="Create the web ACL with an aws.Provider(region='us-east-1') (CdnFrontend's `waf` "
    "does this).",
)

RATE_LIMIT_MINIMUM = aws_rule(
    id="wafv2-rate-limit-minimum",
    service=SERVICE,
    rule="A rate-based rule's limit is at least 10 requests per evaluation window (and at "
    "most 2,000,000,000).",
    source="https://docs.aws.amazon.com/waf/latest/developerguide/"
    "waf-rule-statement-type-rate-based-high-level-settings.html",
    fix="Set the rate limit (CdnFrontend `waf_rate_limit`) from 10 to 2,000,000,000.",
)

RATE_EVALUATION_WINDOW = aws_rule(
    id="wafv2-rate-evaluation-window",
    service=SERVICE,
    rule="A rate-based rule's evaluation window is 60, 120, 300 or 600 seconds.",
    source="https://docs.aws.amazon.com/waf/latest/developerguide/"
    "waf-rule-statement-type-rate-based-high-level-settings.html",
    fix="Set evaluation_window_sec to 60, 120, 300 (the default) or 600.",
)

RULE_PRIORITIES_UNIQUE = aws_rule(
    id="wafv2-rule-priorities-unique",
    service=SERVICE,
    rule="The rules of one web ACL must all have different priorities.",
    source="https://docs.aws.amazon.com/waf/latest/APIReference/API_Rule.html",
    fix="Give every rule in the web ACL its own priority.",
)

NO_ASSOCIATION_FOR_CLOUDFRONT = aws_rule(
    id="wafv2-no-association-for-cloudfront",
    service=SERVICE,
    rule="A web ACL is attached to a CloudFront distribution through the distribution's own "
    "configuration (WebACLId), not through AssociateWebACL.",
    source="https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html",
    fix="Set web_acl_id on the aws.cloudfront.Distribution instead of creating an "
    "aws.wafv2.WebAclAssociation.",
)
