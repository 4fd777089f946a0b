"""GithubDeployRole: GitHub Actions deploys with short-lived OIDC credentials, no keys."""

from __future__ import annotations

import re

import pulumi

from gridops_infra.core.validation import ArgReader, check_name
from gridops_infra.delivery.args import GithubDeployRoleArgs
from gridops_infra.delivery.oidc_role import (
    DEPLOY_SERVICES,
    OidcDeployRole,
    OidcTrust,
    read_deploy_permissions,
)

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")


class GithubDeployRole(OidcDeployRole):
    """An IAM role that GitHub Actions jobs of one repository and one environment (or
    branch) assume through OIDC to run `pulumi up`: no long-lived keys anywhere.

    Example: `GithubDeployRole("deploy", {"repository": "acme/shop", "environment": "production"})`
    """

    TYPE = "gridops:aws:GithubDeployRole"

    def __init__(
        self,
        name: str,
        args: GithubDeployRoleArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name("GithubDeployRole", name)
        a = ArgReader("GithubDeployRole", name, args, GithubDeployRoleArgs.__annotations__)
        repository = a.string(
            "repository", None, REPOSITORY.pattern, 'expected "owner/name" of a GitHub repository'
        )
        branch = a.optional_string("branch", r"[A-Za-z0-9._/-]+", "expected a branch name")
        environment = (
            None
            if branch
            else a.string(
                "environment",
                "production",
                r"[A-Za-z0-9._ -]{1,255}",
                "expected a GitHub environment name",
            )
        )
        if branch and a.has("environment"):
            raise a.fail("branch", branch, "give either environment or branch, not both")
        permissions = read_deploy_permissions(
            a,
            "GithubDeployRole",
            name,
            r"arn:aws[a-z-]*:iam::\d{12}:oidc-provider/token\.actions\.githubusercontent\.com",
            "expected the ARN of the GitHub OIDC provider",
        )
        super().__init__(name, opts, transforms=permissions.transforms, tags=a.mapping("tags"))
        subject = (
            f"repo:{repository}:environment:{environment}"
            if environment
            else f"repo:{repository}:ref:refs/heads/{branch}"
        )
        self._build(
            permissions,
            OidcTrust(
                issuer_url=f"https://{GITHUB_OIDC_HOST}",
                client_ids=["sts.amazonaws.com"],
                thumbprints=[],
                subject=subject,
                audience="sts.amazonaws.com",
                provider_suffix="github-oidc",
                description=f"GitHub Actions deploys of {repository}",
            ),
        )


__all__ = ["DEPLOY_SERVICES", "GITHUB_OIDC_HOST", "GithubDeployRole"]
