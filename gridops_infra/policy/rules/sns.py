"""SNS: the create-time rules AWS enforces on topics (`core/aws_rules/sns.py`)."""

from __future__ import annotations

import re
from typing import Any

from gridops_infra.core.aws_rules import sns
from gridops_infra.policy._props import is_true, peek
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule

TOPIC = "aws:sns/topic:Topic"
TOPIC_NAME = re.compile(r"[A-Za-z0-9_-]{1,256}")


@resource_rule(
    name="sns-topic-name",
    description="An SNS topic name has 1..256 letters, digits, '-' and '_', and ends in .fifo "
    "exactly when the topic is FIFO.",
    severity=MANDATORY,
    remediation=sns.TOPIC_NAME.fix,
    types=(TOPIC,),
    aws_rule=sns.TOPIC_NAME.id,
)
def topic_name(args: Any, report: ReportViolation) -> None:
    name = peek(args.props, "name")
    if not isinstance(name, str) or not name:
        return
    fifo = is_true(peek(args.props, "fifoTopic"))
    base = name.removesuffix(".fifo") if fifo else name
    if len(name) > 256 or not TOPIC_NAME.fullmatch(base):
        report(f"topic name {name!r} is not 1..256 letters, digits, '-' or '_'.")
    elif fifo and not name.endswith(".fifo"):
        report(f"topic name {name!r}: a FIFO topic's name ends in .fifo.")
