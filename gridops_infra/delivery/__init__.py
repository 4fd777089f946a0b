"""Delivery: how changes reach AWS (GitHub Actions with OIDC, no long-lived keys).

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from ..core.lazy import lazy_exports

if TYPE_CHECKING:
    from .argocd import ArgoCdGitOps, ArgoCdGitOpsArgs
    from .github import DEPLOY_SERVICES, GithubDeployRole, GithubDeployRoleArgs

_EXPORTS = {
    "DEPLOY_SERVICES": ".github",
    "ArgoCdGitOps": ".argocd",
    "ArgoCdGitOpsArgs": ".argocd",
    "GithubDeployRole": ".github",
    "GithubDeployRoleArgs": ".github",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "DEPLOY_SERVICES",
    "ArgoCdGitOps",
    "ArgoCdGitOpsArgs",
    "GithubDeployRole",
    "GithubDeployRoleArgs",
]
