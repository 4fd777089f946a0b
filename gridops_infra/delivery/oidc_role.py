"""What GithubDeployRole and GitlabDeployRole share: the deploy permissions a `pulumi up` of
gridops stacks needs, read and checked the same way, and the OIDC provider, role and inline
policy built from them. Each host's component decides only whom the role trusts."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.aws_rules.iam import MAX_SESSION_DURATION, ROLE_INLINE_POLICIES_SIZE
from gridops_infra.core.component import GridopsComponent, Transform, check_transforms
from gridops_infra.core.validation import ArgReader

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
    # events: Karpenter's interruption rules (EventBridge) feeding its SQS queue.
    "eks": ("eks:*", "autoscaling:*", "ssm:GetParameter", "ssm:GetParameters", "events:*"),
    "data": ("rds:*", "elasticache:*", "secretsmanager:*", "kms:*"),
    "edge": ("cloudfront:*", "wafv2:*", "s3:*"),
    "queue": ("sqs:*",),
    "observability": ("cloudwatch:*", "logs:*", "sns:*", "aps:*", "grafana:*", "xray:*"),
    "single-server": ("dlm:*", "ssm:*"),
    # scheduler: drills that run on their own (EventBridge Scheduler starts FIS).
    "drills": ("fis:*", "scheduler:*"),
    # ContainerRepository: repositories, lifecycle policies, replication and scanning
    # configurations are created and replaced by `pulumi up`, so the whole ECR API.
    "registry": ("ecr:*",),
    # FeatureFlags: the AppConfig application, its profile, versions, strategy, deployments.
    "flags": ("appconfig:*",),
    # SqsWorkerQueue on LambdaPlatform: the function and its SQS event source mapping.
    "serverless": ("lambda:*",),
    # StackBudget: the budget and, as an option, cost anomaly detection.
    "budgets": ("budgets:*", "ce:*"),
    # PostgresReplication (DMS Serverless, its failure rule) and TrafficCutover's records.
    "migration": ("dms:*", "events:*", "route53:*"),
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
    "appconfig.amazonaws.com",  # FeatureFlags: the role AppConfig reads the monitors with
    "ecs.amazonaws.com",  # the infrastructure roles of Express services and Managed Instances
    "scheduler.amazonaws.com",  # ResilienceDrills on a schedule
    "lambda.amazonaws.com",  # SqsWorkerQueue on LambdaPlatform
    "dms.amazonaws.com",  # PostgresReplication's secrets-access and VPC roles
]
MAX_ROLE_INLINE_POLICIES = 10_240  # IAM: a role's inline policies, white space not counted
OIDC_ROLE_CHILDREN = ("oidc_provider", "role", "policy")


@dataclass(frozen=True)
class DeployPermissions:
    """The checked deploy arguments common to every host: what the role may do."""

    statements: list[dict[str, Any]]
    max_session_seconds: int
    provider_arn: str | None
    """An existing OIDC provider to trust; None creates one."""
    transforms: dict[str, Transform]


@dataclass(frozen=True)
class OidcTrust:
    """Whom the role trusts: one issuer, its audiences, and the exact claims a token must
    carry (IAM can test only `aud` and `sub` of a generic OIDC issuer)."""

    issuer_url: str
    """`https://` + host (+ path), the token's `iss` and the provider's URL."""
    client_ids: list[str]
    thumbprints: list[str]
    """Empty: the provider gets none and IAM fetches the issuer's certificate itself."""
    subject: str
    audience: str
    provider_suffix: str
    description: str

    @property
    def condition_prefix(self) -> str:
        return self.issuer_url.removeprefix("https://")


def policy_characters(statements: list[dict[str, Any]]) -> int:
    """How IAM measures the policy document: its characters, white space not counted."""
    document = json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)
    return sum(1 for c in document if not c.isspace())


