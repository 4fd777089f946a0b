"""AWS Fault Injection Service: what an experiment template needs."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "AWS FIS"

STOP_CONDITIONS_QUOTA = aws_rule(
    id="fis-stop-conditions-quota",
    service=SERVICE,
    rule="An experiment template has at most 5 stop conditions.",
    source="https://docs.aws.amazon.com/fis/latest/userguide/fis-quotas.html",
    fix="Stop on fewer alarms, e.g. one composite alarm over them.",
)

ACTION_DURATION_ISO8601 = aws_rule(
    id="fis-action-duration-iso8601",
    service=SERVICE,
    rule="An action's duration parameter is an ISO 8601 duration such as PT10M.",
    source="https://docs.aws.amazon.com/fis/latest/userguide/action-sequence.html#action-duration",
    fix="Write durations as PT<n>H<n>M<n>S, e.g. PT1M30S.",
)

SELECTION_MODE = aws_rule(
    id="fis-selection-mode",
    service=SERVICE,
    rule="A target's selection mode is ALL, COUNT(n) or PERCENT(n) (n a whole number, a "
    "percent from 1 to 100).",
    source="https://docs.aws.amazon.com/fis/latest/userguide/targets.html#target-selection-mode",
    fix="Use ALL, COUNT(1) or PERCENT(25)-style selection modes.",
)

EXPERIMENT_ROLE_TRUST = aws_rule(
    id="fis-experiment-role-trust",
    service=SERVICE,
    rule="The experiment role must trust the FIS service principal fis.amazonaws.com, or "
    "FIS cannot assume it to run the experiment.",
    source="https://docs.aws.amazon.com/fis/latest/userguide/getting-started-iam-service-role.html",
    fix="Give the role a trust policy allowing sts:AssumeRole by fis.amazonaws.com (with the "
    "aws:SourceAccount guard).",
)
