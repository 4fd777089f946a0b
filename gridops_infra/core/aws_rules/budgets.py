"""AWS Budgets and AWS Cost Explorer (cost anomaly detection): what CreateBudget,
CreateNotification and CreateAnomalySubscription refuse, and what keeps their notifications
from arriving."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

BUDGETS_PRINCIPAL = "budgets.amazonaws.com"
COST_ALERTS_PRINCIPAL = "costalerts.amazonaws.com"
"""The service principals of AWS Budgets and Cost Anomaly Detection (who publishes to the
topics they notify)."""

BUDGET_NAME = aws_rule(
    id="budgets-budget-name",
    service="AWS Budgets",
    rule="A budget name has 1 to 100 characters, without ':' or '\\' and without the "
    "substring '/action/', and is unique in the account.",
    source="https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html",
    fix="Give the budget a shorter name without ':', '\\' or '/action/' (StackBudget names it "
    "<project>-<stack>-<component name>).",
)

NOTIFICATIONS_PER_BUDGET = aws_rule(
    id="budgets-notifications-per-budget",
    service="AWS Budgets",
    rule="A budget has at most ten notifications.",
    source="https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Notification.html",
    fix="Alert at ten thresholds or fewer (actual and forecasted thresholds together).",
)

NOTIFICATION_SUBSCRIBERS = aws_rule(
    id="budgets-notification-subscribers",
    service="AWS Budgets",
    rule="A budget notification has 1 to 11 subscribers: at most one SNS topic and at most "
    "ten email addresses.",
    source="https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_NotificationWithSubscribers.html",
    fix="Notify one SNS topic and at most ten email addresses; subscribe further addresses to "
    "the topic instead.",
)

SNS_PUBLISH_PERMISSION = aws_rule(
    id="budgets-sns-topic-policy",
    service="AWS Budgets",
    rule="AWS Budgets publishes to an SNS topic only when the topic's policy lets the "
    "budgets.amazonaws.com service principal call SNS:Publish on it.",
    source="https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html",
    fix="Give the topic a policy allowing budgets.amazonaws.com to publish (scoped with "
    "aws:SourceAccount and aws:SourceArn), e.g. notify an ObservabilityStack's or a "
    "SingleServer's topic through StackBudget, which carry it.",
)

ANOMALY_SUBSCRIBER_CHANNEL = aws_rule(
    id="ce-anomaly-subscription-channel",
    service="AWS Cost Explorer",
    rule="A cost anomaly subscription with frequency IMMEDIATE notifies SNS topics only; "
    "DAILY and WEEKLY subscriptions notify email addresses only.",
    source="https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_AnomalySubscription.html",
    fix="Use frequency IMMEDIATE with an SNS subscriber (StackBudget does), or DAILY/WEEKLY "
    "with email subscribers.",
)
