"""Application Auto Scaling: the rules AWS enforces when it registers a scalable target and
puts a scheduled action."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Application Auto Scaling"

MIN_NOT_ABOVE_MAX = aws_rule(
    id="application-autoscaling-min-not-above-max",
    service=SERVICE,
    rule="A scalable target's (or a scheduled action's) minimum capacity is not above its "
    "maximum capacity.",
    source="https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html",
    fix="Keep min_count <= max_count (also in every scheduled_scaling entry).",
)

SCHEDULE_EXPRESSION = aws_rule(
    id="application-autoscaling-schedule-expression",
    service=SERVICE,
    rule="A scheduled action's schedule is at(yyyy-mm-ddThh:mm:ss), rate(value unit) or "
    "cron(minutes hours day-of-month month day-of-week year).",
    source="https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html",
    fix="Write the schedule in one of the three forms, e.g. 'cron(0 8 ? * MON-FRI *)'.",
)
