"""The report: a stable JSON schema and a readable text rendering."""

from __future__ import annotations

import json

from policy_programs import plan_of, record

from gridops_infra.policy import SCHEMA_VERSION, PolicyReport, Violation, check_plan
from gridops_infra.policy.report import RuleRun
from gridops_infra.testing.plan import UNKNOWN

TOP_KEYS = {
    "schema_version",
    "project",
    "stack",
    "passed",
    "summary",
    "violations",
    "skipped",
    "rules",
}
SUMMARY_KEYS = {
    "rules_run",
    "rules_disabled",
    "resources_checked",
    "mandatory",
    "advisory",
    "skipped",
}
VIOLATION_KEYS = {
    "rule",
    "severity",
    "resource_urn",
    "resource_type",
    "resource_name",
    "message",
    "remediation",
    "description",
}
RULE_KEYS = {"name", "kind", "severity", "enforcement", "offline_only", "awsguard"}


def test_json_schema(bad_report: PolicyReport) -> None:
    data = json.loads(bad_report.dumps())
    assert set(data) == TOP_KEYS
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert (data["project"], data["stack"]) == ("gridops", "dev")
    assert data["passed"] is False
    assert set(data["summary"]) == SUMMARY_KEYS
    summary = data["summary"]
    assert summary["mandatory"] == len(bad_report.mandatory_failures) > 0
    assert summary["advisory"] == len(bad_report.advisories) > 0
    assert summary["mandatory"] + summary["advisory"] == len(data["violations"])
    assert summary["rules_run"] == len(data["rules"]) and summary["rules_disabled"] == 0
    for violation in data["violations"]:
        assert set(violation) == VIOLATION_KEYS
        assert violation["severity"] in ("mandatory", "advisory")
        assert all(isinstance(violation[k], str) for k in VIOLATION_KEYS)
    for rule in data["rules"]:
        assert set(rule) == RULE_KEYS
        assert rule["kind"] in ("resource", "stack")
    offline = [r["name"] for r in data["rules"] if r["offline_only"]]
    assert offline == ["stateful-resource-protected"]


def test_violations_come_mandatory_first_then_by_rule(bad_report: PolicyReport) -> None:
    keys = [(v.severity != "mandatory", v.rule) for v in bad_report.violations]
    assert keys == sorted(keys)


def test_passing_report_json(good_report: PolicyReport) -> None:
    data = good_report.to_json()
    assert data["passed"] is True and data["violations"] == [] and data["skipped"] == []
    assert data["summary"]["resources_checked"] == good_report.resources_checked


def test_report_never_repeats_secret_values(bad_report: PolicyReport) -> None:
    assert "hunter2" not in bad_report.dumps() and "hunter2" not in bad_report.render_text()


def test_text_rendering_of_a_failure(bad_report: PolicyReport) -> None:
    text = bad_report.render_text()
    lines = text.splitlines()
    assert lines[0].startswith("Policy check of gridops/dev: ")
    assert lines[1].startswith(f"FAILED: {len(bad_report.mandatory_failures)} mandatory")
    for violation in bad_report.violations:
        assert violation.rule in text and violation.message in text
    assert "MANDATORY  rds-storage-encrypted" in text
    assert "  resource: aws:rds/instance:Instance 'db'" in text
    assert "  fix:      Set storage_encrypted=True" in text


def test_text_rendering_of_passes(good_report: PolicyReport) -> None:
    assert good_report.render_text().splitlines()[1] == "PASSED: no violations"
    advisory_only = PolicyReport(
        project="p",
        stack="s",
        violations=[Violation("rds-multi-az", "advisory", "single AZ", "fix it", "desc")],
    )
    assert advisory_only.passed
    text = advisory_only.render_text()
    assert "PASSED with 1 advisory violation(s)" in text
    assert "resource: (the stack)" in text


def test_skipped_checks_are_reported() -> None:
    db = record("aws:rds/instance:Instance", "db", {"publiclyAccessible": UNKNOWN})
    report = check_plan(plan_of(db))
    assert report.to_json()["summary"]["skipped"] == 1
    (skipped,) = report.to_json()["skipped"]
    assert skipped["rule"] == "rds-not-publicly-accessible"
    assert "Not checked (values unknown until deploy):" in report.render_text()


def test_disabled_rules_are_listed_but_not_run(good_report: PolicyReport) -> None:
    rules = [RuleRun(run.rule, "disabled") for run in good_report.rules[:2]]
    report = PolicyReport(project="p", stack="s", rules=rules + good_report.rules[2:])
    summary = report.to_json()["summary"]
    assert summary["rules_disabled"] == 2
    assert summary["rules_run"] == len(good_report.rules) - 2
    assert "(2 disabled)" in report.render_text().splitlines()[0]
