"""Pull rights go to exactly the workloads that link a repository, on its ARN only, on the
identity that pulls on each platform; grant_pull / grant_push and the reference form."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from gridops_infra import (
    ContainerRepository,
    ContainerRepositoryReference,
    EksCluster,
    ExpressCluster,
    FargateCluster,
    Network,
    SingleServer,
    SqsWorkerQueue,
    StatelessService,
)
from gridops_infra.testing import Plan, preview

POLICY = "aws:iam/rolePolicy:RolePolicy"
DIGEST = "sha256:" + "ab" * 32
API_ARN = "arn:aws:ecr:us-east-1:123456789012:repository/api"
WORKER_ARN = "arn:aws:ecr:us-east-1:123456789012:repository/worker"
PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
PUSH = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:CompleteLayerUpload",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
]


def ecr_statements(plan: Plan, name: str) -> list[dict[str, Any]]:
    document = json.loads(plan.one(POLICY, name).inputs["policy"])
    return [s for s in document["Statement"] if any(a.startswith("ecr:") for a in s["Action"])]


def pull_scope(plan: Plan, name: str) -> dict[str, list[str]]:
    """Action -> resources of the ECR statements of one role policy."""
    out: dict[str, list[str]] = {}
    for statement in ecr_statements(plan, name):
        for action in statement["Action"]:
            out.setdefault(action, []).extend(statement["Resource"])
    return out


def linked_program(platform: str) -> Any:
    def program() -> None:
        api_repo = ContainerRepository("api")
        worker_repo = ContainerRepository("worker")
        net = Network("prod", {"az_count": 2})
        if platform == "fargate":
            cluster: Any = FargateCluster("prod", {"network": net})
        elif platform == "express":
            cluster = ExpressCluster("prod", {"network": net})
        else:
            cluster = SingleServer("mvp", {"network": net, "instance_type": "t4g.xlarge"})
        StatelessService(
            "api",
            {"platform": cluster, "image": api_repo.image(DIGEST), "links": [api_repo]},
        )
        SqsWorkerQueue(
            "jobs",
            {"platform": cluster, "image": worker_repo.image(DIGEST), "links": [worker_repo]},
        )
        # Runs a public image and links nothing: gets no ECR rights.
        routing = {} if platform == "express" else {"path_patterns": ["/admin/*"]}
        StatelessService(
            "admin", {"platform": cluster, "image": "ghcr.io/acme/admin:2.0", **routing}
        )

    return program


@pytest.mark.parametrize(
    ("platform", "api_policy", "worker_policy", "admin_policy"),
    [
        ("fargate", "api-execution-policy", "jobs-execution-policy", "admin-execution-policy"),
        ("express", "api-execution-policy", "jobs-execution-policy", "admin-execution-policy"),
        ("single-server", "api-host-policy", "jobs-host-policy", None),
    ],
)
def test_a_link_grants_pull_on_that_repository_only_to_the_identity_that_pulls(
    platform, api_policy, worker_policy, admin_policy
):
    plan = preview(linked_program(platform))
    for policy, arn in ((api_policy, API_ARN), (worker_policy, WORKER_ARN)):
        scope = pull_scope(plan, policy)
        assert scope == {"ecr:GetAuthorizationToken": ["*"], **{a: [arn] for a in PULL}}, policy
    if admin_policy:
        assert ecr_statements(plan, admin_policy) == []
    else:
        assert not [p for p in plan.of_type(POLICY) if p.name.startswith("admin")]
    # The workload's own role (task role) gets no registry rights from the link.
    for policy in plan.of_type(POLICY):
        if "task-policy" in policy.name:
            assert "ecr:" not in policy.inputs["policy"], policy.name


def test_on_eks_the_link_adds_nothing_since_the_node_role_pulls():
    def program() -> None:
        repo = ContainerRepository("api")
        cluster = EksCluster("prod", {"network": Network("prod", {"az_count": 2})})
        StatelessService("api", {"platform": cluster, "image": repo.image(DIGEST), "links": [repo]})

    plan = preview(program)
    pod_policies = [p for p in plan.of_type(POLICY) if p.name.startswith("api-")]
    assert all("ecr:" not in p.inputs["policy"] for p in pod_policies)
    node_policies = {
        a.inputs["policyArn"]
        for a in plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    }
    assert "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly" in node_policies


def test_grant_pull_and_grant_push_scope_to_the_repository_arn():
    def program() -> None:
        repo = ContainerRepository("api")
        role = aws.iam.Role("ci", assume_role_policy="{}")
        repo.grant_push(role)
        repo.grant_pull(role)

    plan = preview(program)
    assert pull_scope(plan, "api-push-ci") == {
        "ecr:GetAuthorizationToken": ["*"],
        **{a: [API_ARN] for a in PUSH},
    }
    assert pull_scope(plan, "api-pull-ci") == {
        "ecr:GetAuthorizationToken": ["*"],
        **{a: [API_ARN] for a in PULL},
    }
    push = plan.one(POLICY, "api-push-ci")
    assert push.inputs["name"] == "ecr-push-api"
    assert (
        plan.one(POLICY, "api-push-ci").parent
        == plan.one("gridops:aws:ContainerRepository", "api").urn
    )


def test_grant_refuses_what_is_not_a_role(preview_refusals):
    plan, errors = preview_refusals(
        lambda: ContainerRepository("api"),
        lambda repo, _i, case: repo.grant_push(case),
        ["arn:aws:iam::123456789012:role/ci"],
    )
    assert "expected an aws.iam.Role" in errors[0]
    assert not plan.of_type(POLICY)


def test_a_reference_links_and_grants_like_the_repository_it_names():
    url = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api"

    def program() -> None:
        repo = ContainerRepositoryReference("api", arn=API_ARN, repository_url=url)
        cluster = FargateCluster("prod", {"network": Network("prod", {"az_count": 2})})
        StatelessService("api", {"platform": cluster, "image": repo.image(DIGEST), "links": [repo]})
        repo.grant_push(aws.iam.Role("ci", assume_role_policy="{}"))

    plan = preview(program)
    assert pull_scope(plan, "api-execution-policy")["ecr:BatchGetImage"] == [API_ARN]
    assert pull_scope(plan, "api-push-ci")["ecr:PutImage"] == [API_ARN]
    assert not plan.of_type("aws:ecr/repository:Repository")
    (container,) = json.loads(
        plan.one("aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"]
    )
    assert container["image"] == f"{url}@{DIGEST}"


def test_a_reference_reads_the_registry_stacks_exports():
    registry = {"api_repository_arn": API_ARN, "api_repository_url": "u.example/api"}
    captured: dict[str, str] = {}

    def program() -> None:
        ref = pulumi.StackReference("organization/gridops/registry")
        repo = ContainerRepositoryReference.from_stack(ref, "api")
        repo.arn.apply(lambda v: captured.setdefault("arn", v))

    preview(program, stack_references={"organization/gridops/registry": registry})
    assert captured == {"arn": API_ARN}


def test_a_reference_refuses_missing_outputs():
    with pytest.raises(ValueError, match="repository_url=''"):
        ContainerRepositoryReference("api", arn=API_ARN, repository_url="")
