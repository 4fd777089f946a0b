"""ManagedPostgresWithReplicas: what both engine modes share (network, key, credentials, logs,
the monitoring role), built as children of the component."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.random_secrets import random_password
from gridops_infra.data.postgres.settings import PostgresSettings

PASSWORD_LENGTH = 40  # letters and digits only: safe in a URL, ~238 bits


@dataclass
class Foundation:
    """Children every engine mode uses, created before the database itself."""

    security_group: aws.ec2.SecurityGroup
    subnet_group: aws.rds.SubnetGroup
    kms_key_arn: pulumi.Input[str] | None
    password: random.RandomPassword | None
    secret: aws.secretsmanager.Secret | None
    monitoring_role_arn: pulumi.Output[str] | None
    monitoring_policy_document: pulumi.Output[str] | None
    before_database: list[pulumi.Resource]
    """What the primary / cluster must wait for (log groups, the monitoring policy), so RDS
    never creates a log group of its own with unlimited retention."""


def data_protection(s: PostgresSettings) -> pulumi.ResourceOptions:
    """`protect` and `retain_on_delete` for what holds or unlocks the data."""
    return pulumi.ResourceOptions(protect=s.protect, retain_on_delete=s.protect)


def build_foundation(db: GridopsComponent, s: PostgresSettings) -> Foundation:
    kms_key_arn = s.kms_key_arn
    if s.customer_managed_key:
        key = db.child(
            "kms_key",
            aws.kms.Key,
            {
                "description": f"Encrypts the {db.name} PostgreSQL storage, snapshots and secret",
                "enable_key_rotation": True,
                "deletion_window_in_days": 30,
            },
            suffix="key",
            opts=data_protection(s),
        )
        kms_key_arn = key.arn
    security_group = db.child(
        "security_group",
        aws.ec2.SecurityGroup,
        {
            "vpc_id": s.network.vpc_id,
            "description": f"PostgreSQL {db.name}: admits only linked services",
            "tags": {"Name": f"{db.name}-db"},
        },
        suffix="sg",
    )
    if s.proxy:
        _proxy_to_database_rules(db, security_group, s.port)
    subnet_group = db.child(
        "subnet_group",
        aws.rds.SubnetGroup,
        {
            # Explicit lowercase names: RDS lowercases them anyway (a perpetual diff otherwise).
            "name": f"{s.identifier}-subnets",
            "subnet_ids": s.network.private_subnet_ids,
            "description": f"Private subnets of PostgreSQL {db.name}",
        },
        suffix="subnets",
    )
    before: list[pulumi.Resource] = list(_log_groups(db, s))
    monitoring_role_arn = monitoring_policy_document = None
    if s.monitoring_interval_seconds:
        role, policy, monitoring_policy_document = _monitoring_role(db)
        monitoring_role_arn = role.arn
        before.append(policy)
    password = secret = None
    if s.credentials == "random":
        password = random_password(db, "password", PASSWORD_LENGTH)
        secret = db.child(
            "secret",
            aws.secretsmanager.Secret,
            {
                "description": f"Master credentials and connection strings of {db.name}",
                "kms_key_id": kms_key_arn,
                "recovery_window_in_days": 30,
            },
            suffix="credentials",
            opts=data_protection(s),
        )
    return Foundation(
        security_group=security_group,
        subnet_group=subnet_group,
        kms_key_arn=kms_key_arn,
        password=password,
        secret=secret,
        monitoring_role_arn=monitoring_role_arn,
        monitoring_policy_document=monitoring_policy_document,
        before_database=before,
    )


def _proxy_to_database_rules(db: GridopsComponent, sg: aws.ec2.SecurityGroup, port: int) -> None:
    """The proxy shares the database's security group: it may reach the databases (egress)
    and they admit it (ingress), both only on the PostgreSQL port and only within the group."""
    common = {
        "security_group_id": sg.id,
        "referenced_security_group_id": sg.id,
        "ip_protocol": "tcp",
        "from_port": port,
        "to_port": port,
    }
    db.child(
        "proxy_rule",
        aws.vpc.SecurityGroupIngressRule,
        {**common, "description": "RDS Proxy to PostgreSQL"},
        suffix="proxy-in",
    )
    db.child(
        "proxy_rule",
        aws.vpc.SecurityGroupEgressRule,
        {**common, "description": "RDS Proxy to PostgreSQL"},
        suffix="proxy-out",
    )


def _log_groups(db: GridopsComponent, s: PostgresSettings) -> list[pulumi.Resource]:
    """One group per exported log, named as RDS names them, with a retention."""
    if s.aurora:
        names = {"logs": f"/aws/rds/cluster/{s.identifier}/postgresql"}
    else:
        names = {
            "logs": f"/aws/rds/instance/{s.identifier}/postgresql",
            "upgrade-logs": f"/aws/rds/instance/{s.identifier}/upgrade",
        }
        for n in range(1, s.replicas + 1):
            names[f"replica-{n}-logs"] = f"/aws/rds/instance/{s.member_identifier(n)}/postgresql"
    return [
        db.child(
            "log_group",
            aws.cloudwatch.LogGroup,
            {"name": log_name, "retention_in_days": s.log_retention_days},
            suffix=suffix,
        )
        for suffix, log_name in names.items()
    ]


def _monitoring_role(
    db: GridopsComponent,
) -> tuple[aws.iam.Role, aws.iam.RolePolicy, pulumi.Output[str]]:
    """Enhanced monitoring: what the AWS managed AmazonRDSEnhancedMonitoringRole grants, but
    only on the RDSOSMetrics log group of this account and region."""
    account, region = iam.account_id(), iam.region_name()
    group = f"arn:aws:logs:{region}:{account}:log-group:RDSOSMetrics"
    role = db.child(
        "monitoring_role",
        aws.iam.Role,
        {
            "assume_role_policy": iam.assume_role_policy(
                "monitoring.rds.amazonaws.com", source_account=account
            ),
            "description": f"Lets RDS enhanced monitoring of {db.name} write OS metrics",
        },
        suffix="monitoring",
    )
    document = iam.policy_document(
        [
            iam.statement(
                ["logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:DescribeLogStreams"],
                group,
                sid="OsMetricsGroup",
            ),
            iam.statement(
                ["logs:CreateLogStream", "logs:PutLogEvents", "logs:GetLogEvents"],
                f"{group}:log-stream:*",
                sid="OsMetricsStreams",
            ),
        ]
    )
    policy = db.child(
        "monitoring_policy",
        aws.iam.RolePolicy,
        {"role": role.id, "policy": document},
        suffix="monitoring-policy",
    )
    return role, policy, document


def write_connection_secret(
    db: GridopsComponent,
    s: PostgresSettings,
    f: Foundation,
    writer_host: pulumi.Input[str],
    reader_host: pulumi.Input[str],
) -> pulumi.Output[str]:
    """Random-password mode: the secret's value (master credentials plus ready connection
    strings). Returns the secret ARN, resolved only once the value is written."""
    assert f.password is not None and f.secret is not None

    def document(values: list[Any]) -> str:
        password, writer, reader = values
        base = f"postgresql://{s.master_username}:{password}@{{host}}:{s.port}/{s.db_name}"
        return json.dumps(
            {
                "engine": "postgres",
                "username": s.master_username,
                "password": password,
                "host": writer,
                "port": s.port,
                "dbname": s.db_name,
                "url": base.format(host=writer) + "?sslmode=require",
                "reader_url": base.format(host=reader) + "?sslmode=require",
            },
            sort_keys=True,
        )

    value = pulumi.Output.secret(
        pulumi.Output.all(f.password.result, writer_host, reader_host).apply(document)
    )
    version = db.child(
        "secret_version",
        aws.secretsmanager.SecretVersion,
        {"secret_id": f.secret.id, "secret_string": value},
        suffix="credentials-value",
    )
    return pulumi.Output.all(f.secret.arn, version.id).apply(lambda v: str(v[0]))


CA_CERTIFICATE = "rds-ca-rsa2048-g1"


def parameter_group(
    db: GridopsComponent,
    s: PostgresSettings,
    cls: type[aws.rds.ParameterGroup] | type[aws.rds.ClusterParameterGroup],
    engine_label: str,
) -> aws.rds.ParameterGroup | aws.rds.ClusterParameterGroup:
    """The instance (or Aurora cluster) parameter group: TLS required, slow queries
    logged (`parameter_list`)."""
    return db.child(
        "parameter_group",
        cls,
        {
            # The family is in the name, so a major upgrade creates the new group first.
            "name": f"{s.identifier}-{s.parameter_family}",
            "family": s.parameter_family,
            "description": f"{engine_label} {s.major} for {db.name}: TLS required, slow queries logged",
            "parameters": parameter_list(s),
        },
        suffix="params",
    )


def parameter_list(s: PostgresSettings) -> list[dict[str, str]]:
    """TLS always; slow statements and lock waits logged. Ours are dynamic parameters
    (applied at once); the user's extras wait for the next reboot, which suits any kind."""
    ours = {
        "rds.force_ssl": "1",
        "log_min_duration_statement": str(s.slow_query_ms),
        "log_lock_waits": "1",
    }
    values = {**ours, **s.parameters}
    return [
        {"name": k, "value": v, "apply_method": "immediate" if k in ours else "pending-reboot"}
        for k, v in values.items()
    ]


def instance_monitoring(s: PostgresSettings, f: Foundation) -> dict[str, Any]:
    """Performance Insights (always on) and optional enhanced monitoring, per DB instance."""
    args: dict[str, Any] = {
        "performance_insights_enabled": True,
        "performance_insights_retention_period": s.performance_insights_retention_days,
        "performance_insights_kms_key_id": f.kms_key_arn,
        "monitoring_interval": s.monitoring_interval_seconds,
    }
    if f.monitoring_role_arn is not None:
        args["monitoring_role_arn"] = f.monitoring_role_arn
    return args


def master_secret_arn(secrets: pulumi.Output[Any]) -> pulumi.Output[str]:
    """The ARN of the RDS-managed master secret (`master_user_secrets[0].secret_arn`)."""

    def first(values: Any) -> str:
        item = (values or [None])[0]
        arn = (
            item.get("secret_arn") if isinstance(item, dict) else getattr(item, "secret_arn", None)
        )
        return str(arn or "")

    return secrets.apply(first)
