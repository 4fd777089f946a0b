"""Route 53's create-time rules on records: the policy pack fails records Route 53 would
refuse and passes the ones it accepts. Our components' records (certificate validation with
a TTL, aliases without one) pass them in every stage (tests/stages, tests/examples)."""

from __future__ import annotations

from typing import Any

import pytest

from .edge_reports import assert_policy_accepts, assert_policy_refuses
from .refusals import assert_cites

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


# --- TrafficCutover refuses what Route 53 refuses, registering nothing ----------------

CLOUDFRONT = {"dns_name": "d111111abcdef8.cloudfront.net", "zone_id": "Z2FDTNDATAQYW2"}
CUTOVER = {
    "zone_id": "Z0123456789ABCDEFGHIJ",
    "record_name": "shop.example.com",
    "old": {"ip": "203.0.113.10"},
    "new": {"alias": CLOUDFRONT},
    "weight_percent": 10,
    "rollback": {"alarm_name": "shop-new-5xx-rate"},
}
# (AWS rule id, field, refused changes, accepted changes)
CUTOVER_CASES = [
    (
        "route53-weighted-same-type",
        "old/new",
        {"old": {"cname": "old.example.net"}},
        {"old": {"cname": "old.example.net"}, "new": {"cname": "new.example.net"}},
    ),
    (
        "route53-set-identifier-length",
        "old.set_identifier",
        {"old": {"ip": "203.0.113.10", "set_identifier": "s" * 129}},
        {"old": {"ip": "203.0.113.10", "set_identifier": "s" * 128}},
    ),
    (
        "route53-health-check-insufficient-data-status",
        "rollback.insufficient_data",
        {"rollback": {"alarm_name": "shop-new-5xx-rate", "insufficient_data": "Missing"}},
        {"rollback": {"alarm_name": "shop-new-5xx-rate", "insufficient_data": "Unhealthy"}},
    ),
]


@pytest.fixture(scope="module")
def cutover_runs(preview_refusals):
    from gridops_infra import TrafficCutover

    def make(_, i, case):
        kind, (_, _, refused, accepted) = case
        args: Any = {**CUTOVER, **(refused if kind == "refused" else accepted)}
        TrafficCutover(f"{kind[:2]}{i % len(CUTOVER_CASES)}", args)

    cases = [("refused", c) for c in CUTOVER_CASES] + [("accepted", c) for c in CUTOVER_CASES]
    return preview_refusals(lambda: None, make, cases)


@pytest.mark.parametrize("index", range(len(CUTOVER_CASES)))
def test_traffic_cutover_refuses_what_route53_refuses(cutover_runs, index):
    plan, errors = cutover_runs
    rule_id, field, _, _ = CUTOVER_CASES[index]
    assert_cites(errors.get(index), rule_id, field)
    assert not [r for r in plan.resources if r.name.startswith(f"re{index}")]


@pytest.mark.parametrize("index", range(len(CUTOVER_CASES)))
def test_traffic_cutover_accepts_the_nearest_program(cutover_runs, index):
    plan, errors = cutover_runs
    assert errors.get(len(CUTOVER_CASES) + index) is None
    assert [r for r in plan.resources if r.name == f"ac{index}-new-record"]


# --- route53-health-check-alarm-single-metric: the policy follows the alarm -----------


def _health_check_program(alarm_kind: str):
    import pulumi_aws as aws

    def program():
        topic = ["arn:aws:sns:us-east-1:123456789012:page"]
        if alarm_kind == "composite":
            alarm = aws.cloudwatch.CompositeAlarm(
                "slo-page", alarm_name="api-slo-page", alarm_rule='ALARM("a")', alarm_actions=topic
            )
            name = alarm.alarm_name
        elif alarm_kind == "metric-math":
            ratio: Any = [
                {"id": "e", "expression": "m1 / m2", "return_data": True},
                *[
                    {
                        "id": f"m{i}",
                        "metric": {
                            "namespace": "AWS/ApplicationELB",
                            "metric_name": metric,
                            "period": 60,
                            "stat": "Sum",
                        },
                    }
                    for i, metric in ((1, "HTTPCode_Target_5XX_Count"), (2, "RequestCount"))
                ],
            ]
            alarm = aws.cloudwatch.MetricAlarm(
                "ratio",
                name="api-5xx-ratio",
                comparison_operator="GreaterThanThreshold",
                evaluation_periods=5,
                threshold=0.01,
                metric_queries=ratio,
                alarm_actions=topic,
            )
            name = alarm.name
        else:
            alarm = aws.cloudwatch.MetricAlarm(
                "rate",
                name="api-5xx-rate",
                comparison_operator="GreaterThanThreshold",
                evaluation_periods=5,
                threshold=1.44,
                namespace="AWS/CloudFront",
                metric_name="5xxErrorRate",
                statistic="Average",
                period=60,
                alarm_actions=topic,
                dimensions={"DistributionId": "E2QWRUHAPOMQZL", "Region": "Global"},
            )
            name = alarm.name
        aws.route53.HealthCheck(
            "new-side",
            type="CLOUDWATCH_METRIC",
            cloudwatch_alarm_name=name,
            cloudwatch_alarm_region="us-east-1",
            insufficient_data_health_status="LastKnownStatus",
        )

    return program


@pytest.mark.parametrize(
    ("alarm_kind", "refused"), [("composite", True), ("metric-math", True), ("one-metric", False)]
)
def test_route53_health_check_alarm_single_metric(alarm_kind, refused):
    from gridops_infra.policy import MANDATORY, check_plan
    from gridops_infra.testing import preview

    report = check_plan(preview(_health_check_program(alarm_kind)))
    found = [v for v in report.violations if v.rule == "route53-health-check-alarm-single-metric"]
    if refused:
        assert [v.resource_name for v in found] == ["new-side"]
        assert all(v.severity == MANDATORY for v in found)
    else:
        assert found == []
        assert report.passed, [v.message for v in report.mandatory_failures]
