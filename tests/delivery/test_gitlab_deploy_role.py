"""GitlabDeployRole: OIDC trust limited to one GitLab project and one protected ref, on
gitlab.com or a self-managed instance, with GithubDeployRole's deploy permissions."""

from __future__ import annotations

import json

import pytest
from test_github_deploy_role import EXPECTED_DEPLOY_ROLE_FINDINGS

from gridops_infra import GithubDeployRole, GitlabDeployRole
from gridops_infra.testing import preview
from gridops_infra.testing.validators import iam_findings

ROLE = "aws:iam/role:Role"
PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
POLICY = "aws:iam/rolePolicy:RolePolicy"


@pytest.fixture(scope="module")
def plan():
    return preview(
        lambda: GitlabDeployRole(
            "deploy", {"project_path": "acme/platform/shop", "name_prefixes": ["api-", "db-"]}
        )
    )


def test_trust_admits_only_the_project_branch_and_audience(plan) -> None:
    (statement,) = json.loads(plan.one(ROLE).inputs["assumeRolePolicy"])["Statement"]
    provider = plan.one(PROVIDER)
    assert provider.name == "deploy-gitlab-oidc"
    assert provider.inputs["url"] == "https://gitlab.com"
    assert provider.inputs["clientIdLists"] == ["https://gitlab.com"]
    assert "thumbprintLists" not in provider.inputs
    assert statement["Principal"] == {"Federated": provider.outputs["arn"]}
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Condition"] == {
        "StringEquals": {
            "gitlab.com:aud": "https://gitlab.com",
            "gitlab.com:sub": "project_path:acme/platform/shop:ref_type:branch:ref:main",
        }
    }
    assert plan.one(ROLE).inputs["description"] == "GitLab CI deploys of acme/platform/shop"


def test_self_managed_instance_tag_ref_audience_and_thumbprints() -> None:
    thumbprint = "AB" * 20
    plan = preview(
        lambda: GitlabDeployRole(
            "deploy",
            {
                "project_path": "acme/shop",
                "ref_type": "tag",
                "ref": "v1.4.2",
                "gitlab_url": "https://git.acme.io/",
                "audience": "sts.amazonaws.com",
                "thumbprints": [thumbprint],
            },
        )
    )
    provider = plan.one(PROVIDER)
    assert provider.inputs["url"] == "https://git.acme.io"
    assert provider.inputs["clientIdLists"] == ["sts.amazonaws.com"]
    assert provider.inputs["thumbprintLists"] == [thumbprint.lower()]
    condition = json.loads(plan.one(ROLE).inputs["assumeRolePolicy"])["Statement"][0]["Condition"]
    assert condition["StringEquals"] == {
        "git.acme.io:aud": "sts.amazonaws.com",
        "git.acme.io:sub": "project_path:acme/shop:ref_type:tag:ref:v1.4.2",
    }


def test_an_existing_provider_is_trusted_instead_of_creating_one() -> None:
    arn = "arn:aws:iam::123456789012:oidc-provider/gitlab.com"
    plan = preview(
        lambda: GitlabDeployRole("deploy", {"project_path": "acme/shop", "oidc_provider_arn": arn})
    )
    assert not plan.of_type(PROVIDER)
    trust = json.loads(plan.one(ROLE).inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"]["Federated"] == arn


def test_the_deploy_permissions_are_github_deploy_roles() -> None:
    shared = {"name_prefixes": ["shop-"], "services": ["network", "fargate"]}
    gitlab = preview(lambda: GitlabDeployRole("deploy", {"project_path": "acme/shop", **shared}))
    github = preview(lambda: GithubDeployRole("deploy", {"repository": "acme/shop", **shared}))
    assert gitlab.one(POLICY).inputs["policy"] == github.one(POLICY).inputs["policy"]
    assert gitlab.one(ROLE).inputs["maxSessionDuration"] == 3600


def test_parliament_reports_only_the_documented_breadth(plan) -> None:
    findings = iam_findings(plan.one(POLICY).inputs["policy"])
    # The same breadth as the GitHub role, for the same reasons (the shared deploy grants).
    assert {f.split(":", 1)[0] for f in findings} <= EXPECTED_DEPLOY_ROLE_FINDINGS


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({}, "project_path"),
        ({"project_path": "shop"}, "project_path"),
        ({"project_path": "acme/shop", "ref_type": "merge_request"}, "ref_type"),
        ({"project_path": "acme/shop", "ref": "release/*"}, "ref"),
        ({"project_path": "acme/shop", "gitlab_url": "http://gitlab.acme.io"}, "gitlab_url"),
        ({"project_path": "acme/shop", "gitlab_url": "https://gitlab.acme.io:8443"}, "gitlab_url"),
        ({"project_path": "acme/shop", "gitlab_url": "https://gitlab.acme.io/?x=1"}, "gitlab_url"),
        ({"project_path": "acme/shop", "audience": "a" * 256}, "audience"),
        ({"project_path": "acme/shop", "thumbprints": ["abc"]}, "thumbprints"),
        ({"project_path": "acme/shop", "thumbprints": ["a" * 40] * 6}, "thumbprints"),
        ({"project_path": "acme/shop", "services": ["lambda"]}, "services"),
        ({"project_path": "acme/shop", "max_session_seconds": 60}, "max_session_seconds"),
        (
            {
                "project_path": "acme/shop",
                "oidc_provider_arn": "arn:aws:iam::123456789012:oidc-provider/"
                "token.actions.githubusercontent.com",
            },
            "oidc_provider_arn",
        ),
        (
            {"project_path": "acme/shop", "environment": "production"},
            "unknown argument(s) environment",
        ),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_registered(
    preview_refusals, args: dict, field: str
) -> None:
    plan, errors = preview_refusals(
        lambda: None, lambda _, i, case: GitlabDeployRole("deploy", case), [args]
    )
    assert errors[0].startswith(f"GitlabDeployRole 'deploy': {field}"), errors[0]
    assert plan.resources == []
