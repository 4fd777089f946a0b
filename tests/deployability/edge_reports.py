"""The policy reports of the refused and accepted edge programs (tests/policy/edge_programs),
previewed once per test process, and the checks every edge-service test file runs on them."""

from __future__ import annotations

from functools import cache

from gridops_infra.policy import MANDATORY, PolicyReport, all_rules, check_plan
from gridops_infra.testing import preview
from tests.policy.edge_programs import edge_accepted, edge_refused


@cache
def refused_report() -> PolicyReport:
    return check_plan(preview(edge_refused))


@cache
def accepted_report() -> PolicyReport:
    return check_plan(preview(edge_accepted))


def policy_rule_names(aws_rule_id: str) -> set[str]:
    names = {rule.name for rule in all_rules() if rule.aws_rule == aws_rule_id}
    assert names, f"no policy rule enforces {aws_rule_id}"
    return names


def assert_policy_refuses(aws_rule_id: str, flagged: set[str]) -> None:
    """The refused program fails exactly the resources `flagged` on the rule's policy rules,
    as mandatory violations, and nothing of the refused program goes unchecked."""
    names = policy_rule_names(aws_rule_id)
    report = refused_report()
    found = [v for v in report.violations if v.rule in names]
    assert {v.resource_name for v in found} == flagged, [v.message for v in found]
    assert all(v.severity == MANDATORY for v in found)
    assert not report.passed
    assert not [s for s in report.skipped if s.rule in names]


def assert_policy_accepts(aws_rule_id: str) -> None:
    names = policy_rule_names(aws_rule_id)
    report = accepted_report()
    assert report.passed, [v.message for v in report.mandatory_failures]
    assert not [v for v in report.violations if v.rule in names]
    assert not [s for s in report.skipped if s.rule in names]
