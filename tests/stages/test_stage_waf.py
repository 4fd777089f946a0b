"""WAF is on by default in the cluster stages: AWS's common, known-bad-input and
IP-reputation rule groups and a per-IP rate limit on the CloudFront distribution, set by
`gridops:waf` and `gridops:waf_rate_limit`, and priced by `gridops cost`."""

from __future__ import annotations

import pytest

from gridops_infra.analysis import estimate_cost
from gridops_infra.core.aws_rules.wafv2 import RATE_LIMIT_MINIMUM
from gridops_infra.testing import preview
from tests.stage_plans import ROOT, stage_plan

WEB_ACL = "aws:wafv2/webAcl:WebAcl"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
GROUPS = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
]


@pytest.mark.parametrize("stage", ["fargate", "eks"])
def test_the_distribution_has_a_web_acl_with_the_baseline_groups_and_a_rate_limit(
    stage: str,
) -> None:
    plan = stage_plan(stage)
    (acl,) = plan.of_type(WEB_ACL)
    assert acl.inputs["scope"] == "CLOUDFRONT"
    rules = sorted(acl.inputs["rules"], key=lambda rule: rule["priority"])
    groups = [
        rule["statement"]["managedRuleGroupStatement"]["name"]
        for rule in rules
        if "managedRuleGroupStatement" in rule["statement"]
    ]
    assert groups == GROUPS
    (rate,) = [rule for rule in rules if "rateBasedStatement" in rule["statement"]]
    assert rate["statement"]["rateBasedStatement"]["limit"] == 2000
    assert rate["action"] == {"block": {}}
    (distribution,) = plan.of_type(DISTRIBUTION)
    assert distribution.inputs.get("webAclId"), "the web ACL must be attached"


def test_the_stage_keys_turn_waf_off_and_set_the_rate_limit() -> None:
    off = preview(ROOT, stack="fargate", config={"waf": "false"})
    assert off.of_type(WEB_ACL) == []
    assert not off.of_type(DISTRIBUTION)[0].inputs.get("webAclId")
    strict = preview(ROOT, stack="fargate", config={"waf_rate_limit": "500"})
    (acl,) = strict.of_type(WEB_ACL)
    limits = [
        rule["statement"]["rateBasedStatement"]["limit"]
        for rule in acl.inputs["rules"]
        if "rateBasedStatement" in rule["statement"]
    ]
    assert limits == [500]


def test_a_rate_limit_aws_refuses_is_refused_before_anything_registers() -> None:
    with pytest.raises(ValueError, match="waf_rate_limit: 5 requests per 5 minutes") as refused:
        preview(ROOT, stack="fargate", config={"waf_rate_limit": "5"})
    assert RATE_LIMIT_MINIMUM.source in str(refused.value)


def test_gridops_cost_prices_the_web_acl_and_its_rules() -> None:
    report = estimate_cost(stage_plan("fargate"))
    (line,) = [line for line in report.lines if line.type == WEB_ACL]
    assert "4 rule(s)" in line.formula
    assert line.monthly_usd > 5 + 4  # the ACL, its rules and the inspected requests
