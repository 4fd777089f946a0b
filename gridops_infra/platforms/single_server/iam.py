"""The SingleServer's IAM: the instance role and the snapshot (DLM) role.

The instance role is what every container on the host uses too (IMDSv2 with a hop limit
of 2 lets containers reach it; there are no per-container roles on one host), so it
holds only what the host needs, scoped to ARNs:

- AWS managed `AmazonSSMManagedInstanceCore` (Session Manager: the only way in, no SSH)
  and `CloudWatchAgentServerPolicy` (metrics, the awslogs driver, the backup metric);
- read the server's own SSM parameters (the compose fragments, the database secrets);
- `s3:PutObject` under `postgres/` of the backup bucket, nothing else on it.

Services linked to other resources add their statements with `SingleServer.grant`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent

INSTANCE_MANAGED_POLICIES = ("AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy")
DLM_MANAGED_POLICY = "service-role/AWSDataLifecycleManagerServiceRole"


def managed_policy_arn(partition: str, name: str) -> str:
    return f"arn:{partition}:iam::aws:policy/{name}"


def host_statements(
    *,
    parameter_path_arn: pulumi.Input[str],
    secret_parameter_arns: Sequence[pulumi.Input[str]],
    backup_objects_arn: pulumi.Output[str] | str | None,
    secrets_manager_arns: Sequence[pulumi.Input[str]] = (),
) -> list[dict[str, Any]]:
    """What the host itself reads and writes (besides the managed policies)."""
    statements = [
        iam.statement(
            ["ssm:GetParametersByPath"],
            [
                parameter_path_arn,
                pulumi.Output.concat(parameter_path_arn, "/*"),
            ],
            sid="ReadComposeFragments",
        )
    ]
    if secret_parameter_arns:
        statements.append(
            iam.statement(
                ["ssm:GetParameter"], list(secret_parameter_arns), sid="ReadDatabaseSecrets"
            )
        )
    if secrets_manager_arns:
        statements.append(
            iam.statement(
                ["secretsmanager:GetSecretValue"],
                list(secrets_manager_arns),
                sid="ReadReplicationSecret",
            )
        )
    if backup_objects_arn is not None:
        statements.append(
            iam.statement(["s3:PutObject"], backup_objects_arn, sid="WriteDatabaseDumps")
        )
    return statements


def instance_role(
    server: GridopsComponent, statements: list[dict[str, Any]], partition: str
) -> tuple[aws.iam.Role, aws.iam.InstanceProfile, pulumi.Output[str], str]:
    """(role, instance profile, host policy document, trust policy)."""
    trust = iam.assume_role_policy("ec2.amazonaws.com")
    role = server.child(
        "instance_role",
        aws.iam.Role,
        {
            "description": f"SingleServer {server.name}: the host and its containers",
            "assume_role_policy": trust,
        },
        suffix="role",
    )
    for name in INSTANCE_MANAGED_POLICIES:
        server.child(
            "instance_role_policy_attachment",
            aws.iam.RolePolicyAttachment,
            {"role": role.name, "policy_arn": managed_policy_arn(partition, name)},
            suffix=f"role-{name.lower()}",
        )
    document = iam.policy_document(statements)
    server.child(
        "instance_role_policy",
        aws.iam.RolePolicy,
        {"role": role.id, "policy": document},
        suffix="role-host",
    )
    profile = server.child(
        "instance_profile",
        aws.iam.InstanceProfile,
        {"role": role.name},
        suffix="profile",
    )
    return role, profile, document, trust


def dlm_role(server: GridopsComponent, partition: str) -> tuple[aws.iam.Role, str]:
    """The role Data Lifecycle Manager assumes to snapshot the data volume."""
    trust = iam.assume_role_policy("dlm.amazonaws.com")
    role = server.child(
        "snapshot_role",
        aws.iam.Role,
        {
            "description": f"SingleServer {server.name}: Data Lifecycle Manager snapshots",
            "assume_role_policy": trust,
        },
        suffix="dlm-role",
    )
    server.child(
        "snapshot_role_policy_attachment",
        aws.iam.RolePolicyAttachment,
        {"role": role.name, "policy_arn": managed_policy_arn(partition, DLM_MANAGED_POLICY)},
        suffix="dlm-role-policy",
    )
    return role, trust


__all__ = [
    "DLM_MANAGED_POLICY",
    "INSTANCE_MANAGED_POLICIES",
    "dlm_role",
    "host_statements",
    "instance_role",
    "managed_policy_arn",
]
