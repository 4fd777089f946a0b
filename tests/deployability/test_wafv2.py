"""AWS WAF's create-time rules: CdnFrontend refuses a rate limit WAF refuses (and takes the
ones it accepts, from 10) before anything registers; the policy pack fails web ACLs and
associations WAF would refuse and passes the ones it accepts."""

from __future__ import annotations

import pytest

from gridops_infra.cdn.component import CdnFrontend
from gridops_infra.testing import reveal

from .edge_reports import assert_policy_accepts, assert_policy_refuses

POLICY_CASES = {
    "wafv2-cloudfront-scope-us-east-1": {"refused-wafv2-cloudfront-scope-us-east-1"},
    "wafv2-rate-limit-minimum": {"refused-wafv2-rate-limit-minimum"},
    "wafv2-rate-evaluation-window": {"refused-wafv2-rate-evaluation-window"},
    "wafv2-rule-priorities-unique": {"refused-wafv2-rule-priorities-unique"},
    "wafv2-no-association-for-cloudfront": {"refused-wafv2-no-association-for-cloudfront"},
}


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_fails_what_waf_refuses(aws_rule_id: str) -> None:
    assert_policy_refuses(aws_rule_id, POLICY_CASES[aws_rule_id])


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_passes_what_waf_accepts(aws_rule_id: str) -> None:
    assert_policy_accepts(aws_rule_id)


CASES = [9, 2_000_000_001, 10, 2_000_000_000]


def test_wafv2_rate_limit_minimum_in_cdn_frontend(preview_refusals) -> None:
    plan, errors = preview_refusals(
        lambda: None,
        lambda _, i, limit: CdnFrontend(
            f"cdn{i}", {"static_site": True, "waf": True, "waf_rate_limit": limit}
        ),
        CASES,
    )
    assert sorted(errors) == [0, 1]
    for i in (0, 1):
        assert errors[i].startswith(f"CdnFrontend 'cdn{i}': waf_rate_limit: {CASES[i]} ")
        assert "AWS WAF" in errors[i] and "at least 10" in errors[i]
        assert not [r for r in plan.resources if r.name.startswith(f"cdn{i}")]
    limits = sorted(
        rule["statement"]["rateBasedStatement"]["limit"]
        for acl in plan.of_type("aws:wafv2/webAcl:WebAcl")
        for rule in reveal(acl.inputs["rules"])
        if "rateBasedStatement" in rule["statement"]
    )
    assert limits == [10, 2_000_000_000]
