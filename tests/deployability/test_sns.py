"""Amazon SNS: the topic name rule of `core/aws_rules/sns.py` fails a Plan with a topic AWS
would refuse (no component names a topic: ObservabilityStack and the platforms let Pulumi
name theirs) and passes the nearest one AWS accepts."""

from __future__ import annotations

from .aws_data_programs import assert_plan_rule, plan_verdicts


def test_sns_topic_name_fails_a_name_aws_refuses_and_passes_a_valid_one():
    assert_plan_rule("sns-topic-name")


def test_sns_topic_name_message_quotes_the_name():
    refused, _ = plan_verdicts("sns-topic-name")
    assert "'alerts!'" in refused[0].message
