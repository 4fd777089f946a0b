"""The SingleServer's compose fragments as SSM parameters: one container spec rendered once
its Outputs resolve, the server's own base fragment (proxy, database, backup script), and
the parameter that carries a fragment to the host agent."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pulumi

from gridops_infra.platforms.single_server.args import PROXY_MEMORY_MB, ServerSettings
from gridops_infra.platforms.single_server.backup import render_backup_script
from gridops_infra.platforms.single_server.compose import (
    NETWORKS,
    REPLICATION_NETWORK,
    ContainerSpec,
    dumps,
    postgres_container,
    proxy_container,
    render_caddyfile,
    render_compose,
    replication_user_job,
)
from gridops_infra.platforms.single_server.database import SingleServerDatabase
from gridops_infra.platforms.single_server.replication import (
    config_files,
    server_command,
    user_job_command,
)

STANDARD_PARAMETER_BYTES = 4096
ADVANCED_PARAMETER_BYTES = 8192


def render_fragment(
    spec: ContainerSpec,
    *,
    region: str,
    log_group: str,
    companions: Sequence[ContainerSpec] = (),
) -> pulumi.Output[str]:
    """The compose fragment JSON of one container spec (and the `companions` that run with
    it, e.g. a link's sidecar), once their Outputs resolve (all in one `Output.all`)."""
    specs = (spec, *companions)
    values = [value for s in specs for value in unresolved(s)]

    def render(resolved: list[Any]) -> str:
        plain, start = [], 0
        for s in specs:
            size = len(unresolved(s))
            plain.append(resolved_spec(s, resolved[start : start + size]))
            start += size
        return dumps(render_compose(plain, region=region, log_group=log_group))

    return pulumi.Output.all(*values).apply(render)


def unresolved(spec: ContainerSpec) -> list[Any]:
    """The values of `spec` that may be Outputs: image, environment, secret references."""
    return [spec.image, *spec.environment.values(), *spec.secrets.values()]


def resolved_spec(spec: ContainerSpec, resolved: list[Any]) -> ContainerSpec:
    """`spec` with `unresolved(spec)` replaced by their resolved values."""
    n = len(spec.environment)
    return dataclasses.replace(
        spec,
        image=resolved[0],
        environment=dict(zip(spec.environment, resolved[1 : 1 + n], strict=True)),
        secrets=dict(zip(spec.secrets, resolved[1 + n :], strict=True)),
    )


def fragment_parameter_args(
    server_name: str, parameter_path: str, fragment: str, value: pulumi.Output[str]
) -> dict[str, Any]:
    """Arguments of the `aws.ssm.Parameter` holding one fragment: Standard tier up to
    4 KB, Advanced up to 8 KB (SSM's limits), a clear error beyond."""

    def tier(text: str) -> str:
        size = len(text.encode())
        if size > ADVANCED_PARAMETER_BYTES:
            raise ValueError(
                f"SingleServer '{server_name}': compose fragment {fragment!r} is {size} "
                f"bytes; an SSM parameter holds at most {ADVANCED_PARAMETER_BYTES}"
            )
        return "Advanced" if size > STANDARD_PARAMETER_BYTES else "Standard"

    return {
        "name": f"{parameter_path}/compose/{fragment}",
        "type": "String",
        "data_type": "text",
        "tier": value.apply(tier),
        # Not a secret (secrets are ARNs here), so `pulumi preview` shows its diff.
        "insecure_value": value,
        "description": f"docker compose fragment {fragment!r} of SingleServer {server_name}",
    }


def base_fragment(
    s: ServerSettings,
    *,
    region: str,
    log_group: str,
    server_dimension: str,
    database: SingleServerDatabase | None,
    bucket_name: pulumi.Output[str] | None,
    public_ip: pulumi.Output[str],
    origin_verify_ref: pulumi.Output[str] | None = None,
) -> pulumi.Output[str]:
    """The server's own fragment: the proxy with its Caddyfile (refusing requests without
    the origin secret behind a CDN; HTTPS on `public_ip` with `ip_certificate`) and, with a
    database, the PostgreSQL container and the nightly backup script."""

    def caddyfile(ip: str) -> dict[str, str]:
        site = s.domain or (ip if s.ip_certificate else ":80")
        text = render_caddyfile(
            site,
            acme_email=s.acme_email,
            origin_verify=origin_verify_ref is not None,
            ip_certificate=s.ip_certificate,
        )
        return {"caddy/Caddyfile": text}

    def proxy(origin_ref: str | None) -> ContainerSpec:
        return proxy_container(memory_mb=PROXY_MEMORY_MB, origin_verify_ref=origin_ref)

    if database is None or bucket_name is None:

        def render_proxy_only(resolved: list[Any]) -> str:
            origin_ref, ip = resolved
            fragment = render_compose(
                [proxy(origin_ref)],
                region=region,
                log_group=log_group,
                networks=NETWORKS,
                files=caddyfile(ip),
            )
            return dumps(fragment)

        return pulumi.Output.all(origin_verify_ref, public_ip).apply(render_proxy_only)
    db = database

    replication = db.replication

    def render(resolved: list[Any]) -> str:
        bucket, password_arn, origin_ref, ip, replication_secret_arn = resolved
        script = render_backup_script(
            bucket=bucket,
            region=region,
            database=db.database,
            user=db.user,
            server_dimension=server_dimension,
        )
        postgres = postgres_container(
            version=db.version,
            database=db.database,
            user=db.user,
            password_ref=password_arn,
            memory_mb=s.database_memory_mb,
            replication_command=server_command() if replication else (),
        )
        services = [proxy(origin_ref), postgres]
        all_files = {**caddyfile(ip), "backup/pg-backup.sh": script}
        if replication is not None:
            services.append(
                replication_user_job(
                    version=db.version,
                    database=db.database,
                    owner=db.user,
                    owner_password_ref=password_arn,
                    replication_password_ref=f"{replication_secret_arn}:password::",
                    command=user_job_command(),
                )
            )
            all_files.update(config_files(replication.settings, db.database, db.user))
        networks = {**NETWORKS, REPLICATION_NETWORK: {}} if replication else NETWORKS
        fragment = render_compose(
            services, region=region, log_group=log_group, networks=networks, files=all_files
        )
        return dumps(fragment)

    return pulumi.Output.all(
        bucket_name,
        db.password_parameter_arn,
        origin_verify_ref,
        public_ip,
        replication.secret.arn if replication else None,
    ).apply(render)


__all__ = [
    "ADVANCED_PARAMETER_BYTES",
    "STANDARD_PARAMETER_BYTES",
    "base_fragment",
    "fragment_parameter_args",
    "render_fragment",
]
