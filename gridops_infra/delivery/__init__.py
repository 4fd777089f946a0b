"""Delivery: how changes reach AWS (GitHub Actions with OIDC, no long-lived keys)."""

from .github import DEPLOY_SERVICES, GithubDeployRole, GithubDeployRoleArgs

__all__ = ["DEPLOY_SERVICES", "GithubDeployRole", "GithubDeployRoleArgs"]
