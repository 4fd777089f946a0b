"""GithubDeployRole: OIDC trust limited to one repository + environment, scoped deploy policy."""

from __future__ import annotations

import json

import pytest

from gridops_infra.delivery import GithubDeployRole
from gridops_infra.testing import preview
from gridops_infra.testing.validators import iam_findings

ROLE = "aws:iam/role:Role"


@pytest.fixture(scope="module")
def plan():
    return preview(
        lambda: GithubDeployRole(
            "deploy", {"repository": "acme/shop", "name_prefixes": ["api-", "db-"]}
        )
    )


def test_trust_admits_only_the_repository_environment_and_sts_audience(plan) -> None:
    trust = json.loads(plan.one(ROLE).inputs["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    provider = plan.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert statement["Principal"] == {"Federated": provider.outputs["arn"]}
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Condition"] == {
        "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:acme/shop:environment:production",
        }
    }
    assert provider.inputs["clientIdLists"] == ["sts.amazonaws.com"]


def test_branch_instead_of_environment_and_existing_provider() -> None:
    arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    plan = preview(
        lambda: GithubDeployRole(
            "deploy", {"repository": "acme/shop", "branch": "main", "oidc_provider_arn": arn}
        )
    )
    assert not plan.of_type("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    trust = json.loads(plan.one(ROLE).inputs["assumeRolePolicy"])["Statement"][0]
    assert (
        trust["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"]
        == "repo:acme/shop:ref:refs/heads/main"
    )
    assert trust["Principal"]["Federated"] == arn


def test_iam_is_scoped_by_prefix_and_pass_role_by_service(plan) -> None:
    policy = json.loads(plan.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["ManageStackRoles"]["Resource"][:2] == [
        "arn:aws:iam::123456789012:role/api-*",
        "arn:aws:iam::123456789012:role/db-*",
    ]
    assert by_sid["PassStackRolesToServices"]["Condition"]["StringEquals"]["iam:PassedToService"]
    assert by_sid["DeployStackServices"]["Condition"] == {
        "StringEquals": {"aws:RequestedRegion": ["us-east-1", "us-east-1"]}
    }
    assert not any(s["Resource"] == "*" and "iam:" in str(s["Action"]) for s in policy["Statement"])


# A deploy role creates whatever the stack declares, under names Pulumi generates, so
# parliament's warnings about breadth are expected for exactly these reasons:
EXPECTED_DEPLOY_ROLE_FINDINGS = {
    "RESOURCE_STAR",  # service-level actions on generated names, limited by aws:RequestedRegion
    "PERMISSIONS_MANAGEMENT_ACTIONS",  # creating the stack's roles and policies (prefix-scoped)
    "PRIVILEGE_ESCALATION",  # iam:PutRolePolicy / AttachRolePolicy on the stack's own roles
    # ecr:GetAuthorizationToken (in the registry service's ecr:*): the registry login the
    # job needs to push images, a 12-hour token for this account's registry.
    "CREDENTIALS_EXPOSURE",
}


def test_parliament_reports_only_the_documented_breadth(plan) -> None:
    findings = iam_findings(plan.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    assert {f.split(":", 1)[0] for f in findings} <= EXPECTED_DEPLOY_ROLE_FINDINGS
    trust_findings = iam_findings(plan.one(ROLE).inputs["assumeRolePolicy"], trust=True)
    # parliament knows no GitHub federation source; the trust itself is checked above
    assert [f.split(":", 1)[0] for f in trust_findings] == ["UNKNOWN_FEDERATION_SOURCE"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({}, "repository"),
        ({"repository": "not a repo"}, "repository"),
        ({"repository": "acme/shop", "services": ["lambda"]}, "services"),
        ({"repository": "acme/shop", "branch": "main", "environment": "prod"}, "branch"),
        ({"repository": "acme/shop", "max_session_seconds": 60}, "max_session_seconds"),
        ({"repository": "acme/shop", "state_bucket_arn": "bucket"}, "state_bucket_arn"),
        ({"repository": "acme/shop", "name_prefixes": ["bad prefix"]}, "name_prefixes"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_registered(args: dict, field: str) -> None:
    errors: list[str] = []

    def run() -> None:
        try:
            GithubDeployRole("deploy", args)
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(run)
    assert len(errors) == 1 and field in errors[0]
    assert len(plan) == 0
