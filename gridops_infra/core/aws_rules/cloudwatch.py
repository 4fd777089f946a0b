"""Amazon CloudWatch and CloudWatch Logs: what PutMetricAlarm, PutCompositeAlarm,
CreateLogGroup and PutRetentionPolicy refuse for the alarms and log groups our components
create."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Amazon CloudWatch"
LOGS = "Amazon CloudWatch Logs"
PUT_METRIC_ALARM = (
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html"
)

ALARM_PERIOD = aws_rule(
    id="cloudwatch-alarm-period",
    service=SERVICE,
    rule="An alarm's Period (and each metric's period in its metric math) is 10, 20, 30 or a "
    "multiple of 60 seconds.",
    source=PUT_METRIC_ALARM,
    fix="Use a period of 60 s or a multiple of it (10, 20 and 30 only for high-resolution "
    "metrics).",
)

ALARM_EVALUATION_RANGE = aws_rule(
    id="cloudwatch-alarm-evaluation-range",
    service=SERVICE,
    rule="Period x EvaluationPeriods is at most 604,800 s (seven days), and at most 86,400 s "
    "(one day) when the period is shorter than one hour.",
    source=PUT_METRIC_ALARM,
    fix="Fewer evaluation periods, or a longer period (one hour or more lets the alarm look "
    "back up to seven days).",
)

DATAPOINTS_TO_ALARM = aws_rule(
    id="cloudwatch-datapoints-to-alarm",
    service=SERVICE,
    rule="DatapointsToAlarm (the M of an M-out-of-N alarm) is at least 1 and at most "
    "EvaluationPeriods.",
    source=PUT_METRIC_ALARM,
    fix="Set datapoints_to_alarm between 1 and evaluation_periods.",
)

ALARM_NAME = aws_rule(
    id="cloudwatch-alarm-name",
    service=SERVICE,
    rule="An alarm name (metric or composite) is 1 to 255 characters.",
    source=PUT_METRIC_ALARM,
    fix="Shorten the alarm name (or the component and Slo names it is built from).",
)

COMPOSITE_ALARM_RULE = aws_rule(
    id="cloudwatch-composite-alarm-rule",
    service=SERVICE,
    rule="A composite alarm's AlarmRule is at most 10,240 characters.",
    source="https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html",
    fix="Reference fewer alarms per composite (nest composites), or use shorter alarm names.",
)

LOG_RETENTION = aws_rule(
    id="cloudwatch-log-retention",
    service=LOGS,
    rule="A log group's retentionInDays is one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, "
    "365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653.",
    source="https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
    fix="Pick the nearest allowed value, e.g. 30, 90 or 365.",
)

LOG_GROUP_NAME = aws_rule(
    id="cloudwatch-log-group-name",
    service=LOGS,
    rule="A log group name is 1 to 512 characters of a-z, A-Z, 0-9, '_', '-', '/', '.' and '#'.",
    source="https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
    fix="Use only those characters, e.g. '/gridops/shop/api'.",
)
