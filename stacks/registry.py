"""The registry stack: the ECR repositories `api` and `worker` the stages deploy from, and
the GitHub deploy role that pushes to exactly those repositories and runs `pulumi up`.

It owns no stage. Stages read its exports by StackReference (`gridops:registry_stack`) and
run `<repository url>@<digest>` (`gridops:api_image_digest`, `gridops:worker_image_digest`).
Keys: stacks/README.md (stack `registry`). Its first `pulumi up` is yours (the deploy role
does not exist yet); later ones can run from the repository's workflow.
"""

from __future__ import annotations

import pulumi

from gridops_infra import ContainerRepository, GithubDeployRole

from .config import StageConfig


def build(cfg: StageConfig) -> None:
    repositories = {name: ContainerRepository(name) for name in ("api", "worker")}
    deploy = GithubDeployRole(
        "deploy",
        {
            "repository": cfg.require_str("github_repository"),
            "environment": cfg.text("github_environment", "production"),
        },
    )
    role = deploy.nodes["role"]
    for name, repository in repositories.items():
        repository.grant_push(role)  # type: ignore[arg-type]
        pulumi.export(f"{name}_repository_url", repository.repository_url)
        pulumi.export(f"{name}_repository_arn", repository.arn)
    pulumi.export("deploy_role_arn", deploy.role_arn)
