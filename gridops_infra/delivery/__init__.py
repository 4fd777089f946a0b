"""Delivery: how changes reach AWS (GitHub Actions or GitLab CI with OIDC, no long-lived
keys) and the cluster (GitOps with Argo CD or Flux).

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from gridops_infra.core.lazy import lazy_exports

if TYPE_CHECKING:
    from gridops_infra.delivery.argocd import ArgoCdGitOps, ArgoCdGitOpsArgs
    from gridops_infra.delivery.flux import FluxGitOps, FluxGitOpsArgs
    from gridops_infra.delivery.github import (
        DEPLOY_SERVICES,
        GithubDeployRole,
        GithubDeployRoleArgs,
    )
    from gridops_infra.delivery.gitlab import GitlabDeployRole, GitlabDeployRoleArgs

_EXPORTS = {
    "DEPLOY_SERVICES": "gridops_infra.delivery.github",
    "ArgoCdGitOps": "gridops_infra.delivery.argocd",
    "ArgoCdGitOpsArgs": "gridops_infra.delivery.argocd",
    "FluxGitOps": "gridops_infra.delivery.flux",
    "FluxGitOpsArgs": "gridops_infra.delivery.flux",
    "GithubDeployRole": "gridops_infra.delivery.github",
    "GithubDeployRoleArgs": "gridops_infra.delivery.github",
    "GitlabDeployRole": "gridops_infra.delivery.gitlab",
    "GitlabDeployRoleArgs": "gridops_infra.delivery.gitlab",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "DEPLOY_SERVICES",
    "ArgoCdGitOps",
    "ArgoCdGitOpsArgs",
    "FluxGitOps",
    "FluxGitOpsArgs",
    "GithubDeployRole",
    "GithubDeployRoleArgs",
    "GitlabDeployRole",
    "GitlabDeployRoleArgs",
]
