"""The SingleServer's own database: PostgreSQL in a container on the data volume.

Why a container and not a small RDS instance: at this stage the whole product runs on
one host, and the database adds no bill (a single-AZ db.t4g.micro with storage and
backups is about $15/month, a third of the host), no second failure domain the app
does not already have, and no subnet/NAT design. It still gets what matters for data:
an encrypted, `protect`ed, retained volume with daily snapshots, a nightly `pg_dump` off
the host to a versioned bucket, and a password that exists only in Pulumi state (as a
secret) and an SSM SecureString. The way out is ManagedPostgresWithReplicas in the
fargate stage: restore the latest dump into it.

Services link it like any database (`"links": [server.database]`): they get
`DATABASE_HOST/PORT/NAME/USER/SSLMODE` and `DATABASE_PASSWORD` / `DATABASE_URL` as
SecureString references, resolved on the host at start. Traffic stays on the host (the
internal `db` compose network, which only linked services join), hence `sslmode=disable`.
"""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.links import LinkGrant
from gridops_infra.core.random_secrets import random_password
from gridops_infra.core.validation import ArgError
from gridops_infra.platforms.single_server.compose import DATABASE_NETWORK
from gridops_infra.platforms.single_server.replication import (
    REPLICATION_PORT,
    ReplicationSourceSettings,
)

DATABASE_HOST = "postgres"
DATABASE_PORT = 5432
PASSWORD_LENGTH = 40  # letters and digits: safe in a URL and an env file
ENV_PREFIX = "DATABASE"


class SingleServerDatabase:
    """PostgreSQL on a SingleServer, linkable by the services on that server."""

    def __init__(
        self,
        server_name: str,
        host_security_group_id: pulumi.Input[str],
        *,
        version: str,
        database: str,
        user: str,
        password_parameter: aws.ssm.Parameter,
        url_parameter: aws.ssm.Parameter,
    ) -> None:
        self.server_name = server_name
        self.host_security_group_id = host_security_group_id
        self.version = version
        self.database = database
        self.user = user
        self.host = DATABASE_HOST
        self.port = DATABASE_PORT
        self.password_parameter = password_parameter
        self.url_parameter = url_parameter
        self.password_parameter_arn: pulumi.Output[str] = password_parameter.arn
        self.url_parameter_arn: pulumi.Output[str] = url_parameter.arn
        self.consumers: list[str] = []
        self.replication: ReplicationSource | None = None
        """Set when the server is a replication source (`replication_source`)."""

    @property
    def name(self) -> str:
        return f"{self.server_name}-postgres"

    def link_grant(self) -> LinkGrant:
        """Connection settings and the credentials as SecureString references."""
        p = ENV_PREFIX
        return LinkGrant(
            environment={
                f"{p}_HOST": self.host,
                f"{p}_PORT": str(self.port),
                f"{p}_NAME": self.database,
                f"{p}_USER": self.user,
                f"{p}_SSLMODE": "disable",
            },
            secrets={
                f"{p}_PASSWORD": self.password_parameter_arn,
                f"{p}_URL": self.url_parameter_arn,
            },
            secret_arns=[self.password_parameter_arn, self.url_parameter_arn],
        )

    def allow_from(self, consumer_name: str, security_group_id: pulumi.Input[str]) -> str:
        """Let one service on this server reach the database: it joins the internal `db`
        network (returned). Services elsewhere cannot reach a container on this host."""
        if security_group_id is not self.host_security_group_id:
            raise ArgError(
                f"SingleServer '{self.server_name}': the database can only be linked by "
                f"services on this server, not by {consumer_name!r}; on another platform use "
                "ManagedPostgresWithReplicas"
            )
        if consumer_name not in self.consumers:
            self.consumers.append(consumer_name)
        return DATABASE_NETWORK


