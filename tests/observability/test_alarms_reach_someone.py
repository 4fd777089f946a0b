"""Every alarm reaches a person or says what reads it: components' own alarms notify
their platform's alarm topic, the ObservabilityStack subscribes its addresses to it,
SLO window alarms are tagged as composite inputs, and a stack with no alert target
warns. The stages hold no alarm the `alarm-has-actions` rule would refuse."""

from __future__ import annotations

import pytest

from gridops_infra.network.component import Network
from gridops_infra.observability.stack import ObservabilityStack
from gridops_infra.platforms import EksCluster, FargateCluster, SingleServer
from gridops_infra.policy import check_plan
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.service import StatelessService
from gridops_infra.testing import preview
from tests.stage_plans import stage_plan

METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"


def program(platform: str, sink: dict, emails: tuple[str, ...] = ("oncall@example.com",)):
    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        if platform == "fargate":
            cluster = FargateCluster("prod", {"network": net})
        elif platform == "eks":
            cluster = EksCluster("prod", {"network": net, "ebs_csi_driver": False})
        else:
            cluster = SingleServer("prod", {"network": net})
        jobs = SqsWorkerQueue("jobs", {"platform": cluster, "image": "ghcr.io/acme/w:1"})
        api = StatelessService("api", {"platform": cluster, "image": "ghcr.io/acme/api:1"})
        ObservabilityStack(
            "obs",
            {"resources": [api, jobs], "slos": [], "alert_emails": list(emails)},
        )
        sink["cluster"] = cluster

    return run


@pytest.mark.parametrize("platform", ["fargate", "eks", "single-server"])
def test_queue_alarms_notify_the_platform_topic_which_the_stack_subscribes(platform) -> None:
    sink: dict = {}
    plan = preview(program(platform, sink), stack="fargate" if platform != "eks" else "eks")
    topic = plan.one(TOPIC, "prod-alarm-topic")
    assert (
        topic.inputs["kmsMasterKeyId"]
        == plan.one("aws:kms/key:Key", "prod-alarm-topic-key").outputs["arn"]
    )
    arn = topic.outputs["arn"]
    for suffix in ("dlq-not-empty", "oldest-message-age"):
        alarm = plan.one(METRIC_ALARM, f"jobs-{suffix}")
        assert alarm.inputs["alarmActions"] == [arn] == alarm.inputs["okActions"]
    subscribed = [s.inputs for s in plan.of_type(SUBSCRIPTION) if s.inputs["topic"] == arn]
    assert subscribed == [{"topic": arn, "protocol": "email", "endpoint": "oncall@example.com"}]
    assert sink["cluster"].alarm_topic_arn is not None
    assert check_plan(plan).of_rule("alarm-has-actions") == []


def test_a_queue_given_alarm_actions_notifies_those_instead() -> None:
    own = "arn:aws:sns:us-east-1:123456789012:jobs-oncall"

    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = FargateCluster("prod", {"network": net})
        SqsWorkerQueue(
            "jobs",
            {"platform": cluster, "image": "ghcr.io/acme/w:1", "alarm_actions": [own]},
        )

    plan = preview(run)
    assert plan.one(METRIC_ALARM, "jobs-dlq-not-empty").inputs["alarmActions"] == [own]


def test_without_any_alert_target_the_stack_warns() -> None:
    plan = preview(program("fargate", {}, emails=()))
    (warning,) = [
        t for level, t in plan.diagnostics if level == "warning" and "no alert target" in t
    ]
    assert "alert_emails" in warning and "page_topic_arn" in warning
    quiet = preview(program("fargate", {}))
    assert not [t for _, t in quiet.diagnostics if "no alert target" in t]


@pytest.mark.parametrize("stage", ["single-server", "express", "fargate", "eks"])
def test_every_alarm_of_the_stages_notifies_or_names_its_reader(stage) -> None:
    plan = stage_plan(stage)
    assert check_plan(plan).of_rule("alarm-has-actions") == []
    silent = [a for a in plan.of_type(METRIC_ALARM) if not a.inputs.get("alarmActions")]
    for alarm in silent:
        assert alarm.inputs["tags"]["gridops:role"] in (
            "deployment-rollback",
            "composite-input",
        ), alarm.name
    # Express exposes no load-balancer metrics, so its API has no SLO burn windows.
    if stage not in ("single-server", "express"):
        windows = [a for a in silent if a.name.startswith("obs-api-availability-")]
        assert len(windows) == 8
