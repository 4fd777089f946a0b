"""RedisCache: the AUTH token (a Pulumi secret) and the Secrets Manager secret that hands it,
with the connection URLs, to linked services."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.random_secrets import random_password

AUTH_TOKEN_LENGTH = 64  # letters and digits: ElastiCache allows 16..128, and URL-safe


@dataclass
class Auth:
    token: random.RandomPassword
    secret: aws.secretsmanager.Secret
    """Empty until `write_auth_secret` stores its value."""


def create_auth(cache: GridopsComponent, kms_key_arn: pulumi.Input[str] | None) -> Auth:
    """The token and its (still empty) secret, before the replication group needs them."""
    token = random_password(cache, "auth_token", AUTH_TOKEN_LENGTH, suffix="auth-token")
    secret = cache.child(
        "secret",
        aws.secretsmanager.Secret,
        {
            "description": f"AUTH token and connection URLs of cache {cache.name}",
            "kms_key_id": kms_key_arn,
            "recovery_window_in_days": 30,
        },
        suffix="auth",
    )
    return Auth(token, secret)


def secret_document(auth_token: str, primary: str, reader: str, port: int) -> str:
    """The secret's JSON: `auth_token`, `host`, `port`, `url`, `reader_url`."""
    url = f"rediss://:{auth_token}@{{host}}:{port}"
    return json.dumps(
        {
            "auth_token": auth_token,
            "host": primary,
            "port": port,
            "url": url.format(host=primary),
            "reader_url": url.format(host=reader),
        },
        sort_keys=True,
    )


def write_auth_secret(
    cache: GridopsComponent,
    auth: Auth,
    primary: pulumi.Output[str],
    reader: pulumi.Output[str],
    port: int,
) -> pulumi.Output[str]:
    """Store the secret's value; returns the secret's ARN, which resolves only once the
    value is written, so consumers never read an empty secret."""

    def document(values: list[Any]) -> str:
        return secret_document(values[0], values[1], values[2], port)

    version = cache.child(
        "secret_version",
        aws.secretsmanager.SecretVersion,
        {
            "secret_id": auth.secret.id,
            "secret_string": pulumi.Output.secret(
                pulumi.Output.all(auth.token.result, primary, reader).apply(document)
            ),
        },
        suffix="auth-value",
    )
    return pulumi.Output.all(auth.secret.arn, version.id).apply(lambda v: str(v[0]))


__all__ = ["AUTH_TOKEN_LENGTH", "Auth", "create_auth", "secret_document", "write_auth_secret"]
