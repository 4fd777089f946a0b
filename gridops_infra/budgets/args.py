"""StackBudgetArgs: the arguments users write, each field with its default and an example."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from gridops_infra.core.component import Transform

BudgetScope = Literal["account", "stage-tag"]


class StackBudgetArgs(TypedDict, total=False):
    monthly_estimate_usd: float
    """What the stack is estimated to cost a month, US dollars: `gridops cost <stack>`'s
    total (`gridops cost <stack> --set-budget` writes it into the stack file as
    `gridops:monthly_estimate_usd`). The budget's limit is this plus `headroom_percent`,
    rounded up to a whole dollar. Allowed: more than 0.

    Required.
    Example: ``1171.30``"""
    headroom_percent: float
    """How far above the estimate the limit sits, percent: real traffic is not the
    estimate's, and a budget that alerts every month is one nobody reads. Allowed: 0..500.

    Default: 20.
    Example: ``30``"""
    alert_topic: Any
    """Where the alerts go: an ObservabilityStack (its ticket topic) or a SingleServer (its
    alarm topic), whose topic key and policy let AWS Budgets and Cost Anomaly Detection
    publish. Anything else is refused: AWS Budgets silently drops notifications to a topic
    it may not publish to.

    Required.
    Example: ``obs  # an ObservabilityStack``"""
    actual_alert_percents: list[float]
    """Alert when the month's actual spend passes these shares of the limit, percent.
    Allowed: 1..1000 each, no repeats; with `forecast_alert_percent`, at most 10 alerts
    (AWS Budgets' limit per budget).

    Default: `[80, 100, 120]`.
    Example: ``[50, 80, 100]``"""
    forecast_alert_percent: float | None
    """Alert when AWS forecasts the month's spend past this share of the limit, percent
    (a warning days before the actual alert); None for no forecast alert. Allowed: 1..1000.

    Default: 100.
    Example: ``None``"""
    alert_emails: list[str]
    """Email addresses notified directly as well as the topic (AWS Budgets allows ten per
    alert).

    Default: none (the topic only).
    Example: ``["finance@acme.io"]``"""
    scope: BudgetScope
    """Which costs the budget counts: `"account"`, the whole account's (right for one stack
    per account, AWS's recommended layout), or `"stage-tag"`, only costs tagged
    `gridops:stage=<stage>` (every gridops component tags its resources so; activate it as a
    cost allocation tag in the Billing console first, or the budget counts nothing). Costs
    AWS does not tag (some data transfer, support) are outside a `"stage-tag"` budget.

    Default: `"account"`.
    Example: ``"stage-tag"``"""
    anomaly_detection: bool
    """Also create a Cost Anomaly Detection monitor (AWS services, DIMENSIONAL SERVICE) and an
    IMMEDIATE subscription notifying `alert_topic` of anomalies whose impact passes
    `anomaly_threshold_usd`. Monitors are account-wide: an account usually keeps one AWS
    services monitor, so pass `anomaly_monitor_arn` when it already has one.

    Default: false.
    Example: ``True``"""
    anomaly_threshold_usd: float
    """With `anomaly_detection`: alert on anomalies whose total impact is at least this many
    US dollars. Allowed: more than 0.

    Default: 100.
    Example: ``50``"""
    anomaly_monitor_arn: str
    """With `anomaly_detection`: an existing anomaly monitor to subscribe to instead of
    creating one.

    Default: none (a monitor is created).
    Example: ``"arn:aws:ce::123456789012:anomalymonitor/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"``"""
    tags: dict[str, str]
    """Tags on the budget and the anomaly monitor and subscription.

    Default: none.
    Example: ``{"team": "platform"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch: budget, anomaly_monitor, anomaly_subscription.

    Default: none.
    Example: ``{"budget": {"time_period_start": "2026-01-01_00:00"}}``"""
