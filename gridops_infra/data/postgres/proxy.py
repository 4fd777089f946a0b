"""ManagedPostgresWithReplicas: the optional RDS Proxy (TLS required, pooled connections) and,
for Aurora, its read-only endpoint."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.data.postgres.instance import Deployment
from gridops_infra.data.postgres.settings import PostgresSettings
from gridops_infra.data.postgres.support import Foundation

IDLE_CLIENT_TIMEOUT_SECONDS = 1800


@dataclass
class ProxyEndpoints:
    writer: pulumi.Output[str]
    reader: pulumi.Output[str] | None
    target: aws.rds.ProxyTarget
    policy_document: pulumi.Output[str]


def build_proxy(
    db: GridopsComponent,
    s: PostgresSettings,
    f: Foundation,
    d: Deployment,
    secret_arn: pulumi.Output[str],
) -> ProxyEndpoints:
    role = db.child(
        "proxy_role",
        aws.iam.Role,
        {
            "assume_role_policy": iam.assume_role_policy(
                "rds.amazonaws.com", source_account=iam.account_id()
            ),
            "description": f"Lets the RDS Proxy of {db.name} read the database credentials",
        },
        suffix="proxy-role",
    )
    statements = [
        iam.statement(["secretsmanager:GetSecretValue"], secret_arn, sid="ReadCredentials")
    ]
    if f.kms_key_arn is not None:
        statements.append(
            iam.statement(
                ["kms:Decrypt"],
                pulumi.Output.from_input(f.kms_key_arn),
                sid="DecryptCredentials",
                conditions={
                    "StringEquals": {
                        "kms:ViaService": f"secretsmanager.{iam.region_name()}.amazonaws.com"
                    }
                },
            )
        )
    policy_document = iam.policy_document(statements)
    policy = db.child(
        "proxy_policy",
        aws.iam.RolePolicy,
        {"role": role.id, "policy": policy_document},
        suffix="proxy-policy",
    )
    proxy = db.child(
        "proxy",
        aws.rds.Proxy,
        {
            "engine_family": "POSTGRESQL",
            "require_tls": True,
            "debug_logging": False,
            "idle_client_timeout": IDLE_CLIENT_TIMEOUT_SECONDS,
            "role_arn": role.arn,
            "vpc_subnet_ids": s.network.private_subnet_ids,
            "vpc_security_group_ids": [f.security_group.id],
            "auths": [
                {
                    "auth_scheme": "SECRETS",
                    "secret_arn": secret_arn,
                    "iam_auth": "DISABLED",
                    "client_password_auth_type": "POSTGRES_SCRAM_SHA_256",
                    "description": f"Master credentials of {db.name}",
                }
            ],
        },
        opts=pulumi.ResourceOptions(depends_on=[policy]),
    )
    pool = db.child(
        "proxy_target_group",
        aws.rds.ProxyDefaultTargetGroup,
        {
            "db_proxy_name": proxy.name,
            "connection_pool_config": {
                "max_connections_percent": 90,
                "max_idle_connections_percent": 50,
                "connection_borrow_timeout": 120,
            },
        },
        suffix="proxy-pool",
    )
    target = db.child(
        "proxy_target",
        aws.rds.ProxyTarget,
        # "default" is the one target group every proxy has.
        {"db_proxy_name": proxy.name, "target_group_name": "default", **d.proxy_target},
        suffix="proxy-target",
        opts=pulumi.ResourceOptions(depends_on=[d.writer, pool]),
    )
    reader = None
    if s.aurora:
        endpoint = db.child(
            "proxy_endpoint",
            aws.rds.ProxyEndpoint,
            {
                "db_proxy_name": proxy.name,
                "db_proxy_endpoint_name": f"{s.identifier}-ro",
                "target_role": "READ_ONLY",
                "vpc_subnet_ids": s.network.private_subnet_ids,
                "vpc_security_group_ids": [f.security_group.id],
            },
            suffix="proxy-read-only",
            opts=pulumi.ResourceOptions(depends_on=[target]),
        )
        reader = endpoint.endpoint
    return ProxyEndpoints(
        writer=proxy.endpoint, reader=reader, target=target, policy_document=policy_document
    )
