"""Route 53's create-time rules on records: the policy pack fails records Route 53 would
refuse and passes the ones it accepts. Our components' records (certificate validation with
a TTL, aliases without one) pass them in every stage (tests/stages, tests/examples)."""

from __future__ import annotations

import pytest

from .edge_reports import assert_policy_accepts, assert_policy_refuses

POLICY_CASES = {
    "route53-alias-without-ttl": {"refused-route53-alias-without-ttl"},
    "route53-set-identifier-with-routing-policy": {
        "refused-route53-set-identifier-with-routing-policy"
    },
}


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_fails_records_route53_refuses(aws_rule_id: str) -> None:
    assert_policy_refuses(aws_rule_id, POLICY_CASES[aws_rule_id])


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_passes_records_route53_accepts(aws_rule_id: str) -> None:
    assert_policy_accepts(aws_rule_id)
