"""AWS Budgets and Cost Anomaly Detection: what AWS refuses (`core/aws_rules/budgets.py`),
a budget on every production stack, and a budget limit no lower than the stack's own cost
estimate (computed from the Plan being checked)."""

from __future__ import annotations

from typing import Any

from gridops_infra.budgets.notifications import (
    MAX_EMAIL_SUBSCRIBERS,
    MAX_NOTIFICATIONS,
    budget_name_problem,
)
from gridops_infra.core.aws_rules import budgets
from gridops_infra.core.aws_rules.budgets import BUDGETS_PRINCIPAL
from gridops_infra.policy._props import as_list, get, number, of_type, parse_json, peek
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, stack_rule

BUDGET = "aws:budgets/budget:Budget"
ANOMALY_SUBSCRIPTION = "aws:costexplorer/anomalySubscription:AnomalySubscription"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
PRODUCTION = "production"


@resource_rule(
    name="budgets-budget-name",
    description="A budget name has 1..100 characters without ':', '\\' or '/action/'.",
    severity=MANDATORY,
    remediation=budgets.BUDGET_NAME.fix,
    types=(BUDGET,),
    aws_rule=budgets.BUDGET_NAME.id,
)
def budget_name(args: Any, report: ReportViolation) -> None:
    name = peek(args.props, "name")
    if isinstance(name, str):
        problem = budget_name_problem(name)
        if problem:
            report(f"budget name {name!r}: {problem}.")


@resource_rule(
    name="budgets-notifications-per-budget",
    description="A budget has at most ten notifications.",
    severity=MANDATORY,
    remediation=budgets.NOTIFICATIONS_PER_BUDGET.fix,
    types=(BUDGET,),
    aws_rule=budgets.NOTIFICATIONS_PER_BUDGET.id,
)
def notifications_per_budget(args: Any, report: ReportViolation) -> None:
    count = len(as_list(get(args.props, "notifications")))
    if count > MAX_NOTIFICATIONS:
        report(f"{count} notifications (at most {MAX_NOTIFICATIONS}).")


@resource_rule(
    name="budgets-notification-subscribers",
    description="Each budget notification has 1..11 subscribers: at most one SNS topic and "
    "ten email addresses.",
    severity=MANDATORY,
    remediation=budgets.NOTIFICATION_SUBSCRIBERS.fix,
    types=(BUDGET,),
    aws_rule=budgets.NOTIFICATION_SUBSCRIBERS.id,
)
def notification_subscribers(args: Any, report: ReportViolation) -> None:
    for i, notification in enumerate(as_list(get(args.props, "notifications"))):
        topics = len(as_list(get(notification, "subscriberSnsTopicArns")))
        emails = len(as_list(get(notification, "subscriberEmailAddresses")))
        if topics + emails == 0:
            report(f"notification {i} has no subscriber.")
        elif topics > 1 or emails > MAX_EMAIL_SUBSCRIBERS:
            report(
                f"notification {i} has {topics} SNS topics and {emails} email addresses "
                f"(at most 1 and {MAX_EMAIL_SUBSCRIBERS})."
            )


def _allows_budgets(policy: Any) -> bool:
    document = parse_json(policy)
    for statement in as_list(get(document, "Statement")) if document else []:
        if get(statement, "Effect") != "Allow":
            continue
        principals = as_list(get(statement, "Principal", "Service"))
        actions = {str(a).lower() for a in as_list(get(statement, "Action"))}
        if BUDGETS_PRINCIPAL in principals and actions & {"sns:publish", "sns:*", "*"}:
            return True
    return False


@stack_rule(
    name="budgets-sns-topic-policy",
    description="A budget notifying an SNS topic of this stack notifies one whose policy lets "
    "budgets.amazonaws.com publish.",
    severity=MANDATORY,
    remediation=budgets.SNS_PUBLISH_PERMISSION.fix,
    types=(BUDGET, TOPIC, TOPIC_POLICY),
    aws_rule=budgets.SNS_PUBLISH_PERMISSION.id,
)
def budget_sns_topic_policy(args: Any, report: ReportViolation) -> None:
    """Topics outside the stack are not seen (their policy is not in the Plan)."""
    ours = {peek(t.props, "arn") for t in of_type(args.resources, TOPIC)}
    allowed = {
        peek(p.props, "arn")
        for p in of_type(args.resources, TOPIC_POLICY)
        if _allows_budgets(peek(p.props, "policy"))
    }
    for budget in of_type(args.resources, BUDGET):
        for notification in as_list(peek(budget.props, "notifications")):
            for arn in as_list(peek(notification, "subscriberSnsTopicArns")):
                if isinstance(arn, str) and arn in ours and arn not in allowed:
                    report(
                        f"{budget.name} notifies {arn}, whose policy does not let "
                        f"{BUDGETS_PRINCIPAL} publish: the notifications would be dropped.",
                        budget.urn,
                    )


