"""AWS Budgets and Cost Explorer (`core/aws_rules/budgets.py`): StackBudget refuses what AWS
would, before registering anything, and the mandatory policy rules fail the raw
`aws.budgets.Budget` / anomaly subscription AWS refuses (or that would never notify) and pass
the nearest one it accepts."""

from __future__ import annotations

from collections.abc import Callable

import pulumi_aws as aws
import pytest

from gridops_infra import (
    FargateCluster,
    ManagedPostgresWithReplicas,
    Network,
    ObservabilityStack,
    StackBudget,
)
from gridops_infra.policy import MANDATORY, all_rules, check_plan
from gridops_infra.testing import preview

from .refusals import assert_cites, registered_names

TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:alerts"


def _notification(**subscribers) -> dict:
    return {
        "comparison_operator": "GREATER_THAN",
        "notification_type": "ACTUAL",
        "threshold": 100,
        "threshold_type": "PERCENTAGE",
        **subscribers,
    }


def _budget(name: str = "shop-prod", notifications: list | None = None) -> aws.budgets.Budget:
    return aws.budgets.Budget(
        "raw-budget",
        name=name,
        budget_type="COST",
        time_unit="MONTHLY",
        limit_amount="100.00",
        limit_unit="USD",
        notifications=notifications
        if notifications is not None
        else [_notification(subscriber_email_addresses=["finance@acme.io"])],
    )


def _observed(extra: Callable[[ObservabilityStack], None]) -> Callable[[], None]:
    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        db = ManagedPostgresWithReplicas("db", {"network": net, "replicas": 1})
        obs = ObservabilityStack("obs", {"resources": [db], "alert_emails": ["o@acme.io"]})
        extra(obs)

    return run


def _verdicts(rule: str, refused: Callable[[], None], accepted: Callable[[], None]):
    (policy,) = [r for r in all_rules() if r.name == rule]
    assert policy.aws_rule == rule and policy.severity == MANDATORY
    bad = check_plan(preview(refused)).of_rule(rule)
    good = check_plan(preview(accepted)).of_rule(rule)
    assert bad and all(v.severity == MANDATORY and v.resource_urn for v in bad), rule
    assert good == [], good
    return bad


def test_budgets_budget_name_fails_a_colon_and_passes_a_plain_name():
    bad = _verdicts(
        "budgets-budget-name", lambda: _budget("shop:prod"), lambda: _budget("shop-prod")
    )
    assert "'shop:prod'" in bad[0].message
    _verdicts("budgets-budget-name", lambda: _budget("x" * 101), lambda: _budget("x" * 100))
    _verdicts("budgets-budget-name", lambda: _budget("a/action/b"), lambda: _budget("a-action-b"))


def test_stack_budget_derives_a_budget_name_that_fits_from_a_long_component_name():
    long = "b" * 120
    plan = preview(
        _observed(lambda obs: StackBudget(long, {"monthly_estimate_usd": 10, "alert_topic": obs}))
    )
    name = plan.one("aws:budgets/budget:Budget").inputs["name"]
    assert len(name) <= 100 and name.startswith("gridops-dev-bbb")
    assert check_plan(plan).of_rule("budgets-budget-name") == []


def test_budgets_notifications_per_budget_component_refuses_eleven(preview_refusals):
    cases = [list(range(10, 110, 10)), list(range(10, 100, 10))]  # 10 + forecast, 9 + forecast

    def make(obs, i, percents):
        StackBudget(
            f"budget{i}",
            {"monthly_estimate_usd": 10, "alert_topic": obs, "actual_alert_percents": percents},
        )

    plan, errors = preview_refusals(_observed_setup, make, cases)
    assert_cites(errors.get(0), "budgets-notifications-per-budget", "actual_alert_percents")
    assert 1 not in errors
    assert not any(n.startswith("budget0") for n in registered_names(plan))
    assert any(n.startswith("budget1") for n in registered_names(plan))


def test_budgets_notifications_per_budget_policy():
    email = {"subscriber_email_addresses": ["finance@acme.io"]}
    _verdicts(
        "budgets-notifications-per-budget",
        lambda: _budget(notifications=[_notification(**email) for _ in range(11)]),
        lambda: _budget(notifications=[_notification(**email) for _ in range(10)]),
    )


