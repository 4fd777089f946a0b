"""ObservabilityStack on CloudWatch: SLO tier alarms + composites, golden signals, topics, dashboard.

A stand-in service (same metric helpers as StatelessService) keeps these tests independent
of the Fargate backend; the stage tests cover the real one.
"""

from __future__ import annotations

import json

import pulumi_aws as aws
import pytest

from gridops_infra.core.metrics import Metric
from gridops_infra.observability import Slo
from gridops_infra.observability.cloudwatch_slo import window_periods
from gridops_infra.observability.stack import ObservabilityStack
from gridops_infra.testing import preview
from gridops_infra.testing.validators import iam_findings

METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm"


class StatelessService:
    """Stand-in with the ALB/ECS metric helpers of the real StatelessService."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lb = aws.lb.LoadBalancer(f"{name}-alb")
        self.tg = aws.lb.TargetGroup(f"{name}-tg", port=8080, protocol="HTTP", target_type="ip")

    def _alb(self, metric: str, stat: str = "Sum") -> Metric:
        return Metric(
            "AWS/ApplicationELB",
            metric,
            {"LoadBalancer": self.lb.arn_suffix, "TargetGroup": self.tg.arn_suffix},
            stat,
        )

    def metric_5xx(self) -> Metric:
        return self._alb("HTTPCode_Target_5XX_Count")

    def metric_requests(self) -> Metric:
        return self._alb("RequestCount")

    def metric_latency_p99(self) -> Metric:
        return self._alb("TargetResponseTime", "p99")

    def metric_cpu(self) -> Metric:
        return Metric(
            "AWS/ECS", "CPUUtilization", {"ClusterName": "prod", "ServiceName": self.name}
        )


def program(**extra):
    def run() -> None:
        api = StatelessService("api")
        ObservabilityStack(
            "obs",
            {
                "resources": [api],
                "slos": [
                    Slo.availability(api, objective=0.999),
                    Slo.latency(api, threshold_ms=300, objective=0.99),
                ],
                "alert_emails": ["oncall@acme.io"],
                **extra,
            },
        )

    return run


@pytest.fixture(scope="module")
def plan():
    return preview(
        program(webhooks=[{"url": "https://hooks.example.com/x", "severity": "page"}]),
        stack="fargate",
    )


def test_every_slo_tier_has_long_short_and_a_composite_that_needs_both(plan) -> None:
    composites = plan.of_type(COMPOSITE)
    assert len(composites) == 8  # 2 SLOs x 4 tiers
    alarms = {r.inputs["name"]: r for r in plan.of_type(METRIC_ALARM)}
    for composite in composites:
        rule = composite.inputs["alarmRule"]
        names = [part.split('"')[1] for part in rule.split(" AND ")]
        assert len(names) == 2 and names[0].endswith("-long") and names[1].endswith("-short")
        assert all(n in alarms for n in names)
        # only the composite notifies
        assert composite.inputs["alarmActions"]
        assert not alarms[names[0]].inputs.get("alarmActions")
        assert set(composite.dependencies) >= {alarms[n].urn for n in names}


def test_fast_burn_thresholds_follow_the_workbook(plan) -> None:
    alarms = {r.inputs["name"]: r for r in plan.of_type(METRIC_ALARM)}
    page_1h = alarms["fargate-obs-api-availability-page-1h-long"]
    assert page_1h.inputs["threshold"] == pytest.approx(0.0144)
    page_5m = alarms["fargate-obs-api-availability-page-1h-short"]
    periods = {q["metric"]["period"] for q in page_5m.inputs["metricQueries"] if q.get("metric")}
    assert periods == {300}
    slow = alarms["fargate-obs-api-availability-ticket-3d-long"]
    assert slow.inputs["evaluationPeriods"] == 3 and slow.inputs["datapointsToAlarm"] == 3
    assert alarms["fargate-obs-api-latency-page-1h-long"].inputs["threshold"] == pytest.approx(
        0.144
    )


def test_alarm_metrics_reference_the_real_load_balancer_and_target_group(plan) -> None:
    lb = plan.one("aws:lb/loadBalancer:LoadBalancer")
    tg = plan.one("aws:lb/targetGroup:TargetGroup")
    for alarm in plan.of_type(METRIC_ALARM):
        for query in alarm.inputs.get("metricQueries") or []:
            metric = query.get("metric")
            if metric and metric["namespace"] == "AWS/ApplicationELB":
                assert metric["dimensions"] == {
                    "LoadBalancer": lb.outputs["arnSuffix"],
                    "TargetGroup": tg.outputs["arnSuffix"],
                }
                assert metric["metricName"] in {
                    "HTTPCode_Target_5XX_Count",
                    "RequestCount",
                    "TargetResponseTime",
                }


def test_latency_slo_uses_percentile_rank_of_the_threshold(plan) -> None:
    alarm = next(
        r
        for r in plan.of_type(METRIC_ALARM)
        if r.inputs["name"] == "fargate-obs-api-latency-page-1h-long"
    )
    stats = [q["metric"]["stat"] for q in alarm.inputs["metricQueries"] if q.get("metric")]
    assert stats == ["PR(:0.3)"]
    expressions = [q["expression"] for q in alarm.inputs["metricQueries"] if q.get("expression")]
    assert expressions == ["1 - within / 100"]


def test_golden_signals_and_threshold_override() -> None:
    plan = preview(program(thresholds={"api.cpu": 70}))
    alarms = {r.inputs["name"]: r for r in plan.of_type(METRIC_ALARM)}
    cpu = alarms["dev-obs-api-cpu"]
    assert cpu.inputs["threshold"] == 70
    assert cpu.inputs["namespace"] == "AWS/ECS" and cpu.inputs["dimensions"]["ServiceName"] == "api"
    assert "dev-obs-api-5xx-ratio" in alarms and "dev-obs-api-latency-p99" in alarms


def test_topics_are_encrypted_and_severities_separate(plan) -> None:
    topics = {r.name: r for r in plan.of_type("aws:sns/topic:Topic")}
    key = plan.one("aws:kms/key:Key")
    assert set(topics) == {"obs-page", "obs-ticket"}
    assert all(t.inputs["kmsMasterKeyId"] == key.outputs["arn"] for t in topics.values())
    assert key.inputs["enableKeyRotation"] is True
    subs = plan.of_type("aws:sns/topicSubscription:TopicSubscription")
    assert sorted((s.name, s.inputs["protocol"]) for s in subs) == [
        ("obs-page-email-0", "email"),
        ("obs-page-webhook-0", "https"),
        ("obs-ticket-email-0", "email"),
    ]
    policy = json.loads(key.inputs["policy"])
    cw = next(s for s in policy["Statement"] if s["Sid"] == "CloudWatchAlarms")
    assert cw["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert iam_findings(key.inputs["policy"], key_policy=True) == []


def test_dashboard_is_valid_json_with_a_row_per_component(plan) -> None:
    body = json.loads(plan.one("aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"])
    headers = [w["properties"]["markdown"] for w in body["widgets"] if w["type"] == "text"]
    assert "## api" in headers and any("SLO burn" in h for h in headers)
    metric_widgets = [w for w in body["widgets"] if w["type"] == "metric"]
    assert all(w["properties"]["region"] == "us-east-1" for w in metric_widgets)
    assert all(w["x"] + w["width"] <= 24 for w in body["widgets"])


def test_window_periods() -> None:
    assert window_periods(300) == (300, 1)
    assert window_periods(86400) == (86400, 1)
    assert window_periods(3 * 86400) == (86400, 3)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"alert_emails": ["not-an-email"]}, "alert_emails"),
        ({"webhooks": [{"url": "http://insecure"}]}, "webhooks"),
        ({"thresholds": {"api.nope": 1}}, "thresholds"),
        ({"slos": ["99.9%"]}, "slos"),
        ({"resources": [object()]}, "resources"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_registered(extra: dict, field: str) -> None:
    errors: list[str] = []

    def run() -> None:
        api = StatelessService("api")
        try:
            ObservabilityStack("obs", {"resources": [api], "slos": [], **extra})
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(run)
    assert len(errors) == 1 and field in errors[0]
    assert not [
        r for r in plan if r.type.startswith(("gridops:", "aws:cloudwatch", "aws:sns", "aws:kms"))
    ]
