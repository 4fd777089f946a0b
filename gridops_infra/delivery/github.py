"""GithubDeployRole: GitHub Actions deploys with short-lived OIDC credentials, no keys."""

from __future__ import annotations

import json
import re
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.aws_rules.iam import MAX_SESSION_DURATION, ROLE_INLINE_POLICIES_SIZE
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.validation import ArgReader, check_name
from gridops_infra.delivery.args import GithubDeployRoleArgs

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")

# What `pulumi up` of gridops stacks touches, by AWS service. Creating and replacing
# resources whose names Pulumi generates cannot be scoped to ARNs known in advance, so
# these service-level grants are limited to the deploy region instead; IAM (the
# privilege-escalation path) is scoped by name prefix and PassRole by receiving service.
DEPLOY_SERVICES: dict[str, tuple[str, ...]] = {
    "network": ("ec2:*",),
    "fargate": (
        "ecs:*",
        "elasticloadbalancing:*",
        "application-autoscaling:*",
        "acm:*",
        "route53:*",
        "servicediscovery:*",
    ),
    "eks": ("eks:*", "autoscaling:*", "ssm:GetParameter", "ssm:GetParameters"),
    "data": ("rds:*", "elasticache:*", "secretsmanager:*", "kms:*"),
    "edge": ("cloudfront:*", "wafv2:*", "s3:*"),
    "queue": ("sqs:*",),
    "observability": ("cloudwatch:*", "logs:*", "sns:*", "aps:*", "grafana:*", "xray:*"),
    "single-server": ("dlm:*", "ssm:*"),
    "drills": ("fis:*",),
    # ContainerRepository: repositories, lifecycle policies, replication and scanning
    # configurations are created and replaced by `pulumi up`, so the whole ECR API.
    "registry": ("ecr:*",),
}
PASS_ROLE_SERVICES = [
    "ecs-tasks.amazonaws.com",
    "ec2.amazonaws.com",
    "eks.amazonaws.com",
    "pods.eks.amazonaws.com",
    "rds.amazonaws.com",
    "monitoring.rds.amazonaws.com",
    "vpc-flow-logs.amazonaws.com",
    "dlm.amazonaws.com",
    "fis.amazonaws.com",
    "application-autoscaling.amazonaws.com",
]


MAX_ROLE_INLINE_POLICIES = 10_240  # IAM: a role's inline policies, white space not counted


def _policy_characters(statements: list[dict[str, Any]]) -> int:
    """How IAM measures the policy document: its characters, white space not counted."""
    document = json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)
    return sum(1 for c in document if not c.isspace())