def test_budgets_notification_subscribers_component_refuses_eleven_emails(preview_refusals):
    cases = [[f"p{n}@acme.io" for n in range(11)], [f"p{n}@acme.io" for n in range(10)]]

    def make(obs, i, emails):
        StackBudget(
            f"budget{i}", {"monthly_estimate_usd": 10, "alert_topic": obs, "alert_emails": emails}
        )

    plan, errors = preview_refusals(_observed_setup, make, cases)
    assert_cites(errors.get(0), "budgets-notification-subscribers", "alert_emails")
    assert "p0@acme.io" not in errors[0]
    assert 1 not in errors
    assert not any(n.startswith("budget0") for n in registered_names(plan))


def test_budgets_notification_subscribers_policy():
    emails = [f"p{n}@acme.io" for n in range(10)]
    two_topics = [TOPIC_ARN, TOPIC_ARN + "-2"]
    _verdicts(
        "budgets-notification-subscribers",
        lambda: _budget(
            notifications=[_notification(subscriber_email_addresses=[*emails, "x@a.io"])]
        ),
        lambda: _budget(notifications=[_notification(subscriber_email_addresses=emails)]),
    )
    _verdicts(
        "budgets-notification-subscribers",
        lambda: _budget(notifications=[_notification(subscriber_sns_topic_arns=two_topics)]),
        lambda: _budget(notifications=[_notification(subscriber_sns_topic_arns=two_topics[:1])]),
    )


def test_budgets_sns_topic_policy_component_refuses_a_topic_budgets_cannot_publish_to(
    preview_refusals,
):
    def setup():
        return FargateCluster("prod", {"network": Network("prod", {"az_count": 2})})

    def make(cluster, i, case):
        StackBudget("budget", {"monthly_estimate_usd": 10, "alert_topic": cluster})

    plan, errors = preview_refusals(setup, make, [None])
    assert_cites(errors.get(0), "budgets-sns-topic-policy", "alert_topic")
    assert not plan.of_type("aws:budgets/budget:Budget")


def test_budgets_sns_topic_policy_fails_a_topic_without_the_grant():
    def refused() -> None:
        topic = aws.sns.Topic("alerts")
        _budget(notifications=[_notification(subscriber_sns_topic_arns=[topic.arn])])

    def accepted() -> None:
        _observed(
            lambda obs: StackBudget("budget", {"monthly_estimate_usd": 10, "alert_topic": obs})
        )()

    bad = _verdicts("budgets-sns-topic-policy", refused, accepted)
    assert "budgets.amazonaws.com" in bad[0].message


def test_ce_anomaly_subscription_channel():
    def subscription(frequency: str, kind: str, address: str) -> None:
        aws.costexplorer.AnomalySubscription(
            "raw-subscription",
            name="shop",
            frequency=frequency,
            monitor_arn_lists=["arn:aws:ce::123456789012:anomalymonitor/abc"],
            subscribers=[{"type": kind, "address": address}],
            threshold_expression={
                "dimension": {
                    "key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                    "match_options": ["GREATER_THAN_OR_EQUAL"],
                    "values": ["100"],
                }
            },
        )

    _verdicts(
        "ce-anomaly-subscription-channel",
        lambda: subscription("DAILY", "SNS", TOPIC_ARN),
        lambda: subscription("DAILY", "EMAIL", "finance@acme.io"),
    )
    _verdicts(
        "ce-anomaly-subscription-channel",
        lambda: subscription("IMMEDIATE", "EMAIL", "finance@acme.io"),
        lambda: _observed(
            lambda obs: StackBudget(
                "budget",
                {"monthly_estimate_usd": 10, "alert_topic": obs, "anomaly_detection": True},
            )
        )(),
    )


def _observed_setup() -> ObservabilityStack:
    net = Network("prod", {"az_count": 2, "nat": "single"})
    db = ManagedPostgresWithReplicas("db", {"network": net, "replicas": 1})
    return ObservabilityStack("obs", {"resources": [db], "alert_emails": ["o@acme.io"]})


@pytest.mark.parametrize("percent", [80, 100.5])
def test_whole_and_fractional_percents_reach_aws_as_given(percent):
    plan = preview(
        _observed(
            lambda obs: StackBudget(
                "budget",
                {
                    "monthly_estimate_usd": 10,
                    "alert_topic": obs,
                    "actual_alert_percents": [percent],
                },
            )
        )
    )
    (first, _) = plan.one("aws:budgets/budget:Budget").inputs["notifications"]
    assert first["threshold"] == percent