class ReplicationSource:
    """What a DMS replication needs to read this server's PostgreSQL: where it listens, the
    user, and the Secrets Manager secret DMS reads the credentials from (JSON keys
    `username`, `password`, `host`, `port`, `dbname`)."""

    def __init__(
        self,
        server_name: str,
        settings: ReplicationSourceSettings,
        *,
        host: pulumi.Output[str],
        secret: aws.secretsmanager.Secret,
        secret_arn: pulumi.Output[str],
        host_security_group_id: pulumi.Input[str],
        data_volume_gb: int,
    ) -> None:
        self.server_name = server_name
        self.settings = settings
        self.user = settings.user
        self.schema = settings.schema
        self.port = REPLICATION_PORT
        self.host = host
        """The server's private address (DMS connects inside the VPC)."""
        self.secret = secret
        self.secret_arn = secret_arn
        """Resolves once the secret's value is written."""
        self.host_security_group_id = host_security_group_id
        self.data_volume_gb = data_volume_gb

    def allow_replication_from(
        self, owner: GridopsComponent, role: str, security_group_id: pulumi.Input[str]
    ) -> aws.vpc.SecurityGroupIngressRule:
        """Admit one DMS security group on 5432 (a child of `owner`)."""
        return owner.child(
            role,
            aws.vpc.SecurityGroupIngressRule,
            {
                "security_group_id": self.host_security_group_id,
                "referenced_security_group_id": security_group_id,
                "ip_protocol": "tcp",
                "from_port": self.port,
                "to_port": self.port,
                "description": f"DMS to the PostgreSQL of SingleServer {self.server_name}",
            },
            suffix="source-in-5432",
        )


def create_replication_source(
    server: GridopsComponent,
    database: SingleServerDatabase,
    settings: ReplicationSourceSettings,
    *,
    private_ip: pulumi.Output[str],
    data_volume_gb: int,
) -> ReplicationSource:
    """The replication user's random password, kept only in Pulumi state (as a secret) and a
    Secrets Manager secret in the JSON shape DMS reads; the host agent reads the same
    secret at start, with the instance role's GetSecretValue on exactly this ARN."""
    password = random_password(
        server, "replication_password", PASSWORD_LENGTH, suffix="replication-password"
    )
    secret = server.child(
        "replication_secret",
        aws.secretsmanager.Secret,
        {
            "description": f"DMS replication user of the PostgreSQL on SingleServer {server.name}",
            "recovery_window_in_days": 7,
        },
        suffix="replication-secret",
    )
    value = pulumi.Output.secret(
        pulumi.Output.all(password.result, private_ip).apply(
            lambda v: json.dumps(
                {
                    "username": settings.user,
                    "password": v[0],
                    "host": v[1],
                    "port": REPLICATION_PORT,
                    "dbname": database.database,
                    "engine": "postgres",
                },
                sort_keys=True,
            )
        )
    )
    version = server.child(
        "replication_secret_version",
        aws.secretsmanager.SecretVersion,
        {"secret_id": secret.id, "secret_string": value},
        suffix="replication-secret-value",
        tag=False,
    )
    source = ReplicationSource(
        server.name,
        settings,
        host=private_ip,
        secret=secret,
        secret_arn=pulumi.Output.all(secret.arn, version.id).apply(lambda v: str(v[0])),
        host_security_group_id=database.host_security_group_id,
        data_volume_gb=data_volume_gb,
    )
    database.replication = source
    return source


def create_database(
    server: GridopsComponent,
    host_security_group_id: pulumi.Input[str],
    *,
    version: str,
    database: str,
    user: str,
    parameter_path: str,
) -> SingleServerDatabase:
    """The password (Pulumi secret) and its two SecureString parameters."""
    password = random_password(server, "database_password", PASSWORD_LENGTH, suffix="db-password")
    password_parameter = server.child(
        "database_secret",
        aws.ssm.Parameter,
        {
            "name": f"{parameter_path}/database/password",
            "type": "SecureString",
            "value": password.result,
            "description": f"PostgreSQL password of SingleServer {server.name}",
        },
        suffix="db-password-parameter",
    )
    url = pulumi.Output.secret(
        password.result.apply(
            lambda pw: f"postgresql://{user}:{pw}@{DATABASE_HOST}:{DATABASE_PORT}/{database}"
        )
    )
    url_parameter = server.child(
        "database_secret",
        aws.ssm.Parameter,
        {
            "name": f"{parameter_path}/database/url",
            "type": "SecureString",
            "value": url,
            "description": f"PostgreSQL connection URL of SingleServer {server.name}",
        },
        suffix="db-url-parameter",
    )
    return SingleServerDatabase(
        server.name,
        host_security_group_id,
        version=version,
        database=database,
        user=user,
        password_parameter=password_parameter,
        url_parameter=url_parameter,
    )


__all__ = [
    "DATABASE_HOST",
    "DATABASE_PORT",
    "ReplicationSource",
    "SingleServerDatabase",
    "create_database",
    "create_replication_source",
]
