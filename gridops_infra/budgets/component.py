"""StackBudget: an AWS Budget whose limit is the stack's estimated monthly cost plus
headroom, alerting the stack's alert topic; cost anomaly detection as an option."""

from __future__ import annotations

import math
import re
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.budgets.args import StackBudgetArgs
from gridops_infra.budgets.notifications import (
    DEFAULT_ACTUAL_ALERT_PERCENTS,
    DEFAULT_FORECAST_ALERT_PERCENT,
    DEFAULT_HEADROOM_PERCENT,
    MAX_EMAIL_SUBSCRIBERS,
    MAX_NOTIFICATIONS,
    budget_limit_usd,
    budget_name_problem,
    budget_notifications,
)
from gridops_infra.core.aws_rules import budgets as rules
from gridops_infra.core.component import TAG_STAGE, GridopsComponent, check_transforms, stage_name
from gridops_infra.core.physical_names import BUDGET_NAME, physical_name
from gridops_infra.core.validation import ArgReader, check_name

EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s]+"
ANOMALY_MONITOR_ARN = r"arn:aws[a-z-]*:ce::\d{12}:anomalymonitor/[A-Za-z0-9-]+"


class StackBudget(GridopsComponent):
    """A monthly COST budget at the stack's estimate plus headroom, alerting (actual spend
    at 80/100/120% of the limit, forecast at 100% by default) to the stack's alert topic,
    and, with `anomaly_detection`, a Cost Anomaly Detection monitor and subscription.

    The estimate is `gridops cost <stack>`'s monthly total, which `gridops cost <stack>
    --set-budget` writes into the stack file (`gridops:monthly_estimate_usd`); the policy
    rule `budget-below-estimate` recomputes it from the Plan and refuses a limit under it.
    Budgets without actions cost nothing (AWS Budgets pricing).

    Example:
        ```python
        StackBudget("budget", {"monthly_estimate_usd": 1171.30, "alert_topic": obs})
        ```
    """

    TYPE = "gridops:aws:StackBudget"
    CHILD_ROLES = ("budget", "anomaly_monitor", "anomaly_subscription")

    limit_usd: int
    """The budget's monthly limit, whole US dollars."""
    budget_name: str
    """The budget's name in AWS Budgets (`<project>-<stack>-<name>`)."""

    def __init__(
        self,
        name: str,
        args: StackBudgetArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name("StackBudget", name)
        where = f"StackBudget '{name}'"
        a = ArgReader("StackBudget", name, args, StackBudgetArgs.__annotations__)
        estimate = a.number("monthly_estimate_usd", None, lo=0.01)
        headroom = a.number("headroom_percent", DEFAULT_HEADROOM_PERCENT, lo=0, hi=500)
        topic_arn = self._topic(a)
        actual = [
            _percent_item(a, "actual_alert_percents", p)
            for p in (a.sequence("actual_alert_percents") or list(DEFAULT_ACTUAL_ALERT_PERCENTS))
        ]
        if len(set(actual)) != len(actual):
            raise a.fail("actual_alert_percents", actual, "expected each percent once")
        forecast: float | None = DEFAULT_FORECAST_ALERT_PERCENT
        if "forecast_alert_percent" in a.args:
            raw = a.args["forecast_alert_percent"]
            forecast = None if raw is None else a.number("forecast_alert_percent", None, 1, 1000)
        count = len(actual) + (forecast is not None)
        if count > MAX_NOTIFICATIONS:
            raise rules.NOTIFICATIONS_PER_BUDGET.refuse(
                where,
                "actual_alert_percents",
                f"{len(actual)} actual and {int(forecast is not None)} forecast alerts "
                f"make {count} notifications",
            )
        emails = a.string_list("alert_emails")
        for email in emails:
            if not re.fullmatch(EMAIL, email):
                raise a.fail("alert_emails", email, "expected e-mail addresses")
        if len(emails) > MAX_EMAIL_SUBSCRIBERS:
            raise rules.NOTIFICATION_SUBSCRIBERS.refuse(
                where, "alert_emails", f"{len(emails)} email addresses"
            )
        scope = a.choice("scope", "account", ("account", "stage-tag"))
        anomaly = a.boolean("anomaly_detection", False)
        threshold = a.number("anomaly_threshold_usd", 100, lo=0.01)
        monitor_arn = a.optional_string(
            "anomaly_monitor_arn", ANOMALY_MONITOR_ARN, "expected a cost anomaly monitor ARN"
        )
        if not anomaly:
            for field in ("anomaly_threshold_usd", "anomaly_monitor_arn"):
                if a.has(field):
                    raise a.fail(field, a.raw(field), "it needs anomaly_detection=True")
        # Unique in the account across stacks and projects; a long one is cut to fit.
        budget_name = physical_name(
            f"{pulumi.get_project()}-{pulumi.get_stack()}-{name}", BUDGET_NAME
        )
        problem = budget_name_problem(budget_name)
        if problem:  # a stack or project name with characters AWS refuses
            raise rules.BUDGET_NAME.refuse(where, "name", f"{budget_name!r}: {problem}")
        transforms = check_transforms("StackBudget", name, a.raw("transforms"), self.CHILD_ROLES)

        super().__init__(name, opts, transforms=transforms, tags=a.mapping("tags"))
        self.limit_usd = budget_limit_usd(estimate, headroom)
        self.budget_name = budget_name
        budget_args: dict[str, Any] = {
            "name": budget_name,
            "budget_type": "COST",
            "time_unit": "MONTHLY",
            "limit_amount": f"{self.limit_usd}.00",
            "limit_unit": "USD",
            "notifications": budget_notifications(actual, forecast, topic_arn, emails),
        }
        if scope == "stage-tag":
            budget_args["cost_filters"] = [
                {"name": "TagKeyValue", "values": [f"user:{TAG_STAGE}${stage_name()}"]}
            ]
        self.budget = self.child("budget", aws.budgets.Budget, budget_args)
        self.anomaly_subscription_arn: pulumi.Output[str] | None = None
        if anomaly:
            self._anomaly(budget_name, topic_arn, threshold, monitor_arn)
        self.register_outputs(
            {
                "budget_name": budget_name,
                "limit_usd": self.limit_usd,
                "monthly_estimate_usd": estimate,
            }
        )

    @staticmethod
    def _topic(a: ArgReader) -> pulumi.Output[str]:
        target = a.raw("alert_topic")
        if target is None:
            raise a.fail(
                "alert_topic", None, "it is required: an ObservabilityStack or a SingleServer"
            )
        arn = getattr(target, "budget_topic_arn", None)
        if arn is None:
            raise rules.SNS_PUBLISH_PERMISSION.refuse(
                f"StackBudget '{a.name}'",
                "alert_topic",
                f"a {type(target).__name__} offers no topic AWS Budgets may publish to",
            )
        return pulumi.Output.from_input(arn)

    def _anomaly(
        self,
        budget_name: str,
        topic_arn: pulumi.Output[str],
        threshold: float,
        monitor_arn: str | None,
    ) -> None:
        if monitor_arn is None:
            monitor = self.child(
                "anomaly_monitor",
                aws.costexplorer.AnomalyMonitor,
                {
                    "name": budget_name,
                    "monitor_type": "DIMENSIONAL",
                    "monitor_dimension": "SERVICE",
                },
            )
            monitors: list[Any] = [monitor.arn]
        else:
            monitors = [monitor_arn]
        subscription = self.child(
            "anomaly_subscription",
            aws.costexplorer.AnomalySubscription,
            {
                "name": budget_name,
                # IMMEDIATE is the frequency that notifies SNS (DAILY/WEEKLY: email only).
                "frequency": "IMMEDIATE",
                "monitor_arn_lists": monitors,
                "subscribers": [{"type": "SNS", "address": topic_arn}],
                "threshold_expression": {
                    "dimension": {
                        "key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                        "match_options": ["GREATER_THAN_OR_EQUAL"],
                        "values": [f"{threshold:g}"],
                    }
                },
            },
        )
        self.anomaly_subscription_arn = subscription.arn


def _percent_item(a: ArgReader, field: str, value: Any) -> float:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not math.isfinite(value) or not 1 <= value <= 1000:
        raise a.fail(field, value, "expected percents between 1 and 1000")
    return float(value)
