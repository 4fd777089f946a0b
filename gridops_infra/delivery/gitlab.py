"""GitlabDeployRole: GitLab CI/CD deploys with short-lived OIDC credentials (`id_tokens`),
no keys; gitlab.com or a self-managed instance."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pulumi

from gridops_infra.core.aws_rules.iam import OIDC_CLIENT_IDS, OIDC_PROVIDER_URL, OIDC_THUMBPRINTS
from gridops_infra.core.validation import ArgReader, check_name
from gridops_infra.delivery.args import GitlabDeployRoleArgs
from gridops_infra.delivery.oidc_role import OidcDeployRole, OidcTrust, read_deploy_permissions

GITLAB_COM = "https://gitlab.com"
# GitLab paths: letters, digits, `_`, `-`, `.`; a group, optional subgroups, the project.
PROJECT_PATH = r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)+"
REF = r"[A-Za-z0-9._/-]{1,255}"
THUMBPRINT = re.compile(r"[0-9A-Fa-f]{40}")
MAX_CLIENT_ID = 255
MAX_THUMBPRINTS = 5


def issuer_url(where: str, url: str) -> str:
    """The provider URL IAM accepts: https, a host, an optional path, no query, fragment or
    port; without the trailing slash (GitLab's `iss` has none)."""
    parts = urlsplit(url)
    problem = None
    if parts.scheme != "https" or not parts.hostname:
        problem = "it does not begin with https:// and a host"
    elif parts.query or parts.fragment:
        problem = "it has a query or fragment"
    elif parts.port is not None or parts.username or parts.password:
        problem = "it names a port or credentials"
    elif not re.fullmatch(r"[a-z0-9.-]+", parts.hostname):
        problem = "its host is not a DNS name"
    if problem:
        raise OIDC_PROVIDER_URL.refuse(where, "gitlab_url", f"{url!r}: {problem}")
    return url.rstrip("/")


class GitlabDeployRole(OidcDeployRole):
    """An IAM role that GitLab CI/CD jobs of one project and one protected branch (or tag)
    assume through OIDC (`id_tokens` + `aws sts assume-role-with-web-identity`) to run
    `pulumi up`: no long-lived keys anywhere. The sibling of GithubDeployRole, with the
    same deploy permissions.

    Example: `GitlabDeployRole("deploy", {"project_path": "acme/shop", "ref": "main"})`
    """

    TYPE = "gridops:aws:GitlabDeployRole"

    def __init__(
        self,
        name: str,
        args: GitlabDeployRoleArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name("GitlabDeployRole", name)
        where = f"GitlabDeployRole '{name}'"
        a = ArgReader("GitlabDeployRole", name, args, GitlabDeployRoleArgs.__annotations__)
        project = a.string(
            "project_path", None, PROJECT_PATH, 'expected "group/project" (subgroups allowed)'
        )
        ref_type = a.choice("ref_type", "branch", ("branch", "tag"))
        ref = a.string(
            "ref",
            "main",
            REF,
            "expected one branch or tag name, exactly (no wildcards: a deploy role trusts one "
            "protected ref)",
        )
        url = issuer_url(where, a.string("gitlab_url", GITLAB_COM))
        audience = a.string("audience", url)
        if not 1 <= len(audience) <= MAX_CLIENT_ID:
            raise OIDC_CLIENT_IDS.refuse(where, "audience", f"{len(audience)} characters")
        thumbprints = a.string_list("thumbprints")
        if len(thumbprints) > MAX_THUMBPRINTS:
            raise OIDC_THUMBPRINTS.refuse(where, "thumbprints", f"{len(thumbprints)} given")
        for thumbprint in thumbprints:
            if not THUMBPRINT.fullmatch(thumbprint):
                raise OIDC_THUMBPRINTS.refuse(
                    where, "thumbprints", f"{thumbprint!r} is not 40 hex characters"
                )
        host_path = re.escape(url.removeprefix("https://"))
        permissions = read_deploy_permissions(
            a,
            "GitlabDeployRole",
            name,
            rf"arn:aws[a-z-]*:iam::\d{{12}}:oidc-provider/{host_path}",
            f"expected the ARN of the OIDC provider for {url}",
        )
        super().__init__(name, opts, transforms=permissions.transforms, tags=a.mapping("tags"))
        self._build(
            permissions,
            OidcTrust(
                issuer_url=url,
                client_ids=[audience],
                thumbprints=[t.lower() for t in thumbprints],
                subject=f"project_path:{project}:ref_type:{ref_type}:ref:{ref}",
                audience=audience,
                provider_suffix="gitlab-oidc",
                description=f"GitLab CI deploys of {project}",
            ),
        )


__all__ = ["GITLAB_COM", "GitlabDeployRole"]
