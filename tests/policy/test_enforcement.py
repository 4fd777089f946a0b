"""Enforcement overrides: disable, downgrade, upgrade, settings, and clear errors."""

from __future__ import annotations

import pytest
from pulumi_policy import EnforcementLevel

from gridops_infra.policy import PolicyReport, all_rules, check_plan, resolve_enforcement
from gridops_infra.testing import Plan


def levels(report: PolicyReport) -> dict[str, str]:
    return {run.rule.name: run.enforcement for run in report.rules}


def test_defaults_are_each_rules_severity(bad_report: PolicyReport) -> None:
    assert levels(bad_report) == {r.name: r.severity for r in all_rules()}


def test_disabled_silences_a_rule(bad_plan: Plan, bad_report: PolicyReport) -> None:
    assert bad_report.of_rule("rds-storage-encrypted")
    report = check_plan(bad_plan, {"rds-storage-encrypted": "disabled"})
    assert report.of_rule("rds-storage-encrypted") == []
    assert levels(report)["rds-storage-encrypted"] == "disabled"
    assert report.to_json()["summary"]["rules_disabled"] == 1
    assert len(report.violations) == len(bad_report.violations) - len(
        bad_report.of_rule("rds-storage-encrypted")
    )


def test_advisory_downgrades_a_mandatory_rule(bad_plan: Plan) -> None:
    report = check_plan(bad_plan, {"rds-storage-encrypted": "advisory"})
    found = report.of_rule("rds-storage-encrypted")
    assert found and {v.severity for v in found} == {"advisory"}
    assert all(v.rule != "rds-storage-encrypted" for v in report.mandatory_failures)


def test_mandatory_upgrades_an_advisory_rule(bad_plan: Plan) -> None:
    report = check_plan(bad_plan, {"rds-multi-az": "mandatory"})
    assert {v.severity for v in report.of_rule("rds-multi-az")} == {"mandatory"}


def test_all_advisory_lets_the_bad_program_pass(bad_plan: Plan, bad_report: PolicyReport) -> None:
    report = check_plan(bad_plan, {"all": "advisory"})
    assert report.passed and report.mandatory_failures == []
    assert len(report.violations) == len(bad_report.violations)


def test_all_disabled_but_one(bad_plan: Plan) -> None:
    report = check_plan(bad_plan, {"all": "disabled", "sqs-encryption": "mandatory"})
    assert {v.rule for v in report.violations} == {"sqs-encryption"}
    assert not report.passed


def test_pulumi_policy_config_shapes_are_accepted(bad_plan: Plan) -> None:
    report = check_plan(
        bad_plan,
        {
            "all": {"enforcementLevel": "advisory"},
            "kms-key-rotation": {"enforcementLevel": EnforcementLevel.DISABLED},
            "sqs-encryption": EnforcementLevel.MANDATORY,
        },
    )
    assert report.of_rule("kms-key-rotation") == []
    assert {v.rule for v in report.mandatory_failures} == {"sqs-encryption"}


def test_settings_are_validated_and_applied() -> None:
    (setting,) = [
        s
        for s in resolve_enforcement({"rds-backup-retention": {"minimumDays": 30}})
        if s.rule.name == "rds-backup-retention"
    ]
    assert setting.level == "mandatory" and setting.config == {"minimumDays": 30}


@pytest.mark.parametrize(
    ("enforcement", "match"),
    [
        ({"rds-made-up": "disabled"}, "unknown rule.*'rds-made-up'.*known rules: .*rds-multi-az"),
        ({"rds-multi-az": "off"}, "'rds-multi-az'.*'off' is not one of mandatory, advisory"),
        ({"all": "remediate"}, "'all'.*'remediate' is not one of"),
        ({"rds-multi-az": {"minimumDays": 3}}, "'rds-multi-az'.*unknown setting 'minimumDays'"),
        ({"rds-backup-retention": {"minimumDays": "a week"}}, "'minimumDays' must be integer"),
        ({"eks-endpoint-access": {"allowedPublicCidrs": "10.0.0.0/8"}}, "must be array"),
    ],
)
def test_bad_enforcement_is_refused_with_the_key_named(
    good_plan: Plan, enforcement: dict, match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        check_plan(good_plan, enforcement)
