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

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.links import LinkGrant
from gridops_infra.core.validation import ArgError
from gridops_infra.platforms.single_server.compose import DATABASE_NETWORK

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
    password = server.child(
        "database_password",
        random.RandomPassword,
        {"length": PASSWORD_LENGTH, "special": False, "min_numeric": 4, "min_upper": 4},
        suffix="db-password",
        tag=False,
    )
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


__all__ = ["DATABASE_HOST", "DATABASE_PORT", "SingleServerDatabase", "create_database"]
