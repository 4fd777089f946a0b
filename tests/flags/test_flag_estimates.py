"""What flags cost and how long they take: AppConfig bills the agents' polls and the
configurations they receive; a flag deployment is done only after its strategy's rollout
and final bake, which the deploy time counts."""

from __future__ import annotations

import pytest

from gridops_infra import FeatureFlags
from gridops_infra.analysis import estimate_timing
from gridops_infra.analysis.cost.estimate import estimate_cost
from gridops_infra.analysis.cost.prices import load_prices
from gridops_infra.testing import Plan, preview
from tests.flags.test_feature_flags import FLAGS, fargate_plan

MONTH_SECONDS = 30 * 24 * 3600
PRICES = load_prices()


@pytest.fixture(scope="module")
def plan() -> Plan:
    return fargate_plan()


def test_the_environment_is_priced_per_poll_and_per_received_configuration(plan):
    usage = {"appconfig_agents": 4, "appconfig_changes": 5}
    line = estimate_cost(plan, usage=usage).line("flags-environment")
    polls = 4 * MONTH_SECONDS / 45 / 1e6 * PRICES.rate("appconfig", "requests_million")
    received = 4 * 5 * PRICES.rate("appconfig", "configurations_received")
    assert PRICES.rate("appconfig", "requests_million") == 0.2
    assert PRICES.rate("appconfig", "configurations_received") == 0.0008
    assert line.monthly_usd == pytest.approx(polls + received)
    assert line.usage_usd == line.monthly_usd


def test_the_other_appconfig_resources_cost_nothing(plan):
    report = estimate_cost(plan)
    priced = {line.type for line in report.lines if line.type.startswith("aws:appconfig/")}
    assert priced == {"aws:appconfig/environment:Environment"}
    assert not [u for u in report.not_priced if u.type.startswith("aws:appconfig/")]
    free = {f[0] for f in report.free if f[0].startswith("aws:appconfig/")}
    assert len(free) == 5


def test_the_deploy_time_counts_the_rollout_and_the_final_bake(plan):
    report = estimate_timing(plan)
    step = next(s for s in report.path if s.name == "flags-deployment")
    assert step.seconds == pytest.approx(2 + (10 + 10) * 60)
    assert "10 min rollout + 10 min final bake" in (step.rule or "")
    assert report.floor_resource is not None and report.floor_resource.name == "flags-deployment"


def test_a_longer_strategy_is_a_longer_deploy_and_unlinked_flags_deploy_nothing():
    def program(strategy: dict) -> Plan:
        def run() -> None:
            FeatureFlags("solo", {"flags": FLAGS, "strategy": strategy})

        return preview(run)

    unlinked = estimate_timing(program({"deployment_minutes": 30, "final_bake_minutes": 15}))
    assert not [s for s in unlinked.path if s.type == "aws:appconfig/deployment:Deployment"]
    assert unlinked.total_seconds < 60
    longer = estimate_timing(
        fargate_plan(FLAGS, strategy={"deployment_minutes": 30, "final_bake_minutes": 15})
    )
    step = next(s for s in longer.path if s.name == "flags-deployment")
    assert step.seconds == pytest.approx(2 + 45 * 60)
