"""CdnFrontend's WAF web ACL (CLOUDFRONT scope, so it lives in us-east-1): the AWS
managed common rule set and a per-IP rate limit; everything else is allowed."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent

ROLES = ("web_acl",)
COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet"
KNOWN_BAD_INPUTS_RULE_SET = "AWSManagedRulesKnownBadInputsRuleSet"
IP_REPUTATION_LIST = "AWSManagedRulesAmazonIpReputationList"
# The common set blocks request bodies over 8 KB; behind an API that breaks uploads and
# large JSON, so with an API origin that rule only counts (it still shows in metrics).
BODY_SIZE_RULE = "SizeRestrictions_BODY"
RATE_WINDOW_SECONDS = 300


def _visibility(metric: str) -> dict[str, Any]:
    return {
        "cloudwatch_metrics_enabled": True,
        "metric_name": metric,
        "sampled_requests_enabled": True,
    }


def _managed(name: str, group: dict[str, Any], priority: int, metric: str) -> dict[str, Any]:
    return {
        "name": name,
        "priority": priority,
        "override_action": {"none": {}},
        "statement": {"managed_rule_group_statement": group},
        "visibility_config": _visibility(metric),
    }


def web_acl_rules(name: str, rate_limit: int, count_body_size: bool) -> list[dict[str, Any]]:
    """AWS's baseline managed groups (common, known bad inputs, IP reputation: 925 of the
    web ACL's 1,500 default capacity units) and a per-IP rate limit."""
    common: dict[str, Any] = {"name": COMMON_RULE_SET, "vendor_name": "AWS"}
    if count_body_size:
        common["rule_action_overrides"] = [{"name": BODY_SIZE_RULE, "action_to_use": {"count": {}}}]
    return [
        _managed("aws-common-rule-set", common, 0, f"{name}-common-rules"),
        _managed(
            "aws-known-bad-inputs",
            {"name": KNOWN_BAD_INPUTS_RULE_SET, "vendor_name": "AWS"},
            1,
            f"{name}-known-bad-inputs",
        ),
        _managed(
            "aws-ip-reputation",
            {"name": IP_REPUTATION_LIST, "vendor_name": "AWS"},
            2,
            f"{name}-ip-reputation",
        ),
        {
            "name": "rate-limit-per-ip",
            "priority": 3,
            "action": {"block": {}},
            "statement": {
                "rate_based_statement": {
                    "limit": rate_limit,
                    "aggregate_key_type": "IP",
                    "evaluation_window_sec": RATE_WINDOW_SECONDS,
                }
            },
            "visibility_config": _visibility(f"{name}-rate-limit"),
        },
    ]


def web_acl(
    owner: GridopsComponent, rate_limit: int, count_body_size: bool, provider: aws.Provider
) -> aws.wafv2.WebAcl:
    return owner.child(
        "web_acl",
        aws.wafv2.WebAcl,
        {
            "scope": "CLOUDFRONT",
            "description": f"{owner.name}: AWS common, known-bad-input and IP-reputation rules "
            f"and {rate_limit} requests per IP per 5 minutes",
            "default_action": {"allow": {}},
            "rules": web_acl_rules(owner.name, rate_limit, count_body_size),
            "visibility_config": _visibility(f"{owner.name}-web-acl"),
        },
        suffix="waf",
        opts=pulumi.ResourceOptions(provider=provider),
    )


__all__ = [
    "BODY_SIZE_RULE",
    "COMMON_RULE_SET",
    "IP_REPUTATION_LIST",
    "KNOWN_BAD_INPUTS_RULE_SET",
    "ROLES",
    "web_acl",
    "web_acl_rules",
]
