"""The three IAM roles of a Fargate service, each scoped to the exact ARNs it needs.

- execution role (ECS agent): write to the service's log group, pull from its ECR
  repository, read exactly the secrets its containers reference;
- task role (the app): only what links and `task_statements` grant (plus the SSM
  channels when ECS Exec is on);
- infrastructure role (blue-green, canary, linear only): ECS shifts traffic between the
  two target groups through the service's own listener rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.service.spec.checks import ecr_repository, secret_policy_arn

ROLES = (
    "execution_role",
    "execution_policy",
    "task_role",
    "task_policy",
    "infrastructure_role",
    "infrastructure_policy",
)
ECS_EXEC_ACTIONS = (
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
)
ECR_PULL_ACTIONS = (
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
)


@dataclass(frozen=True)
class ExecutionNeeds:
    """Everything the execution role must reach, as resolved strings."""

    log_group_arn: str
    value_froms: Sequence[str]
    secret_arns: Sequence[str]
    kms_key_arns: Sequence[str]
    ecr_repository_arns: Sequence[str]
    region: str


def execution_statements(needs: ExecutionNeeds) -> list[dict[str, Any]]:
    """The execution role's statements: logs, ECR pulls, secrets and their keys."""
    out = [
        iam.statement(
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            f"{needs.log_group_arn}:log-stream:*",
            sid="WriteServiceLogs",
        )
    ]
    if needs.ecr_repository_arns:
        # GetAuthorizationToken has no resource-level permissions: AWS requires "*".
        out.append(iam.statement(["ecr:GetAuthorizationToken"], "*", sid="EcrLogin"))
        out.append(
            iam.statement(ECR_PULL_ACTIONS, sorted(set(needs.ecr_repository_arns)), sid="EcrPull")
        )
    arns = {secret_policy_arn(v) for v in needs.value_froms} | set(needs.secret_arns)
    manager = sorted(a for a in arns if ":secretsmanager:" in a)
    parameters = sorted(a for a in arns if ":ssm:" in a)
    if manager:
        out.append(iam.statement(["secretsmanager:GetSecretValue"], manager, sid="ReadSecrets"))
    if parameters:
        out.append(iam.statement(["ssm:GetParameters"], parameters, sid="ReadParameters"))
    if needs.kms_key_arns:
        out.append(
            iam.statement(
                ["kms:Decrypt"],
                sorted(set(needs.kms_key_arns)),
                sid="DecryptSecrets",
                conditions={
                    "StringEquals": {
                        "kms:ViaService": [
                            f"secretsmanager.{needs.region}.amazonaws.com",
                            f"ssm.{needs.region}.amazonaws.com",
                        ]
                    }
                },
            )
        )
    return out


def ecr_repository_arns(images: Sequence[str]) -> list[str]:
    """The ECR repositories among `images` (others need no IAM to pull)."""
    arns = set()
    for image in images:
        repo = ecr_repository(image)
        if repo:
            account, region, name = repo
            arns.add(f"arn:aws:ecr:{region}:{account}:repository/{name}")
    return sorted(arns)


def ecs_trust_policy(service: str) -> str:
    """Trust for one ECS service principal, limited to ECS in this account and region
    (the confused-deputy guard AWS recommends)."""
    account = iam.account_id()
    return iam.assume_role_policy(
        service,
        source_account=account,
        source_arn=f"arn:aws:ecs:{iam.region_name()}:{account}:*",
    )


