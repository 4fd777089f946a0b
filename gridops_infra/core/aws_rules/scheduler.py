"""Amazon EventBridge Scheduler: what CreateSchedule accepts as a schedule."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "EventBridge Scheduler"

SCHEDULE_EXPRESSION = aws_rule(
    id="scheduler-schedule-expression",
    service=SERVICE,
    rule="A schedule's expression is at(yyyy-mm-ddThh:mm:ss), rate(value unit) with a "
    "positive whole value and a minute(s), hour(s) or day(s) unit, or cron(minutes hours "
    "day-of-month month day-of-week year) with '?' in exactly one of the two day fields.",
    source="https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html",
    fix="Write the expression in one of the three forms, e.g. 'cron(0 10 ? * TUE *)' "
    "(Tuesdays at 10:00) or 'rate(7 days)'.",
)

SCHEDULE_TIMEZONE = aws_rule(
    id="scheduler-schedule-timezone",
    service=SERVICE,
    rule="A schedule's time zone (ScheduleExpressionTimezone) is a time zone name of the "
    "IANA tz database, such as UTC or Europe/Berlin.",
    source="https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html",
    fix="Give an IANA zone name such as 'UTC', 'Europe/Berlin' or 'America/New_York' "
    "(not an abbreviation such as CET or an offset such as +01:00).",
)
