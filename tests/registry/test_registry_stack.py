"""The root project's `registry` stack previews, passes the policy pack, is priced and timed;
stages read it by StackReference and deploy its repositories by digest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gridops_infra import ContainerRepository
from gridops_infra.analysis.cost.estimate import estimate_cost
from gridops_infra.analysis.timing.estimate import estimate_timing
from gridops_infra.policy import check_plan
from gridops_infra.testing import Plan, preview
from stacks.config import StageConfigError

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = "organization/gridops/registry"
POLICY = "aws:iam/rolePolicy:RolePolicy"
API_DIGEST = "sha256:" + "1" * 64
WORKER_DIGEST = "sha256:" + "2" * 64
ACCOUNT_ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com"


@pytest.fixture(scope="module")
def registry_plan() -> Plan:
    return preview(ROOT, stack="registry")


def test_the_registry_stack_holds_two_repositories_and_the_deploy_role(registry_plan):
    names = {r.inputs["name"] for r in registry_plan.of_type("aws:ecr/repository:Repository")}
    assert names == {"api", "worker"}
    assert set(registry_plan.outputs) == {
        "api_repository_url",
        "api_repository_arn",
        "worker_repository_url",
        "worker_repository_arn",
        "deploy_role_arn",
    }
    assert registry_plan.outputs["api_repository_url"] == f"{ACCOUNT_ECR}/api"
    trust = json.loads(
        registry_plan.one("aws:iam/role:Role", "deploy-role").inputs["assumeRolePolicy"]
    )
    assert "repo:acme/shop:environment:production" in json.dumps(trust)


def test_the_deploy_role_pushes_to_exactly_those_repositories_and_manages_ecr(registry_plan):
    pushed = set()
    for policy in registry_plan.of_type(POLICY):
        if "-push-" not in policy.name:
            continue
        statements = json.loads(policy.inputs["policy"])["Statement"]
        (push,) = [s for s in statements if "ecr:PutImage" in s["Action"]]
        pushed.update(push["Resource"])
        assert policy.inputs["role"] == registry_plan.one("aws:iam/role:Role", "deploy-role").id
    assert pushed == {
        "arn:aws:ecr:us-east-1:123456789012:repository/api",
        "arn:aws:ecr:us-east-1:123456789012:repository/worker",
    }
    deploy = json.loads(registry_plan.one(POLICY, "deploy-policy").inputs["policy"])
    assert any("ecr:*" in s["Action"] for s in deploy["Statement"])


def test_the_registry_stack_passes_the_policy_pack(registry_plan):
    report = check_plan(registry_plan)
    assert report.passed, [v.message for v in report.mandatory_failures]
    assert report.advisories == []


def test_the_registry_stack_is_priced_and_timed(registry_plan):
    cost = estimate_cost(registry_plan)
    repos = [line for line in cost.lines if line.type == "aws:ecr/repository:Repository"]
    assert [line.monthly_usd for line in repos] == [0.5, 0.5]  # 5 GB x $0.10/GB-month
    assert cost.not_priced == []
    timing = estimate_timing(registry_plan)
    assert timing.untimed == {}
    assert timing.total_seconds > 0


def test_replication_is_priced_as_copies_and_enhanced_scanning_is_listed_as_not_priced():
    def program() -> None:
        ContainerRepository(
            "api",
            {
                "repository_name": "shop/api",
                "replica_regions": ["us-west-2", "eu-west-1"],
                "registry_filter_prefix": "shop/",
                "scanning": "enhanced-continuous",
            },
        )
        ContainerRepository("worker", {"repository_name": "shop/worker"})
        ContainerRepository("other")  # not replicated

    plan = preview(program)
    cost = estimate_cost(plan)
    (replicas,) = [line for line in cost.lines if line.name == "api-replication"]
    assert replicas.monthly_usd == pytest.approx(2 * 5 * 2 * 0.1)
    (scanning,) = cost.not_priced
    assert scanning.name == "api-scanning" and "Amazon Inspector" in scanning.reason
    assert estimate_timing(plan).untimed == {}


def fargate_with_registry(registry_plan: Plan, **config: str) -> Plan:
    settings = {
        "registry_stack": REGISTRY,
        "api_image_digest": API_DIGEST,
        "worker_image_digest": WORKER_DIGEST,
        "api_image": "",
        "worker_image": "",
        **config,
    }
    return preview(
        ROOT, stack="fargate", config=settings, stack_references={REGISTRY: registry_plan}
    )


def test_fargate_deploys_the_registry_repositories_by_digest_and_pulls_only_them(registry_plan):
    plan = fargate_with_registry(registry_plan)
    images = {}
    for task in plan.of_type("aws:ecs/taskDefinition:TaskDefinition"):
        for container in json.loads(task.inputs["containerDefinitions"]):
            images[container["name"]] = container["image"]
    assert images["api"] == f"{ACCOUNT_ECR}/api@{API_DIGEST}"
    assert images["jobs"] == f"{ACCOUNT_ECR}/worker@{WORKER_DIGEST}"
    for policy, repo in (("api-execution-policy", "api"), ("jobs-execution-policy", "worker")):
        statements = json.loads(plan.one(POLICY, policy).inputs["policy"])["Statement"]
        (pull,) = [s for s in statements if "ecr:BatchGetImage" in s["Action"]]
        assert pull["Resource"] == [f"arn:aws:ecr:us-east-1:123456789012:repository/{repo}"]
    report = check_plan(plan)
    assert report.passed, [v.message for v in report.mandatory_failures]


@pytest.mark.parametrize("stage", ["eks", "express", "single-server"])
def test_the_other_stages_read_the_registry_too(stage, registry_plan):
    config = {
        "registry_stack": REGISTRY,
        "api_image_digest": API_DIGEST,
        "worker_image_digest": WORKER_DIGEST,
        "api_image": "",
        "worker_image": "",
    }
    plan = preview(ROOT, stack=stage, config=config, stack_references={REGISTRY: registry_plan})
    assert f"{ACCOUNT_ECR}/api@{API_DIGEST}" in json.dumps(
        [r.inputs for r in plan.resources], default=str
    )
    assert check_plan(plan).passed


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            {
                "registry_stack": REGISTRY,
                "worker_image": "",
                "api_image_digest": API_DIGEST,
                "worker_image_digest": WORKER_DIGEST,
            },
            "gridops:api_image and gridops:registry_stack are both set",
        ),
        (
            {
                "registry_stack": REGISTRY,
                "api_image": "",
                "worker_image": "",
                "worker_image_digest": WORKER_DIGEST,
            },
            "missing required config key gridops:api_image_digest",
        ),
        (
            {
                "registry_stack": REGISTRY,
                "api_image": "",
                "worker_image": "",
                "api_image_digest": "1.4.2",
                "worker_image_digest": WORKER_DIGEST,
            },
            "expected sha256: and 64",
        ),
    ],
)
def test_registry_keys_that_cannot_work_are_refused(config, expected, registry_plan):
    with pytest.raises(StageConfigError, match=expected):
        preview(ROOT, stack="fargate", config=config, stack_references={REGISTRY: registry_plan})
