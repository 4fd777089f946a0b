"""`gridops:capacity` on the fargate stage: Fargate by default, ECS Managed Instances on
request, with the same app, no mandatory violation, its instances priced and its first
deploy timed; a value FargateCluster does not know is refused before anything registers."""

from __future__ import annotations

import pytest

from gridops_infra.analysis import estimate_cost, estimate_timing
from gridops_infra.analysis.graph import PlanIndex
from gridops_infra.analysis.timing.rules import create_estimate
from gridops_infra.policy.engine import check_plan
from gridops_infra.testing import Plan, preview
from tests.stage_plans import ROOT, stage_plan

PROVIDER = "aws:ecs/capacityProvider:CapacityProvider"


@pytest.fixture(scope="module")
def managed() -> Plan:
    return preview(ROOT, stack="fargate", config={"capacity": "managed-instances"})


def test_the_default_stage_stays_on_fargate() -> None:
    plan = stage_plan("fargate")
    assert plan.of_type(PROVIDER) == []
    for task in plan.of_type("aws:ecs/taskDefinition:TaskDefinition"):
        assert task.inputs["requiresCompatibilities"] == ["FARGATE"]


def test_the_stage_runs_the_same_app_on_managed_instances(managed: Plan) -> None:
    (provider,) = managed.of_type(PROVIDER)
    services = managed.of_type("aws:ecs/service:Service")
    assert len(services) == len(stage_plan("fargate").of_type("aws:ecs/service:Service"))
    for service in services:
        strategy = service.inputs["capacityProviderStrategies"]
        assert [s["capacityProvider"] for s in strategy] == [provider.outputs["name"]]
    for task in managed.of_type("aws:ecs/taskDefinition:TaskDefinition"):
        assert task.inputs["requiresCompatibilities"] == ["MANAGED_INSTANCES"]
    report = check_plan(managed)
    assert [v for v in report.violations if v.severity == "mandatory"] == []


def test_cost_and_timing_cover_the_instances(managed: Plan) -> None:
    (line,) = [ln for ln in estimate_cost(managed).lines if ln.type == PROVIDER]
    assert line.monthly_usd > 0 and "m8g" in line.formula
    # The database, not the services, sets the stage's critical path: the total holds,
    # while each service's first steady state now waits for an instance.
    fargate = stage_plan("fargate")
    assert estimate_timing(managed).total_seconds == estimate_timing(fargate).total_seconds

    def api_service(plan: Plan) -> float:
        (service,) = [r for r in plan.resources if r.name == "api-service"]
        return create_estimate(service, PlanIndex(plan)).p90

    assert api_service(managed) == api_service(fargate) + 150


def test_an_unknown_capacity_is_refused() -> None:
    with pytest.raises(ValueError, match="capacity='ec2' is not allowed"):
        preview(ROOT, stack="fargate", config={"capacity": "ec2"})