def execution_role(
    owner: GridopsComponent,
    *,
    log_group_arn: pulumi.Input[str],
    value_froms: Sequence[pulumi.Input[str]],
    secret_arns: Sequence[pulumi.Input[str]],
    kms_key_arns: Sequence[pulumi.Input[str]],
    images: Sequence[pulumi.Input[str]],
    repository_arns: Sequence[pulumi.Input[str]] = (),
) -> tuple[aws.iam.Role, pulumi.Output[str], aws.iam.RolePolicy]:
    """The ECS agent's role. It pulls from the ECR repositories `images` name and from
    `repository_arns` (linked repositories, whose image may be an Output)."""
    role = owner.child(
        "execution_role",
        aws.iam.Role,
        {
            "assume_role_policy": ecs_trust_policy("ecs-tasks.amazonaws.com"),
            "description": f"ECS agent for {owner.name}: pull image, write logs, read its secrets",
        },
    )
    region = iam.region_name()
    document = pulumi.Output.all(
        log_group_arn,
        pulumi.Output.all(*value_froms),
        pulumi.Output.all(*secret_arns),
        pulumi.Output.all(*kms_key_arns),
        pulumi.Output.all(*images),
        pulumi.Output.all(*repository_arns),
    ).apply(
        lambda v: iam.policy_document(
            execution_statements(
                ExecutionNeeds(v[0], v[1], v[2], v[3], [*ecr_repository_arns(v[4]), *v[5]], region)
            )
        )
    )
    policy = owner.child(
        "execution_policy",
        aws.iam.RolePolicy,
        {"role": role.id, "policy": document},
    )
    return role, document, policy


def task_role(
    owner: GridopsComponent,
    statements: Sequence[dict[str, Any]],
    *,
    execute_command: bool,
) -> tuple[aws.iam.Role, pulumi.Output[str] | None, aws.iam.RolePolicy | None]:
    role = owner.child(
        "task_role",
        aws.iam.Role,
        {
            "assume_role_policy": ecs_trust_policy("ecs-tasks.amazonaws.com"),
            "description": f"The {owner.name} app itself: only what its links grant",
        },
    )
    all_statements = list(statements)
    if execute_command:
        # The SSM message channels have no resource-level permissions: AWS requires "*".
        all_statements.append(iam.statement(ECS_EXEC_ACTIONS, "*", sid="EcsExecChannels"))
    if not all_statements:
        return role, None, None
    document = iam.policy_document(all_statements)
    policy = owner.child("task_policy", aws.iam.RolePolicy, {"role": role.id, "policy": document})
    return role, document, policy


def infrastructure_statements(
    rule_arns: Sequence[pulumi.Input[str]], target_group_arns: Sequence[pulumi.Input[str]]
) -> list[dict[str, Any]]:
    return [
        # Describe calls have no resource-level permissions: AWS requires "*".
        iam.statement(
            [
                "elasticloadbalancing:DescribeListeners",
                "elasticloadbalancing:DescribeRules",
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTargetHealth",
            ],
            "*",
            sid="ReadLoadBalancer",
        ),
        iam.statement(["elasticloadbalancing:ModifyRule"], list(rule_arns), sid="ShiftTraffic"),
        iam.statement(
            ["elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:RegisterTargets"],
            list(target_group_arns),
            sid="MoveTargets",
        ),
    ]


def infrastructure_role(
    owner: GridopsComponent,
    rule_arns: Sequence[pulumi.Input[str]],
    target_group_arns: Sequence[pulumi.Input[str]],
) -> tuple[aws.iam.Role, pulumi.Output[str]]:
    role = owner.child(
        "infrastructure_role",
        aws.iam.Role,
        {
            "assume_role_policy": iam.assume_role_policy(
                "ecs.amazonaws.com", source_account=iam.account_id()
            ),
            "description": f"ECS shifts {owner.name}'s traffic between its two target groups",
        },
        suffix="infra-role",
    )
    document = iam.policy_document(infrastructure_statements(rule_arns, target_group_arns))
    owner.child(
        "infrastructure_policy",
        aws.iam.RolePolicy,
        {"role": role.id, "policy": document},
        suffix="infra-policy",
    )
    return role, document


__all__ = [
    "ROLES",
    "ExecutionNeeds",
    "ecr_repository_arns",
    "execution_role",
    "execution_statements",
    "infrastructure_role",
    "infrastructure_statements",
    "task_role",
]
