"""What a StackBudget alerts on: the limit from the estimate, the notifications, the
budget's name. Pure functions, so the policy rules and `gridops cost --set-budget` compute
the same numbers as the component."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

DEFAULT_HEADROOM_PERCENT = 20.0
DEFAULT_ACTUAL_ALERT_PERCENTS = (80.0, 100.0, 120.0)
DEFAULT_FORECAST_ALERT_PERCENT = 100.0
MAX_NOTIFICATIONS = 10
"""AWS Budgets: a budget has at most ten notifications."""
MAX_EMAIL_SUBSCRIBERS = 10
"""AWS Budgets: a notification has one SNS subscriber and at most ten email subscribers."""
BUDGET_NAME_MAX = 100


def budget_limit_usd(monthly_estimate_usd: float, headroom_percent: float) -> int:
    """The limit: the estimate plus headroom, rounded up to a whole dollar (a few cents of
    rounding must not put the limit under the estimate)."""
    return math.ceil(round(monthly_estimate_usd * (1 + headroom_percent / 100), 6))


def budget_name_problem(name: str) -> str:
    """Why AWS Budgets refuses `name`, or ''."""
    if not 1 <= len(name) <= BUDGET_NAME_MAX:
        return f"{len(name)} characters (1..{BUDGET_NAME_MAX} allowed)"
    if ":" in name or "\\" in name:
        return "contains ':' or '\\'"
    if "/action/" in name:
        return "contains '/action/'"
    return ""


def _percent(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def budget_notifications(
    actual_percents: Sequence[float],
    forecast_percent: float | None,
    topic_arn: Any,
    emails: Sequence[str],
) -> list[dict[str, Any]]:
    """One notification per threshold (percent of the limit, spend greater than it), each
    to the topic and the emails."""
    kinds = [("ACTUAL", p) for p in actual_percents]
    if forecast_percent is not None:
        kinds.append(("FORECASTED", forecast_percent))
    notifications = []
    for kind, percent in kinds:
        notification: dict[str, Any] = {
            "comparison_operator": "GREATER_THAN",
            "notification_type": kind,
            "threshold": _percent(percent),
            "threshold_type": "PERCENTAGE",
            "subscriber_sns_topic_arns": [topic_arn],
        }
        if emails:
            notification["subscriber_email_addresses"] = list(emails)
        notifications.append(notification)
    return notifications
