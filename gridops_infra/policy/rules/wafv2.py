"""AWS WAF's create-time rules: CLOUDFRONT scope in us-east-1, rate-based rule settings,
unique rule priorities, no AssociateWebACL for CloudFront."""

from __future__ import annotations

from typing import Any

from gridops_infra.core.aws_rules import wafv2
from gridops_infra.policy._aws_limits import resource_region
from gridops_infra.policy._props import as_list, get, number, of_type, peek, text
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, stack_rule

WEB_ACL = "aws:wafv2/webAcl:WebAcl"
WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation"
CLOUDFRONT_REGION = "us-east-1"
RATE_LIMIT_RANGE = (10, 2_000_000_000)
EVALUATION_WINDOWS = (60, 120, 300, 600)


@stack_rule(
    name="waf-cloudfront-acl-in-us-east-1",
    description="A WAF web ACL with scope CLOUDFRONT is created in us-east-1.",
    severity=MANDATORY,
    remediation=wafv2.CLOUDFRONT_SCOPE_US_EAST_1.fix,
    types=(WEB_ACL,),
    aws_rule=wafv2.CLOUDFRONT_SCOPE_US_EAST_1.id,
)
def cloudfront_acl_in_us_east_1(args: Any, report: ReportViolation) -> None:
    for acl in of_type(args.resources, WEB_ACL):
        if text(peek(acl.props, "scope")) != "CLOUDFRONT":
            continue
        region = resource_region(acl)
        if region and region != CLOUDFRONT_REGION:
            report(
                f"{acl.name}: scope CLOUDFRONT but created in {region}; AWS WAF takes "
                f"CloudFront web ACLs only in {CLOUDFRONT_REGION}.",
                acl.urn,
            )


def _rate_statements(statement: Any) -> list[Any]:
    """Rate-based statements in a rule's statement (top level only: WAF does not nest them)."""
    rate = get(statement, "rateBasedStatement")
    return [rate] if rate is not None else []


@resource_rule(
    name="waf-rate-limit-range",
    description="Every rate-based rule of a web ACL has a limit from 10 to 2,000,000,000.",
    severity=MANDATORY,
    remediation=wafv2.RATE_LIMIT_MINIMUM.fix,
    types=(WEB_ACL,),
    aws_rule=wafv2.RATE_LIMIT_MINIMUM.id,
)
def rate_limit_range(args: Any, report: ReportViolation) -> None:
    for rule in as_list(get(args.props, "rules")):
        name = text(get(rule, "name")) or "?"
        for rate in _rate_statements(get(rule, "statement")):
            limit = number(get(rate, "limit"))
            lo, hi = RATE_LIMIT_RANGE
            if limit is not None and not lo <= limit <= hi:
                report(f"rule {name!r}: limit {limit:g} is outside {lo}..{hi:,}.")


@resource_rule(
    name="waf-rate-evaluation-window",
    description="Every rate-based rule's evaluation window is 60, 120, 300 or 600 seconds.",
    severity=MANDATORY,
    remediation=wafv2.RATE_EVALUATION_WINDOW.fix,
    types=(WEB_ACL,),
    aws_rule=wafv2.RATE_EVALUATION_WINDOW.id,
)
def rate_evaluation_window(args: Any, report: ReportViolation) -> None:
    for rule in as_list(get(args.props, "rules")):
        name = text(get(rule, "name")) or "?"
        for rate in _rate_statements(get(rule, "statement")):
            window = number(get(rate, "evaluationWindowSec"))
            if window is not None and window not in EVALUATION_WINDOWS:
                report(
                    f"rule {name!r}: evaluationWindowSec {window:g}; allowed: "
                    f"{', '.join(map(str, EVALUATION_WINDOWS))}."
                )


@resource_rule(
    name="waf-rule-priorities-unique",
    description="The rules of a WAF web ACL have distinct priorities.",
    severity=MANDATORY,
    remediation=wafv2.RULE_PRIORITIES_UNIQUE.fix,
    types=(WEB_ACL,),
    aws_rule=wafv2.RULE_PRIORITIES_UNIQUE.id,
)
def rule_priorities_unique(args: Any, report: ReportViolation) -> None:
    seen: dict[float, str] = {}
    for rule in as_list(get(args.props, "rules")):
        name = text(get(rule, "name")) or "?"
        priority = number(get(rule, "priority"))
        if priority is None:
            continue
        if priority in seen:
            report(f"rules {seen[priority]!r} and {name!r} share priority {priority:g}.")
        else:
            seen[priority] = name


@resource_rule(
    name="waf-no-association-for-cloudfront",
    description="No WebAclAssociation targets a CloudFront distribution (CloudFront takes "
    "its web ACL in the distribution's web_acl_id).",
    severity=MANDATORY,
    remediation=wafv2.NO_ASSOCIATION_FOR_CLOUDFRONT.fix,
    types=(WEB_ACL_ASSOCIATION,),
    aws_rule=wafv2.NO_ASSOCIATION_FOR_CLOUDFRONT.id,
)
def no_association_for_cloudfront(args: Any, report: ReportViolation) -> None:
    arn = text(get(args.props, "resourceArn"))
    if ":cloudfront::" in arn and ":distribution/" in arn:
        report(f"resourceArn {arn!r} is a CloudFront distribution.")