@resource_rule(
    name="ce-anomaly-subscription-channel",
    description="An IMMEDIATE cost anomaly subscription notifies SNS topics only; DAILY and "
    "WEEKLY ones notify email addresses only.",
    severity=MANDATORY,
    remediation=budgets.ANOMALY_SUBSCRIBER_CHANNEL.fix,
    types=(ANOMALY_SUBSCRIPTION,),
    aws_rule=budgets.ANOMALY_SUBSCRIBER_CHANNEL.id,
)
def anomaly_subscription_channel(args: Any, report: ReportViolation) -> None:
    frequency = get(args.props, "frequency")
    wanted = "SNS" if frequency == "IMMEDIATE" else "EMAIL"
    for subscriber in as_list(get(args.props, "subscribers")):
        kind = get(subscriber, "type")
        if kind != wanted:
            report(f"a {frequency} subscription with a {kind} subscriber ({wanted} only).")


def _environment(resource: Any) -> Any:
    for key in ("tags", "tagsAll"):
        value = peek(resource.props, key, "environment")
        if isinstance(value, str):
            return value
    return None


@stack_rule(
    name="budget-on-production",
    description="A stack whose resources are tagged environment=production, and which costs "
    "money by `gridops cost`'s estimate, has an AWS Budget (a StackBudget), so a cost that "
    "runs away reaches a person before the invoice does. A stack of free resources (IAM "
    "roles, say) has nothing to budget.",
    severity=MANDATORY,
    remediation="Add a StackBudget at the stack's estimate (stages: `gridops cost <stage> "
    "--set-budget` writes gridops:monthly_estimate_usd, which they turn into a budget).",
    types=(BUDGET,),
)
def budget_on_production(args: Any, report: ReportViolation) -> None:
    if of_type(args.resources, BUDGET):
        return
    production = [r for r in args.resources if _environment(r) == PRODUCTION]
    if not production:
        return
    estimate = _estimate(args.resources)
    if estimate > 0:
        report(
            f"{len(production)} resources are tagged environment=production (e.g. "
            f"{production[0].name}), the stack is estimated at ${estimate:,.2f} a month, "
            "and it has no AWS Budget.",
            production[0].urn,
        )


def _estimate(resources: Any) -> float:
    """`gridops cost`'s monthly total of the Plan the policy engine was given."""
    from gridops_infra.analysis.cost.estimate import estimate_cost  # the price table
    from gridops_infra.policy._plan import plan_from_stack

    return estimate_cost(plan_from_stack(resources)).total


@stack_rule(
    name="budget-below-estimate",
    description="A monthly COST budget's limit is no lower than the monthly cost the Plan "
    "itself is estimated at (`gridops cost`'s total); a lower one alerts every month.",
    severity=MANDATORY,
    remediation="Refresh the estimate the limit comes from: `gridops cost <stage> "
    "--set-budget` (or give StackBudget the new `gridops cost` total).",
    types=(BUDGET,),
)
def budget_below_estimate(args: Any, report: ReportViolation) -> None:
    """Budgets whose cost filters narrow what they count are skipped: the estimate covers
    the whole stack."""
    monthly = [
        b
        for b in of_type(args.resources, BUDGET)
        if peek(b.props, "budgetType") == "COST"
        and peek(b.props, "timeUnit") == "MONTHLY"
        and peek(b.props, "limitUnit") == "USD"
        and not as_list(peek(b.props, "costFilters"))
    ]
    if not monthly:
        return
    estimate = _estimate(args.resources)
    for budget in monthly:
        limit = number(peek(budget.props, "limitAmount"))
        if limit is not None and limit < estimate:
            report(
                f"{budget.name}: limit ${limit:,.2f} a month is below this Plan's estimate "
                f"${estimate:,.2f}: the budget would alert every month.",
                budget.urn,
            )
