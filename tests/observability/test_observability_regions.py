"""An ObservabilityStack outside us-east-1 watching a CdnFrontend: CloudFront publishes
its metrics only in us-east-1, so those alarms, the topics they notify and their
dashboard widgets are in us-east-1; everything else stays in the stack's region."""

from __future__ import annotations

import json

import pytest

from gridops_infra import CdnFrontend, ObservabilityStack
from gridops_infra.testing import preview

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TOPIC = "aws:sns/topic:Topic"
PROVIDER = "pulumi:providers:aws"


def _program() -> None:
    site = CdnFrontend("site", {"static_site": True, "access_logs": False})
    ObservabilityStack(
        "obs",
        {"resources": [site], "alert_emails": ["oncall@acme.io"], "dashboard": True},
    )


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="fargate", config={"aws:region": "eu-west-1"})


def _ref(record) -> str:
    return f"{record.urn}::{record.id}"


def test_cloudfront_alarms_and_their_topics_live_in_us_east_1(plan) -> None:
    provider = plan.one(PROVIDER, "obs-us-east-1")
    assert provider.inputs["region"] == "us-east-1"
    alarms = [a for a in plan.of_type(ALARM) if a.inputs.get("namespace") == "AWS/CloudFront"]
    assert alarms, "the CDN has golden-signal alarms"
    topics = {t.outputs["arn"]: t for t in plan.of_type(TOPIC)}
    for alarm in alarms:
        assert alarm.provider == _ref(provider)
        (action,) = alarm.inputs["alarmActions"]
        topic = topics[action]
        assert topic.provider == _ref(provider), "an alarm notifies a topic of its own region"
        assert topic.name.endswith("-us-east-1")
        key = plan.one("aws:kms/key:Key", "obs-topic-key-us-east-1")
        assert topic.inputs["kmsMasterKeyId"] == key.outputs["arn"]
        assert key.provider == _ref(provider)


def test_the_us_east_1_topics_carry_the_same_subscriptions(plan) -> None:
    subs = plan.of_type("aws:sns/topicSubscription:TopicSubscription")
    assert sorted(s.name for s in subs) == [
        "obs-page-email-0",
        "obs-page-us-east-1-email-0",
        "obs-ticket-email-0",
        "obs-ticket-us-east-1-email-0",
    ]


def test_the_stack_region_topics_keep_their_names_and_default_provider(plan) -> None:
    for name in ("obs-page", "obs-ticket", "obs-topic-key"):
        record = plan.by_name(name)
        assert record is not None and "obs-us-east-1" not in (record.provider or "")


def test_cloudfront_widgets_read_us_east_1(plan) -> None:
    body = json.loads(plan.one("aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"])
    regions = {
        json.dumps(w["properties"]["metrics"]).count("AWS/CloudFront") > 0: w["properties"][
            "region"
        ]
        for w in body["widgets"]
        if w["type"] == "metric"
    }
    assert regions == {True: "us-east-1"}


def test_an_alarm_over_metrics_of_two_regions_is_refused_before_registering() -> None:
    """A service whose 5xx count lives in us-east-1 but whose request count lives in the
    stack's region cannot have one CloudWatch alarm over both."""
    from gridops_infra.core.metrics import Metric
    from gridops_infra.observability import Slo

    class StatelessService:  # the stand-in shape the observability tests use
        name = "api"

        def metric_5xx(self) -> Metric:
            return Metric("Custom/Edge", "Errors", {}, "Sum", region="us-east-1")

        def metric_requests(self) -> Metric:
            return Metric("Custom/App", "Requests", {}, "Sum")

        def metric_latency_p99(self) -> Metric:
            return Metric("Custom/App", "Latency", {}, "p99")

        def metric_cpu(self) -> Metric:
            return Metric("Custom/App", "CPU", {}, "Average")

    errors: list[str] = []

    def program() -> None:
        api = StatelessService()
        try:
            ObservabilityStack("obs", {"slos": [Slo.availability(api)]})
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program, stack="fargate", config={"aws:region": "eu-west-1"})
    assert len(errors) == 1
    assert "resources=" in errors[0] and "several regions (eu-west-1, us-east-1)" in errors[0]
    assert plan.resources == []
