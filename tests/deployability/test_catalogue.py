"""The catalogue of AWS rules, the policy rules that enforce them and docs/deployability.md
agree, and every rule is proved by a test."""

from __future__ import annotations

import re
from pathlib import Path

from gridops_infra.core.aws_rules import catalogue
from gridops_infra.policy import MANDATORY, all_rules

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "deployability.md").read_text()
TESTS = "\n".join(
    p.read_text()
    for p in (ROOT / "tests" / "deployability").glob("test_*.py")
    if p.name != "test_catalogue.py"
)


def documented_ids() -> set[str]:
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", DOC, flags=re.MULTILINE))


def test_every_declared_rule_is_documented_and_every_documented_rule_declared():
    declared = {rule.id for rule in catalogue()}
    assert declared == documented_ids()


def test_every_rule_cites_an_aws_page_and_a_fix():
    for rule in catalogue():
        assert rule.source.startswith("https://docs.aws.amazon.com/"), rule.id
        assert rule.rule.endswith("."), rule.id
        assert rule.fix, rule.id


def test_every_rule_is_exercised_by_a_deployability_test():
    untested = [rule.id for rule in catalogue() if rule.id not in TESTS]
    assert not untested, f"no test in tests/deployability names {untested}"


def test_policy_rules_that_guard_an_aws_rule_name_a_declared_one_and_are_mandatory():
    declared = {rule.id for rule in catalogue()}
    for rule in all_rules():
        if rule.aws_rule:
            assert rule.aws_rule in declared, rule.name
            assert rule.severity == MANDATORY, rule.name


def test_the_readme_counts_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text()
    found = re.search(r"\((\d+) create-time rules\s+across (\d+) services", readme)
    assert found, "README.md no longer states the catalogue's size"
    rules = catalogue()
    assert int(found.group(1)) == len(rules)
    # Ids start with their service: elb-, rds-, vpce-, application-(autoscaling)...
    assert int(found.group(2)) == len({rule.id.split("-")[0] for rule in rules})
