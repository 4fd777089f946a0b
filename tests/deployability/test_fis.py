"""FIS's create-time rules: the policy pack fails experiment templates FIS would refuse and
passes the ones it accepts (ResilienceDrills' own refusals: tests/resilience)."""

from __future__ import annotations

import pytest

from .edge_reports import assert_policy_accepts, assert_policy_refuses

TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate"
SERVICE = {"image": "ghcr.io/acme/api:1.4.2", "port": 8080, "cpu": 512, "memory": 1024}
POLICY_CASES = {
    "fis-stop-conditions-quota": {"refused-fis-stop-conditions-quota"},
    "fis-action-duration-iso8601": {"refused-fis-action-duration-iso8601"},
    "fis-selection-mode": {"refused-fis-selection-mode"},
    "fis-experiment-role-trust": {"refused-fis-experiment-role-trust"},
}


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_fails_templates_fis_refuses(aws_rule_id: str) -> None:
    assert_policy_refuses(aws_rule_id, POLICY_CASES[aws_rule_id])


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_passes_templates_fis_accepts(aws_rule_id: str) -> None:
    assert_policy_accepts(aws_rule_id)
