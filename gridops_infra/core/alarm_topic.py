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
from gridops_infra.core.component import GridopsComponent

ROLES = ("alarm_topic_key", "alarm_topic")
EVENTBRIDGE_ROLE = "alarm_topic_policy"
"""The topic policy's role, on the owners that pass `eventbridge=True` (SingleServer)."""


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


def eventbridge_topic_policy(topic_arn: str, account: str) -> str:
    """The topic's policy: the account as by default, and EventBridge rules of this account
    may publish (an event such as a DMS replication failing reaches the same people)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
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
                },
                {
                    "Sid": "EventBridgeRules",
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "sns:Publish",
                    "Resource": topic_arn,
                    "Condition": {"StringEquals": {"aws:SourceAccount": account}},
                },
            ],
        },
        sort_keys=True,
    )


def build_alarm_topic(
    owner: GridopsComponent, what: str, *, eventbridge: bool = False
) -> aws.sns.Topic:
    """An encrypted topic (and its key) for the alarms of `owner` and what runs on it; with
    `eventbridge`, EventBridge rules of the account may publish to it too."""
    account = iam.account_id()
    extra = [eventbridge_key_statement(account)] if eventbridge else []
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
    if eventbridge:
        owner.child(
            "alarm_topic_policy",
            aws.sns.TopicPolicy,
            {
                "arn": topic.arn,
                "policy": topic.arn.apply(lambda arn: eventbridge_topic_policy(arn, account)),
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
    "EVENTBRIDGE_ROLE",
    "ROLES",
    "alarm_topic_arn_of",
    "alarm_topic_key_policy",
    "build_alarm_topic",
    "eventbridge_topic_policy",
]
