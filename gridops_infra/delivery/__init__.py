"""Delivery: how changes reach AWS (GitHub Actions with OIDC, no long-lived keys)."""

from .argocd import ArgoCdGitOps, ArgoCdGitOpsArgs
from .github import DEPLOY_SERVICES, GithubDeployRole, GithubDeployRoleArgs

__all__ = [
    "DEPLOY_SERVICES",
    "ArgoCdGitOps",
    "ArgoCdGitOpsArgs",
    "GithubDeployRole",
    "GithubDeployRoleArgs",
]
