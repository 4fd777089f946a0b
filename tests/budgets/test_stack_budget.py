"""StackBudget: the limit is the estimate plus headroom, the alerts reach the stack's alert
topic (whose key and policy let AWS Budgets and Cost Anomaly Detection publish), anomaly
detection is an option, and bad arguments are refused before anything registers."""

from __future__ import annotations

import json

import pytest

from gridops_infra import (
    FargateCluster,
    ManagedPostgresWithReplicas,
    Network,
    ObservabilityStack,
    SingleServer,
    StackBudget,
)
from gridops_infra.budgets.notifications import budget_limit_usd
from gridops_infra.testing import preview

BUDGET = "aws:budgets/budget:Budget"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"


def _observed(extra: dict | None = None):
    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        db = ManagedPostgresWithReplicas("db", {"network": net, "replicas": 1})
        obs = ObservabilityStack("obs", {"resources": [db], "alert_emails": ["oncall@acme.io"]})
        StackBudget(
            "budget", {"monthly_estimate_usd": 1171.30, "alert_topic": obs, **(extra or {})}
        )

    return preview(run)


@pytest.fixture(scope="module")
def plan():
    return _observed()


def test_limit_is_the_estimate_plus_20_percent_rounded_up(plan) -> None:
    budget = plan.one(BUDGET)
    assert budget.inputs["limitAmount"] == "1406.00"  # 1171.30 * 1.2 = 1405.56
    assert budget.inputs["limitUnit"] == "USD"
    assert (budget.inputs["budgetType"], budget.inputs["timeUnit"]) == ("COST", "MONTHLY")
    assert budget.inputs["name"] == "gridops-dev-budget"
    assert "costFilters" not in budget.inputs
    assert budget_limit_usd(100, 0) == 100 and budget_limit_usd(100.01, 0) == 101


def test_alerts_at_80_100_120_actual_and_100_forecast_to_the_ticket_topic(plan) -> None:
    notifications = plan.one(BUDGET).inputs["notifications"]
    assert [(n["notificationType"], n["threshold"]) for n in notifications] == [
        ("ACTUAL", 80),
        ("ACTUAL", 100),
        ("ACTUAL", 120),
        ("FORECASTED", 100),
    ]
    ticket = next(r for r in plan.of_type("aws:sns/topic:Topic") if r.name == "obs-ticket")
    for n in notifications:
        assert n["subscriberSnsTopicArns"] == [ticket.outputs["arn"]]
        assert n["comparisonOperator"] == "GREATER_THAN" and n["thresholdType"] == "PERCENTAGE"


def test_the_ticket_topic_lets_budgets_publish_scoped_to_the_account(plan) -> None:
    ticket = next(r for r in plan.of_type("aws:sns/topic:Topic") if r.name == "obs-ticket")
    policy = plan.one(TOPIC_POLICY, "obs-ticket-topic-policy")
    assert policy.inputs["arn"] == ticket.outputs["arn"]
    statements = {s["Sid"]: s for s in json.loads(policy.inputs["policy"])["Statement"]}
    budgets = statements["BudgetsNotifications"]
    assert budgets["Principal"] == {"Service": "budgets.amazonaws.com"}
    assert budgets["Resource"] == ticket.outputs["arn"]
    assert budgets["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "123456789012"},
        "ArnLike": {"aws:SourceArn": "arn:aws:budgets::123456789012:*"},
    }
    assert statements["CostAnomalyAlerts"]["Principal"] == {"Service": "costalerts.amazonaws.com"}
    # A policy of our own replaces SNS's default: CloudWatch alarms still publish.
    assert statements["CloudWatchAlarmsPublish"]["Principal"] == {
        "Service": "cloudwatch.amazonaws.com"
    }
    key = next(r for r in plan.of_type("aws:kms/key:Key") if r.name == "obs-topic-key")
    key_principals = {
        s["Principal"].get("Service") for s in json.loads(key.inputs["policy"])["Statement"]
    }
    assert {"budgets.amazonaws.com", "costalerts.amazonaws.com"} <= key_principals


def test_no_anomaly_detection_unless_asked(plan) -> None:
    assert not plan.of_type("aws:costexplorer/anomalyMonitor:AnomalyMonitor")
    assert not plan.of_type("aws:costexplorer/anomalySubscription:AnomalySubscription")


def test_anomaly_detection_subscribes_the_topic_immediately_above_the_threshold() -> None:
    plan = _observed({"anomaly_detection": True, "anomaly_threshold_usd": 50})
    monitor = plan.one("aws:costexplorer/anomalyMonitor:AnomalyMonitor")
    assert (monitor.inputs["monitorType"], monitor.inputs["monitorDimension"]) == (
        "DIMENSIONAL",
        "SERVICE",
    )
    sub = plan.one("aws:costexplorer/anomalySubscription:AnomalySubscription")
    assert sub.inputs["frequency"] == "IMMEDIATE"
    assert sub.inputs["monitorArnLists"] == [monitor.outputs["arn"]]
    ticket = next(r for r in plan.of_type("aws:sns/topic:Topic") if r.name == "obs-ticket")
    assert sub.inputs["subscribers"] == [{"type": "SNS", "address": ticket.outputs["arn"]}]
    assert sub.inputs["thresholdExpression"]["dimension"] == {
        "key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
        "matchOptions": ["GREATER_THAN_OR_EQUAL"],
        "values": ["50"],
    }


