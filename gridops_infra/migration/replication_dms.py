"""PostgresReplication's AWS DMS pieces, built as children of the component: the network
(subnet group, security group and the two database rules), the IAM roles, the two
endpoints and the serverless replication config."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.migration.replication_settings import ReplicationSettings
from gridops_infra.platforms.single_server.replication import DECODING_PLUGIN

VPC_ROLE_NAME = "dms-vpc-role"
"""The role name DMS looks up when it creates a replication subnet group (fixed by AWS)."""
VPC_ROLE_POLICY = "service-role/AmazonDMSVPCManagementRole"
TARGET_AFTER_CONNECT = "SET session_replication_role = 'replica'"
"""Per DMS session on the target: triggers and foreign keys do not fire while DMS applies
rows table by table (AfterConnectScript,
https://docs.aws.amazon.com/dms/latest/APIReference/API_PostgreSQLSettings.html); the
master user (rds_superuser) may set it. The target's parameter group stays as it is."""
MAX_IDENTIFIER = 255


def dms_identifier(text: str) -> str:
    """A DMS identifier: ASCII letters, digits and hyphens, a letter first, no double or
    trailing hyphen (stored lowercase)."""
    cleaned = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]", "-", text.lower())).strip("-")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"gridops-{cleaned}".strip("-")
    return cleaned[:MAX_IDENTIFIER].rstrip("-")


@dataclass(frozen=True)
class DmsNetwork:
    subnet_group_id: pulumi.Output[str]
    security_group_id: pulumi.Output[str]


def dms_network(owner: GridopsComponent, s: ReplicationSettings, identifier: str) -> DmsNetwork:
    """The subnet group (the network's private subnets), DMS's own security group with
    egress only to the two databases, and the rules that admit it on both."""
    depends: list[pulumi.Resource] = []
    if s.create_vpc_role:
        role = owner.child(
            "vpc_role",
            aws.iam.Role,
            {
                "name": VPC_ROLE_NAME,
                "assume_role_policy": iam.assume_role_policy("dms.amazonaws.com"),
                "description": "AWS DMS manages replication network interfaces (account-wide)",
            },
            suffix="dms-vpc-role",
        )
        depends.append(
            owner.child(
                "vpc_role_policy_attachment",
                aws.iam.RolePolicyAttachment,
                {
                    "role": role.name,
                    "policy_arn": f"arn:{aws.get_partition().partition}:iam::aws:policy/"
                    f"{VPC_ROLE_POLICY}",
                },
                suffix="dms-vpc-role-policy",
            )
        )
    subnet_group = owner.child(
        "subnet_group",
        aws.dms.ReplicationSubnetGroup,
        {
            "replication_subnet_group_id": identifier,
            "replication_subnet_group_description": f"PostgresReplication {owner.name}",
            "subnet_ids": [subnet.id for subnet in s.network.private_subnets],
        },
        suffix="subnets",
        opts=pulumi.ResourceOptions(depends_on=depends),
    )
    sg = owner.child(
        "security_group",
        aws.ec2.SecurityGroup,
        {
            "vpc_id": s.network.vpc_id,
            "description": f"PostgresReplication {owner.name}: DMS to the two databases only",
            "tags": {"Name": owner.name},
        },
        suffix="sg",
    )
    for side, group, port in (
        ("source", s.source.host_security_group_id, s.source.port),
        ("target", s.target.security_group_id, s.target.port),
    ):
        owner.child(
            "egress_rule",
            aws.vpc.SecurityGroupEgressRule,
            {
                "security_group_id": sg.id,
                "referenced_security_group_id": group,
                "ip_protocol": "tcp",
                "from_port": port,
                "to_port": port,
                "description": f"DMS to the {side} PostgreSQL",
            },
            suffix=f"out-{side}",
        )
    s.source.allow_replication_from(owner, "source_ingress", sg.id)
    s.target.allow_from(owner.name, sg.id)
    return DmsNetwork(
        subnet_group_id=subnet_group.replication_subnet_group_id, security_group_id=sg.id
    )


