"""IAM's create-time limits: the policy pack fails roles, policies and OIDC providers IAM
would refuse and passes the ones it accepts."""

from __future__ import annotations

import pytest

from .edge_reports import assert_policy_accepts, assert_policy_refuses

ROLE = "aws:iam/role:Role"
SERVICE = {"image": "ghcr.io/acme/api:1.4.2", "port": 8080, "cpu": 512, "memory": 1024}
POLICY_CASES = {
    "iam-role-name-length": {"refused-iam-role-name-length"},
    "iam-max-session-duration": {"refused-iam-max-session-duration"},
    "iam-managed-policy-size": {"refused-iam-managed-policy-size"},
    "iam-role-inline-policies-size": {"refused-iam-role-inline-policies-size"},
    "iam-trust-policy-size": {"refused-iam-trust-policy-size"},
    "iam-managed-policies-per-role": {"refused-iam-managed-policies-per-role"},
    "iam-policy-sid-characters": {"refused-iam-policy-sid-characters"},
    "iam-oidc-provider-unique": {"refused-iam-oidc-provider-unique-1"},
}


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_fails_what_iam_refuses(aws_rule_id: str) -> None:
    assert_policy_refuses(aws_rule_id, POLICY_CASES[aws_rule_id])


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_passes_what_iam_accepts(aws_rule_id: str) -> None:
    assert_policy_accepts(aws_rule_id)
