"""The budget policy rules: a production stack has a budget (budget-on-production), and a
budget's limit is no lower than the estimate the policy computes from the Plan itself
(budget-below-estimate), which matches `gridops cost` exactly."""

from __future__ import annotations

import pytest

from gridops_infra import (
    ManagedPostgresWithReplicas,
    Network,
    ObservabilityStack,
    StackBudget,
)
from gridops_infra.analysis import estimate_cost
from gridops_infra.policy import MANDATORY, check_plan
from gridops_infra.policy._plan import plan_from_stack
from gridops_infra.policy.engine import stack_resources
from gridops_infra.testing import preview
from tests.stage_plans import ROOT, stage_plan

STAGES = ("single-server", "express", "fargate", "eks")
LIMITS = {"single-server": "66.00", "express": "335.00", "fargate": "1406.00", "eks": "1626.00"}


def _program(tags: dict[str, str], estimate: float | None):
    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single", "tags": tags})
        db = ManagedPostgresWithReplicas("db", {"network": net, "replicas": 1, "tags": tags})
        obs = ObservabilityStack("obs", {"resources": [db], "alert_emails": ["o@acme.io"]})
        if estimate is not None:
            StackBudget("budget", {"monthly_estimate_usd": estimate, "alert_topic": obs})

    return run


def test_a_production_stack_without_a_budget_is_a_mandatory_violation() -> None:
    found = check_plan(preview(_program({"environment": "production"}, None)))
    (violation,) = found.of_rule("budget-on-production")
    assert violation.severity == MANDATORY
    assert "environment=production" in violation.message


@pytest.mark.parametrize(
    ("tags", "estimate"),
    [({"environment": "production"}, 2000.0), ({"environment": "staging"}, None), ({}, None)],
)
def test_a_budget_or_another_environment_passes(tags, estimate) -> None:
    assert check_plan(preview(_program(tags, estimate))).of_rule("budget-on-production") == []


def test_the_rebuilt_plan_prices_like_gridops_cost() -> None:
    """The rule sees only what pulumi-policy hands it; priced, that is the Plan's estimate."""
    plan = stage_plan("fargate")
    rebuilt = plan_from_stack(stack_resources(plan))
    assert round(estimate_cost(rebuilt).total, 2) == round(estimate_cost(plan).total, 2)


def test_a_limit_below_the_plans_estimate_is_a_mandatory_violation() -> None:
    plan = preview(_program({}, 1.0))
    estimate = estimate_cost(plan).total
    (violation,) = check_plan(plan).of_rule("budget-below-estimate")
    assert violation.severity == MANDATORY and violation.resource_name == "budget-budget"
    assert f"${estimate:,.2f}" in violation.message and "$2.00" in violation.message


def test_a_limit_at_the_estimate_passes() -> None:
    plan = preview(_program({}, 1.0))
    estimate = estimate_cost(plan).total
    assert check_plan(preview(_program({}, estimate))).of_rule("budget-below-estimate") == []


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_carries_a_budget_at_its_estimate_plus_20_percent(stage) -> None:
    plan = stage_plan(stage)
    budget = plan.one("aws:budgets/budget:Budget")
    assert budget.inputs["limitAmount"] == LIMITS[stage]
    written = (ROOT / "stacks" / f"Pulumi.{stage}.yaml").read_text()
    estimate = round(estimate_cost(plan).total, 2)
    assert f'gridops:monthly_estimate_usd: "{estimate:.2f}"' in written, (
        f"stacks/Pulumi.{stage}.yaml's estimate is stale: run gridops cost {stage} --set-budget"
    )
    report = check_plan(plan)
    assert report.of_rule("budget-below-estimate") == []
    assert report.of_rule("budgets-sns-topic-policy") == []