class GithubDeployRole(GridopsComponent):
    """An IAM role that GitHub Actions jobs of one repository and one environment (or
    branch) assume through OIDC to run `pulumi up`: no long-lived keys anywhere.

    Example: `GithubDeployRole("deploy", {"repository": "acme/shop", "environment": "production"})`
    """

    TYPE = "gridops:aws:GithubDeployRole"
    CHILD_ROLES = ("oidc_provider", "role", "policy")

    role_arn: pulumi.Output[str]
    """Put this in the workflow's `role-to-assume`."""
    subject: str
    """The exact `sub` claim the trust policy admits."""

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
        services = a.string_list("services") or list(DEPLOY_SERVICES)
        unknown = sorted(set(services) - set(DEPLOY_SERVICES))
        if unknown:
            raise a.fail("services", unknown, "allowed: " + ", ".join(DEPLOY_SERVICES))
        prefixes = a.string_list("name_prefixes") or ["*"]
        for prefix in prefixes:
            if prefix != "*" and not re.fullmatch(r"[A-Za-z0-9+=,.@_-]{1,48}", prefix):
                raise a.fail(
                    "name_prefixes", prefix, "expected IAM name prefixes (letters, digits, +=,.@_-)"
                )
        state_bucket = a.optional_string(
            "state_bucket_arn", r"arn:aws[a-z-]*:s3:::[a-z0-9.-]{3,63}", "expected an S3 bucket ARN"
        )
        provider_arn = a.optional_string(
            "oidc_provider_arn",
            r"arn:aws[a-z-]*:iam::\d{12}:oidc-provider/token\.actions\.githubusercontent\.com",
            "expected the ARN of the GitHub OIDC provider",
        )
        max_session = a.integer("max_session_seconds", 3600)
        if not 3600 <= max_session <= 43200:
            raise MAX_SESSION_DURATION.refuse(
                f"GithubDeployRole '{name}'", "max_session_seconds", f"{max_session} seconds"
            )
        transforms = check_transforms(
            "GithubDeployRole", name, a.raw("transforms"), self.CHILD_ROLES
        )
        account = iam.account_id()
        region = aws.get_region().region
        statements = self._statements(services, prefixes, state_bucket, account, region)
        size = _policy_characters(statements)
        if size > MAX_ROLE_INLINE_POLICIES:
            raise ROLE_INLINE_POLICIES_SIZE.refuse(
                f"GithubDeployRole '{name}'",
                "name_prefixes",
                f"{len(prefixes)} prefixes make the role's policy {size:,} characters",
                "give fewer, broader name prefixes (e.g. one per stack, like 'shop-')",
            )

        super().__init__(name, opts, transforms=transforms, tags=a.mapping("tags"))
        self.subject = (
            f"repo:{repository}:environment:{environment}"
            if environment
            else f"repo:{repository}:ref:refs/heads/{branch}"
        )
        if provider_arn is None:
            provider = self.child(
                "oidc_provider",
                aws.iam.OpenIdConnectProvider,
                {"url": f"https://{GITHUB_OIDC_HOST}", "client_id_lists": ["sts.amazonaws.com"]},
                suffix="github-oidc",
            )
            oidc_arn: pulumi.Input[str] = provider.arn
        else:
            oidc_arn = provider_arn
        self.trust_policy = pulumi.Output.from_input(oidc_arn).apply(self._trust_policy)
        role = self.child(
            "role",
            aws.iam.Role,
            {
                "assume_role_policy": self.trust_policy,
                "max_session_duration": max_session,
                "description": f"GitHub Actions deploys of {repository}",
            },
        )
        self.policy_document = iam.policy_document(statements)
        self.child(
            "policy",
            aws.iam.RolePolicy,
            {"role": role.id, "policy": self.policy_document},
            tag=False,
        )
        self.role_arn = role.arn
        self.register_outputs({"role_arn": self.role_arn, "subject": self.subject})

    def _trust_policy(self, provider_arn: str) -> str:
        return json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Federated": provider_arn},
                        "Action": "sts:AssumeRoleWithWebIdentity",
                        "Condition": {
                            "StringEquals": {
                                f"{GITHUB_OIDC_HOST}:aud": "sts.amazonaws.com",
                                f"{GITHUB_OIDC_HOST}:sub": self.subject,
                            }
                        },
                    }
                ],
            },
            sort_keys=True,
        )

    @staticmethod
    def _statements(
        services: list[str],
        prefixes: list[str],
        state_bucket: str | None,
        account: str,
        region: str,
    ) -> list[dict[str, Any]]:
        actions = sorted({a for s in services for a in DEPLOY_SERVICES[s]})
        in_region = {"StringEquals": {"aws:RequestedRegion": [region, "us-east-1"]}}
        statements = [iam.statement(actions, "*", sid="DeployStackServices", conditions=in_region)]
        role_arns = [
            f"arn:aws:iam::{account}:role/{p}*" if p != "*" else f"arn:aws:iam::{account}:role/*"
            for p in prefixes
        ]
        policy_arns = [
            f"arn:aws:iam::{account}:policy/{p}*"
            if p != "*"
            else f"arn:aws:iam::{account}:policy/*"
            for p in prefixes
        ]
        statements.append(
            iam.statement(
                [
                    "iam:CreateRole",
                    "iam:DeleteRole",
                    "iam:GetRole",
                    "iam:UpdateRole",
                    "iam:TagRole",
                    "iam:UntagRole",
                    "iam:PutRolePolicy",
                    "iam:DeleteRolePolicy",
                    "iam:GetRolePolicy",
                    "iam:ListRolePolicies",
                    "iam:AttachRolePolicy",
                    "iam:DetachRolePolicy",
                    "iam:ListAttachedRolePolicies",
                    "iam:UpdateAssumeRolePolicy",
                    "iam:ListInstanceProfilesForRole",
                    "iam:CreateInstanceProfile",
                    "iam:DeleteInstanceProfile",
                    "iam:GetInstanceProfile",
                    "iam:AddRoleToInstanceProfile",
                    "iam:RemoveRoleFromInstanceProfile",
                ],
                role_arns + [arn.replace(":role/", ":instance-profile/") for arn in role_arns],
                sid="ManageStackRoles",
            )
        )
        statements.append(
            iam.statement(
                [
                    "iam:CreatePolicy",
                    "iam:DeletePolicy",
                    "iam:GetPolicy",
                    "iam:GetPolicyVersion",
                    "iam:CreatePolicyVersion",
                    "iam:DeletePolicyVersion",
                    "iam:ListPolicyVersions",
                ],
                policy_arns,
                sid="ManageStackPolicies",
            )
        )
        statements.append(
            iam.statement(
                ["iam:PassRole"],
                role_arns,
                sid="PassStackRolesToServices",
                conditions={"StringEquals": {"iam:PassedToService": PASS_ROLE_SERVICES}},
            )
        )
        statements.append(
            iam.statement(
                ["iam:CreateServiceLinkedRole"],
                f"arn:aws:iam::{account}:role/aws-service-role/*",
                sid="ServiceLinkedRoles",
            )
        )
        statements.append(
            iam.statement(
                [
                    "iam:CreateOpenIDConnectProvider",
                    "iam:DeleteOpenIDConnectProvider",
                    "iam:GetOpenIDConnectProvider",
                    "iam:TagOpenIDConnectProvider",
                ],
                f"arn:aws:iam::{account}:oidc-provider/*",
                sid="ClusterOidcProviders",
            )
        )
        if state_bucket:
            statements.append(iam.statement(["s3:ListBucket"], state_bucket, sid="StateBucketList"))
            statements.append(
                iam.statement(
                    ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                    f"{state_bucket}/*",
                    sid="StateObjects",
                )
            )
        return statements
