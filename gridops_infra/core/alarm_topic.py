"""The SNS topic a platform's own alarms notify (`alarm_topic`).

Decision: one topic per platform (FargateCluster, EksCluster, SingleServer), not one per
component. Every component that runs on the platform (its queues' workers, its services)
sends the alarms it owns there, so a team subscribes once per platform, and the topic
exists before any component needs it. Subscribe with `aws.sns.TopicSubscription(topic=
platform.alarm_topic_arn, ...)`, or list the components in an ObservabilityStack, which
subscribes its `alert_emails` and ticket webhooks to the topics of their platforms.

The topic is encrypted with its own customer managed key: CloudWatch can publish to an
encrypted topic only when the key's policy lets it (the AWS managed SNS key does not).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.aws_rules.budgets import BUDGETS_PRINCIPAL, COST_ALERTS_PRINCIPAL
from gridops_infra.core.component import GridopsComponent

ROLES = ("alarm_topic_key", "alarm_topic")
EVENTBRIDGE_ROLE = "alarm_topic_policy"
"""The topic policy's role, on the owners that pass `eventbridge=True` or `budgets=True`
(SingleServer)."""


def alarm_topic_key_policy(account: str, extra: Sequence[dict[str, Any]] = ()) -> str:
    """Key policy: the account administers the key, CloudWatch (of this account only)
    encrypts alarm notifications with it."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AccountAdmin",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                },
                {
                    "Sid": "CloudWatchAlarms",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudwatch.amazonaws.com"},
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                    "Resource": "*",
                    "Condition": {"StringEquals": {"aws:SourceAccount": account}},
                },
                *extra,
            ],
        },
        sort_keys=True,
    )


def eventbridge_key_statement(account: str) -> dict[str, Any]:
    """Lets EventBridge rules of this account encrypt what they publish to the topic."""
    return {
        "Sid": "EventBridgeRules",
        "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": account}},
    }


def budget_key_statements(account: str) -> list[dict[str, Any]]:
    """Let AWS Budgets and Cost Anomaly Detection (for this account only) encrypt what they
    publish to a topic under this key: without it their notifications are dropped."""
    return [
        {
            "Sid": sid,
            "Effect": "Allow",
            "Principal": {"Service": principal},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account}},
        }
        for sid, principal in (
            ("BudgetsNotifications", BUDGETS_PRINCIPAL),
            ("CostAnomalyAlerts", COST_ALERTS_PRINCIPAL),
        )
    ]


def budget_publish_statements(topic_arn: str, account: str) -> list[dict[str, Any]]:
    """Topic-policy statements letting this account's budgets and cost anomaly monitors
    publish, scoped as AWS documents (aws:SourceAccount, and the budgets' ARNs)."""
    return [
        {
            "Sid": "BudgetsNotifications",
            "Effect": "Allow",
            "Principal": {"Service": BUDGETS_PRINCIPAL},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {
                "StringEquals": {"aws:SourceAccount": account},
                "ArnLike": {"aws:SourceArn": f"arn:aws:budgets::{account}:*"},
            },
        },
        {
            "Sid": "CostAnomalyAlerts",
            "Effect": "Allow",
            "Principal": {"Service": COST_ALERTS_PRINCIPAL},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {"StringEquals": {"aws:SourceAccount": account}},
        },
    ]


def cloudwatch_publish_statement(topic_arn: str, account: str) -> dict[str, Any]:
    """CloudWatch alarms of this account may publish."""
    return {
        "Sid": "CloudWatchAlarmsPublish",
        "Effect": "Allow",
        "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": "sns:Publish",
        "Resource": topic_arn,
        "Condition": {"StringEquals": {"aws:SourceAccount": account}},
    }


def account_owner_statement(topic_arn: str, account: str) -> dict[str, Any]:
    """What SNS's default topic policy grants the owning account (a topic policy of our own
    replaces the default, so it is repeated here)."""
    return {
        "Sid": "AccountOwner",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": [
            "sns:GetTopicAttributes",
            "sns:SetTopicAttributes",
            "sns:AddPermission",
            "sns:RemovePermission",
            "sns:DeleteTopic",
            "sns:Subscribe",
            "sns:ListSubscriptionsByTopic",
            "sns:Publish",
        ],
        "Resource": topic_arn,
    }


def topic_policy(
    topic_arn: str, account: str, *, eventbridge: bool = False, budgets: bool = False
) -> str:
    """The topic's policy: the account as by default; with `eventbridge`, EventBridge rules
    of this account may publish (an event such as a DMS replication failing reaches the same
    people); with `budgets`, AWS Budgets and Cost Anomaly Detection may."""
    statements = [account_owner_statement(topic_arn, account)]
    if eventbridge:
        statements.append(
            {
                "Sid": "EventBridgeRules",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {"StringEquals": {"aws:SourceAccount": account}},
            }
        )
    if budgets:
        # A topic policy of our own replaces SNS's default, which is what lets the account's
        # CloudWatch alarms publish: say so explicitly beside the budget publishers.
        statements.append(cloudwatch_publish_statement(topic_arn, account))
        statements.extend(budget_publish_statements(topic_arn, account))
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)


def eventbridge_topic_policy(topic_arn: str, account: str) -> str:
    """The topic policy with EventBridge rules of this account allowed to publish."""
    return topic_policy(topic_arn, account, eventbridge=True)


def build_alarm_topic(
    owner: GridopsComponent, what: str, *, eventbridge: bool = False, budgets: bool = False
) -> aws.sns.Topic:
    """An encrypted topic (and its key) for the alarms of `owner` and what runs on it; with
    `eventbridge`, EventBridge rules of the account may publish to it too; with `budgets`,
    AWS Budgets and Cost Anomaly Detection may (a StackBudget notifies it)."""
    account = iam.account_id()
    extra = [eventbridge_key_statement(account)] if eventbridge else []
    if budgets:
        extra.extend(budget_key_statements(account))
    key = owner.child(
        "alarm_topic_key",
        aws.kms.Key,
        {
            "description": f"Encrypts the alarm topic of {what}",
            "enable_key_rotation": True,
            "deletion_window_in_days": 30,
            "policy": alarm_topic_key_policy(account, extra),
        },
        suffix="alarm-topic-key",
    )
    topic = owner.child(
        "alarm_topic",
        aws.sns.Topic,
        {"kms_master_key_id": key.arn, "display_name": f"{owner.name} alarms"},
        suffix="alarm-topic",
    )
    if eventbridge or budgets:
        owner.child(
            "alarm_topic_policy",
            aws.sns.TopicPolicy,
            {
                "arn": topic.arn,
                "policy": topic.arn.apply(
                    lambda arn: topic_policy(arn, account, eventbridge=eventbridge, budgets=budgets)
                ),
            },
            suffix="alarm-topic-policy",
            tag=False,
        )
    return topic


def alarm_topic_arn_of(component: Any) -> pulumi.Output[str] | None:
    """The alarm topic a component's platform (or the platform itself) offers, if any."""
    for candidate in (component, getattr(component, "platform", None)):
        arn = getattr(candidate, "alarm_topic_arn", None)
        if arn is not None:
            return pulumi.Output.from_input(arn)
    return None


__all__ = [
    "BUDGETS_PRINCIPAL",
    "COST_ALERTS_PRINCIPAL",
    "EVENTBRIDGE_ROLE",
    "ROLES",
    "alarm_topic_arn_of",
    "alarm_topic_key_policy",
    "budget_key_statements",
    "budget_publish_statements",
    "build_alarm_topic",
    "cloudwatch_publish_statement",
    "eventbridge_topic_policy",
    "topic_policy",
]
