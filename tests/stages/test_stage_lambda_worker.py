"""`gridops:worker_platform: lambda` runs a managed stage's queue worker as a Lambda
function from the same image: the stage previews and passes every mandatory rule, the
worker's ECS service is gone, and a non-ECR image or an unknown value is refused."""

from __future__ import annotations

import pytest

from gridops_infra.policy import check_plan
from gridops_infra.testing import preview
from stacks.config import StageConfigError
from tests.stage_plans import ROOT

ECR_WORKER = "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/worker:1.4.2"


@pytest.fixture(scope="module")
def plan():
    return preview(
        ROOT, stack="fargate", config={"worker_platform": "lambda", "worker_image": ECR_WORKER}
    )


def test_the_fargate_stage_runs_its_worker_on_lambda_and_passes_every_mandatory_rule(plan):
    function = plan.one("aws:lambda/function:Function")
    assert function.inputs["imageUri"] == ECR_WORKER
    mapping = plan.one("aws:lambda/eventSourceMapping:EventSourceMapping")
    assert mapping.inputs["scalingConfig"] == {"maximumConcurrency": 20}  # worker_max_count
    services = [r.name for r in plan.of_type("aws:ecs/service:Service")]
    assert not [name for name in services if name.startswith("jobs")]
    assert [r.name for r in plan.resources if r.type == "gridops:aws:LambdaPlatform"] == ["workers"]
    report = check_plan(plan)
    assert report.passed, [v.message for v in report.mandatory_failures]


def test_a_worker_image_outside_ecr_is_refused_naming_it():
    with pytest.raises(
        ValueError, match=r"jobs': image: 'ghcr.io/acme/worker:1.4.2@sha256:[0-9a-f]{64}' .*ECR"
    ):
        preview(ROOT, stack="fargate", config={"worker_platform": "lambda"})


def test_an_unknown_worker_platform_is_refused():
    with pytest.raises(StageConfigError, match="gridops:worker_platform='batch'"):
        preview(ROOT, stack="fargate", config={"worker_platform": "batch"})


def test_the_single_server_stage_does_not_read_it():
    with pytest.raises(
        StageConfigError, match="worker_platform is not read by stage single-server"
    ):
        preview(ROOT, stack="single-server", config={"worker_platform": "lambda"})