def secrets_role(
    owner: GridopsComponent, s: ReplicationSettings, region: str, account: str
) -> tuple[aws.iam.Role, pulumi.Output[str], pulumi.Output[str]]:
    """(role, its ARN once its policy exists, the policy JSON). The role DMS assumes to read the two endpoints' credentials: GetSecretValue on
    exactly those two secrets (and Decrypt with the target's key, when it has its own)."""
    role = owner.child(
        "secrets_role",
        aws.iam.Role,
        {
            "assume_role_policy": iam.assume_role_policy(
                f"dms.{region}.amazonaws.com", source_account=account
            ),
            "description": f"DMS reads the endpoint secrets of PostgresReplication {owner.name}",
        },
        suffix="secrets-role",
    )
    statements = [
        iam.statement(
            ["secretsmanager:GetSecretValue"],
            [s.source.secret_arn, s.target.secret_arn],
            sid="ReadEndpointSecrets",
        )
    ]
    if s.target.kms_key_arn is not None:
        statements.append(
            iam.statement(["kms:Decrypt"], [s.target.kms_key_arn], sid="DecryptTargetSecret")
        )
    document = iam.policy_document(statements)
    policy = owner.child(
        "secrets_role_policy",
        aws.iam.RolePolicy,
        {"role": role.name, "policy": document},
        suffix="secrets-role-policy",
        tag=False,
    )
    # Endpoints test their connection at creation: the role must work by then.
    return role, pulumi.Output.all(role.arn, policy.id).apply(lambda v: str(v[0])), document


def endpoints(
    owner: GridopsComponent, s: ReplicationSettings, identifier: str, role_arn: pulumi.Output[str]
) -> tuple[aws.dms.Endpoint, aws.dms.Endpoint]:
    """Source and target, both with TLS required and credentials from Secrets Manager."""
    source = owner.child(
        "source_endpoint",
        aws.dms.Endpoint,
        {
            "endpoint_id": f"{identifier}-source",
            "endpoint_type": "source",
            "engine_name": "postgres",
            "database_name": s.source_database,
            "ssl_mode": "require",
            "secrets_manager_arn": s.source.secret_arn,
            "secrets_manager_access_role_arn": role_arn,
            "postgres_settings": {
                "plugin_name": DECODING_PLUGIN,
                # No DDL capture: it would need an event trigger (a superuser) on the source.
                "capture_ddls": False,
            },
        },
        suffix="source",
    )
    target = owner.child(
        "target_endpoint",
        aws.dms.Endpoint,
        {
            "endpoint_id": f"{identifier}-target",
            "endpoint_type": "target",
            "engine_name": "aurora-postgresql" if s.target.settings.aurora else "postgres",
            "database_name": s.database_name,
            "ssl_mode": "require",
            "secrets_manager_arn": s.target.secret_arn,
            "secrets_manager_access_role_arn": role_arn,
            "postgres_settings": {"after_connect_script": TARGET_AFTER_CONNECT},
        },
        suffix="target",
    )
    return source, target


def table_mappings(schema: str) -> str:
    """Every table of the schema, as it is (no renames, no filters)."""
    return json.dumps(
        {
            "rules": [
                {
                    "rule-type": "selection",
                    "rule-id": "1",
                    "rule-name": f"all-tables-of-{schema}",
                    "object-locator": {"schema-name": schema, "table-name": "%"},
                    "rule-action": "include",
                }
            ]
        },
        sort_keys=True,
    )


def replication_settings() -> str:
    """Task settings: logs to CloudWatch; the target's tables are left as they are (create
    the schema first, e.g. `pg_dump --schema-only` or the app's migrations, so indexes,
    defaults and foreign keys exist; DMS creates a missing table without them); rows are
    validated against the source after the full load and during CDC."""
    return json.dumps(
        {
            "Logging": {"EnableLogging": True},
            "FullLoadSettings": {"TargetTablePrepMode": "DO_NOTHING"},
            "ValidationSettings": {"EnableValidation": True},
        },
        sort_keys=True,
    )


def replication_config(
    owner: GridopsComponent,
    s: ReplicationSettings,
    identifier: str,
    net: DmsNetwork,
    source: aws.dms.Endpoint,
    target: aws.dms.Endpoint,
) -> aws.dms.ReplicationConfig:
    return owner.child(
        "replication_config",
        aws.dms.ReplicationConfig,
        {
            "replication_config_identifier": identifier,
            # The ARN's last part (and CloudWatch's dimension value) is the identifier too.
            "resource_identifier": identifier,
            "replication_type": "full-load-and-cdc",
            "source_endpoint_arn": source.endpoint_arn,
            "target_endpoint_arn": target.endpoint_arn,
            "table_mappings": table_mappings(s.source.schema),
            "replication_settings": replication_settings(),
            "compute_config": {
                "replication_subnet_group_id": net.subnet_group_id,
                "vpc_security_group_ids": [net.security_group_id],
                "max_capacity_units": s.max_capacity_units,
                "min_capacity_units": s.min_capacity_units,
                "multi_az": s.multi_az,
            },
            "start_replication": s.start_replication,
        },
        suffix="replication",
    )


__all__ = [
    "DmsNetwork",
    "dms_identifier",
    "dms_network",
    "endpoints",
    "replication_config",
    "replication_settings",
    "secrets_role",
    "table_mappings",
]
