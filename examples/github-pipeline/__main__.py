"""The AWS side of the pipeline templates (templates/github, templates/gitlab): one deploy
role per environment, assumed through OIDC by the jobs of that environment only, with no
stored keys. Run one stack per environment (`staging`, `production`); put each stack's
`role_arn` in that environment's AWS_DEPLOY_ROLE_ARN variable.

`ci_host: gitlab` makes the same role for GitLab CI (GitlabDeployRole), trusting the
project's protected default branch instead of a GitHub environment."""

import pulumi

from gridops_infra import GithubDeployRole, GitlabDeployRole

config = pulumi.Config()
environment = config.get("environment") or pulumi.get_stack()
ci_host = config.get("ci_host") or "github"
# The roles' IAM rights reach only roles and policies named like the app's components.
shared = {
    "services": ["network", "fargate", "data", "edge", "queue", "observability"],
    "name_prefixes": ["shop-", "api-", "jobs-", "db-", "cache-", "web-", "obs-"],
    "tags": {"environment": environment},
}
provider_arn = config.get("oidc_provider_arn")
if provider_arn:
    shared["oidc_provider_arn"] = provider_arn

if ci_host == "github":
    role = GithubDeployRole(
        f"{environment}-deploy",
        {
            "repository": config.get("repository") or "acme/shop",
            "environment": environment,
            **shared,
        },
    )
elif ci_host == "gitlab":
    role = GitlabDeployRole(
        f"{environment}-deploy",
        {
            "project_path": config.get("project_path") or "acme/shop",
            "ref": config.get("branch") or "main",
            "gitlab_url": config.get("gitlab_url") or "https://gitlab.com",
            **shared,
        },
    )
else:
    raise ValueError(f"github-pipeline:ci_host is {ci_host!r}; allowed: 'github', 'gitlab'")

pulumi.export("environment", environment)
pulumi.export("role_arn", role.role_arn)  # -> the environment's AWS_DEPLOY_ROLE_ARN
pulumi.export("trusted_subject", role.subject)
