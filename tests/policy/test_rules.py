"""Every rule can fail (a previewed program of raw resources trips it) and can pass (a
hardened program does not). The parameter lists are all registered rules, so a new rule
without fixtures fails here."""

from __future__ import annotations

import pytest

from gridops_infra.policy import PolicyReport, all_rules, check_plan
from gridops_infra.testing import Plan

RULE_NAMES = [r.name for r in all_rules()]
# Rules guarding an AWS create-time rule are each failed by a program AWS would refuse, and
# passed by one it accepts, in tests/deployability (test_catalogue keeps that complete).
GUARDS = {r.name for r in all_rules() if r.aws_rule}
# Rules the bad program cannot trip, and the plan that does.
FAILING_PLAN = {"alb-http-without-tls": "no_tls_plan", "budget-on-production": "no_tls_plan"}


def test_the_pack_has_the_rules_the_issue_asks_for() -> None:
    expected = {
        "rds-backup-retention",
        "rds-multi-az",
        "rds-not-publicly-accessible",
        "rds-storage-encrypted",
        "rds-deletion-protection",
        "lb-access-logs",
        "lb-deletion-protection",
        "alb-drop-invalid-headers",
        "alb-http-redirects-to-https",
        "alb-http-without-tls",
        "s3-public-access-block",
        "s3-server-side-encryption",
        "s3-access-logging",
        "kms-key-rotation",
        "elasticache-encryption",
        "elasticache-auth",
        "elasticache-automatic-failover",
        "sqs-encryption",
        "sqs-dead-letter-queue",
        "cloudfront-viewer-https",
        "cloudfront-minimum-tls",
        "cloudfront-security-headers",
        "cloudfront-origin-https",
        "public-http-without-tls",
        "ingress-http-without-tls",
        "ecs-deployment-circuit-breaker",
        "ecs-alarm-rollback",
        "ecs-no-public-ip",
        "ecs-no-privileged-containers",
        "ecs-readonly-root-essential",
        "ecs-readonly-root-sidecar",
        "ecs-no-plaintext-secrets",
        "eks-secrets-encryption",
        "eks-control-plane-logging",
        "eks-endpoint-access",
        "log-group-retention",
        "iam-no-admin-statements",
        "iam-workload-no-privilege-escalation",
        "stateful-resource-protected",
        "k8s-restricted-security-context",
        "k8s-no-host-access",
        "alarm-has-actions",
    }
    assert expected <= set(RULE_NAMES)


def test_every_rule_has_metadata() -> None:
    for rule in all_rules():
        assert rule.description and rule.remediation, rule.name
        assert rule.severity in ("mandatory", "advisory"), rule.name
        assert rule.name == rule.name.lower() and " " not in rule.name


def test_advisory_defaults_are_the_ones_the_issue_names() -> None:
    """Those the policy issue named, and the plain-HTTP rules the no-domain stages trip."""
    advisory = {r.name for r in all_rules() if r.severity == "advisory"}
    assert advisory == {
        "rds-multi-az",
        "alb-http-without-tls",
        "cloudfront-origin-https",
        "public-http-without-tls",
        "ingress-http-without-tls",
        "s3-access-logging",
        "ecs-alarm-rollback",
        "ecs-readonly-root-sidecar",
        "ec2-no-public-ip",
        "ecr-scan-on-push",
        # Issue 19's feature flags: an unguarded flag rollout still works, it is just not
        # rolled back by itself.
        "appconfig-deployment-monitored",
        "appconfig-final-bake",
    }


@pytest.mark.parametrize("rule", [name for name in RULE_NAMES if name not in GUARDS])
def test_rule_fails_on_the_bad_program(rule: str, request: pytest.FixtureRequest) -> None:
    plan: Plan = request.getfixturevalue(FAILING_PLAN.get(rule, "bad_plan"))
    report = request.getfixturevalue("bad_report") if rule not in FAILING_PLAN else check_plan(plan)
    found = report.of_rule(rule)
    assert found, f"{rule} found nothing to report"
    for violation in found:
        assert violation.message
        assert violation.resource_urn and violation.resource_urn in {r.urn for r in plan}
        assert violation.severity == next(r.severity for r in all_rules() if r.name == rule)


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_rule_passes_on_the_good_program(rule: str, good_report: PolicyReport) -> None:
    assert good_report.of_rule(rule) == []


def test_the_good_program_passes_clean(good_report: PolicyReport, good_plan: Plan) -> None:
    assert good_report.passed
    assert good_report.violations == [] and good_report.skipped == []
    assert good_report.resources_checked == len(good_plan.custom_resources) > 30


def test_the_bad_program_fails(bad_report: PolicyReport) -> None:
    assert not bad_report.passed
    assert bad_report.mandatory_failures
    assert {v.severity for v in bad_report.advisories} == {"advisory"}


def test_bad_program_messages_point_at_the_right_resources(bad_report: PolicyReport) -> None:
    def names(rule: str) -> set[str | None]:
        return {v.resource_name for v in bad_report.of_rule(rule)}

    assert names("s3-public-access-block") == {"data", "half"}
    assert names("rds-storage-encrypted") == {"db", "aurora"}
    assert names("sqs-dead-letter-queue") == {"jobs"}
    assert names("lb-access-logs") == {"alb", "classic"}
    assert names("ebs-encryption") == {"vol", "host"}
    silent = names("alarm-has-actions")
    # The bad program's alarms with AWS limits broken (lim-*) notify nobody either.
    assert {"silent", "mistagged", "muted"} <= silent
    assert all(n in {"silent", "mistagged", "muted"} or str(n).startswith("lim-") for n in silent)
    (half,) = [v for v in bad_report.of_rule("s3-public-access-block") if v.resource_name == "half"]
    assert "blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets" in half.message
    messages = " ".join(v.message for v in bad_report.of_rule("cloudfront-security-headers"))
    assert "default cache behavior has no response headers policy" in messages
    assert "max-age 300s" in messages
