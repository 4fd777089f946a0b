"""Amazon SNS: what CreateTopic refuses."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

TOPIC_NAME = aws_rule(
    id="sns-topic-name",
    service="Amazon SNS",
    rule="A topic name has 1 to 256 letters, digits, underscores or hyphens; a FIFO topic's "
    "name ends with .fifo.",
    source="https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
    fix="Name the topic with letters, digits, '-' and '_' only (add .fifo exactly when "
    "fifo_topic=True), or leave the name out and let Pulumi pick one.",
)