def read_deploy_permissions(
    a: ArgReader, component: str, name: str, provider_arn_pattern: str, provider_hint: str
) -> DeployPermissions:
    """Read and check services, name_prefixes, state_bucket_arn, oidc_provider_arn,
    max_session_seconds and transforms, and size the policy against IAM's quota."""
    label = f"{component} '{name}'"
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
    provider_arn = a.optional_string("oidc_provider_arn", provider_arn_pattern, provider_hint)
    max_session = a.integer("max_session_seconds", 3600)
    if not 3600 <= max_session <= 43200:
        raise MAX_SESSION_DURATION.refuse(label, "max_session_seconds", f"{max_session} seconds")
    transforms = check_transforms(component, name, a.raw("transforms"), OIDC_ROLE_CHILDREN)
    account = iam.account_id()
    region = aws.get_region().region
    statements = deploy_statements(services, prefixes, state_bucket, account, region)
    size = policy_characters(statements)
    if size > MAX_ROLE_INLINE_POLICIES:
        raise ROLE_INLINE_POLICIES_SIZE.refuse(
            label,
            "name_prefixes",
            f"{len(prefixes)} prefixes make the role's policy {size:,} characters",
            "give fewer, broader name prefixes (e.g. one per stack, like 'shop-')",
        )
    return DeployPermissions(statements, max_session, provider_arn, transforms)


class OidcDeployRole(GridopsComponent):
    """The shared body of the CI deploy roles: an OIDC provider (unless one is given), a
    role trusting exactly one subject and audience of it, and the deploy policy. Subclasses
    check their host's arguments, then call `_build`."""

    CHILD_ROLES = OIDC_ROLE_CHILDREN

    role_arn: pulumi.Output[str]
    """Put this in the pipeline's role to assume."""
    subject: str
    """The exact `sub` claim the trust policy admits."""

    def _build(self, permissions: DeployPermissions, trust: OidcTrust) -> None:
        self.subject = trust.subject
        self._trust = trust
        if permissions.provider_arn is None:
            provider_args: dict[str, Any] = {
                "url": trust.issuer_url,
                "client_id_lists": trust.client_ids,
            }
            if trust.thumbprints:
                provider_args["thumbprint_lists"] = trust.thumbprints
            provider = self.child(
                "oidc_provider",
                aws.iam.OpenIdConnectProvider,
                provider_args,
                suffix=trust.provider_suffix,
            )
            oidc_arn: pulumi.Input[str] = provider.arn
        else:
            oidc_arn = permissions.provider_arn
        self.trust_policy = pulumi.Output.from_input(oidc_arn).apply(self._trust_policy)
        role = self.child(
            "role",
            aws.iam.Role,
            {
                "assume_role_policy": self.trust_policy,
                "max_session_duration": permissions.max_session_seconds,
                "description": trust.description,
            },
        )
        self.policy_document = iam.policy_document(permissions.statements)
        self.child(
            "policy",
            aws.iam.RolePolicy,
            {"role": role.id, "policy": self.policy_document},
            tag=False,
        )
        self.role_arn = role.arn
        self.register_outputs({"role_arn": self.role_arn, "subject": self.subject})

    def _trust_policy(self, provider_arn: str) -> str:
        prefix = self._trust.condition_prefix
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
                                f"{prefix}:aud": self._trust.audience,
                                f"{prefix}:sub": self.subject,
                            }
                        },
                    }
                ],
            },
            sort_keys=True,
        )


def deploy_statements(
    services: list[str],
    prefixes: list[str],
    state_bucket: str | None,
    account: str,
    region: str,
) -> list[dict[str, Any]]:
    """The deploy policy: service actions in the region, IAM on the stack's own names."""
    actions = sorted({a for s in services for a in DEPLOY_SERVICES[s]})
    in_region = {"StringEquals": {"aws:RequestedRegion": [region, "us-east-1"]}}
    statements = [iam.statement(actions, "*", sid="DeployStackServices", conditions=in_region)]
    role_arns = [
        f"arn:aws:iam::{account}:role/{p}*" if p != "*" else f"arn:aws:iam::{account}:role/*"
        for p in prefixes
    ]
    policy_arns = [
        f"arn:aws:iam::{account}:policy/{p}*" if p != "*" else f"arn:aws:iam::{account}:policy/*"
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