def test_an_existing_monitor_is_subscribed_not_duplicated() -> None:
    arn = "arn:aws:ce::123456789012:anomalymonitor/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
    plan = _observed({"anomaly_detection": True, "anomaly_monitor_arn": arn})
    assert not plan.of_type("aws:costexplorer/anomalyMonitor:AnomalyMonitor")
    sub = plan.one("aws:costexplorer/anomalySubscription:AnomalySubscription")
    assert sub.inputs["monitorArnLists"] == [arn]


def test_stage_tag_scope_counts_only_the_stage_costs() -> None:
    plan = _observed({"scope": "stage-tag", "headroom_percent": 0, "alert_emails": ["f@acme.io"]})
    budget = plan.one(BUDGET)
    assert budget.inputs["costFilters"] == [
        {"name": "TagKeyValue", "values": ["user:gridops:stage$dev"]}
    ]
    assert budget.inputs["limitAmount"] == "1172.00"
    assert all(
        n["subscriberEmailAddresses"] == ["f@acme.io"] for n in budget.inputs["notifications"]
    )


def test_a_single_server_alarm_topic_takes_the_budget() -> None:
    def run() -> None:
        net = Network("mvp", {"az_count": 2, "nat": "none"})
        server = SingleServer("mvp", {"network": net})
        StackBudget("budget", {"monthly_estimate_usd": 54.72, "alert_topic": server})

    plan = preview(run)
    topic = plan.one("aws:sns/topic:Topic")
    budget = plan.one(BUDGET)
    assert budget.inputs["limitAmount"] == "66.00"
    assert budget.inputs["notifications"][0]["subscriberSnsTopicArns"] == [topic.outputs["arn"]]
    policy = json.loads(plan.one(TOPIC_POLICY).inputs["policy"])
    assert "BudgetsNotifications" in {s["Sid"] for s in policy["Statement"]}
    # No replication source: no EventBridge grant comes with the budget one.
    assert "EventBridgeRules" not in {s["Sid"] for s in policy["Statement"]}


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"monthly_estimate_usd": 0}, "monthly_estimate_usd"),
        ({"monthly_estimate_usd": "1171"}, "monthly_estimate_usd"),
        ({"monthly_estimate_usd": float("nan")}, "monthly_estimate_usd"),
        ({"headroom_percent": -5}, "headroom_percent"),
        ({"headroom_percent": 900}, "headroom_percent"),
        ({"actual_alert_percents": [80, 80]}, "actual_alert_percents"),
        ({"actual_alert_percents": [0]}, "actual_alert_percents"),
        ({"actual_alert_percents": "80"}, "actual_alert_percents"),
        ({"forecast_alert_percent": 2000}, "forecast_alert_percent"),
        ({"alert_emails": ["not an address"]}, "alert_emails"),
        ({"scope": "tags"}, "scope"),
        ({"anomaly_threshold_usd": 10}, "anomaly_threshold_usd"),
        ({"anomaly_detection": True, "anomaly_monitor_arn": "monitor-1"}, "anomaly_monitor_arn"),
        ({"anomaly_detection": True, "anomaly_threshold_usd": 0}, "anomaly_threshold_usd"),
        ({"alert_topic": None}, "alert_topic"),
        ({"limit": 5}, "limit"),
    ],
)
def test_bad_arguments_are_refused_and_nothing_registers(preview_refusals, extra, field) -> None:
    def setup():
        net = Network("prod", {"az_count": 2, "nat": "single"})
        db = ManagedPostgresWithReplicas("db", {"network": net, "replicas": 1})
        return ObservabilityStack("obs", {"resources": [db], "alert_emails": ["o@acme.io"]})

    def make(obs, i, case):
        StackBudget(f"budget{i}", {"monthly_estimate_usd": 100.0, "alert_topic": obs, **case})

    plan, errors = preview_refusals(setup, make, [extra])
    assert field in errors[0], errors
    assert not plan.of_type(BUDGET) and not plan.of_type("gridops:aws:StackBudget")


def test_a_platform_topic_budgets_cannot_publish_to_is_refused(preview_refusals) -> None:
    def setup():
        net = Network("prod", {"az_count": 2, "nat": "single"})
        return FargateCluster("prod", {"network": net})

    def make(cluster, i, case):
        StackBudget("budget", {"monthly_estimate_usd": 100.0, "alert_topic": cluster})

    plan, errors = preview_refusals(setup, make, [None])
    assert "alert_topic" in errors[0] and "budgets.amazonaws.com" in errors[0]
    assert not plan.of_type(BUDGET)
