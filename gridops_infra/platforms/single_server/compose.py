"""What a SingleServer runs, as docker compose fragments: pure functions, no Pulumi.

Each service on the server is one *fragment*: a compose file (JSON, which compose reads
as YAML) kept in its own SSM parameter. The host agent (`agent.py`) merges
every fragment with `docker compose -f base -f api -f ...`, so one service changing only
changes its own parameter. A fragment may carry a top-level `x-gridops` extension that
compose ignores and the agent reads:

- `secrets`: compose variable -> SSM parameter or Secrets Manager ARN (optionally with
  ECS's `:json-key:version-stage:version-id` suffix). The agent resolves them on the host
  and passes them to `docker compose` as its environment; the compose file itself holds
  only `${GRIDOPS_SECRET__...}` placeholders, never a secret value.
- `files`: path under /opt/gridops/files -> content (the reverse proxy's routes, the
  backup script).

The reverse proxy is Caddy: the base fragment's Caddyfile imports every file in
`caddy/routes/`, in file-name order inside one `route` block (Caddy keeps a `route`
block's order as written), and route files are named by precedence: host routes first,
then longer literal path prefixes first, so `/api/v2/*` wins over `/api/*` over `/*`
whichever service registered first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gridops_infra.platforms.base import ORIGIN_VERIFY_HEADER
from gridops_infra.platforms.single_server.replication import PASSWORD_VARIABLE

COMPOSE_PROJECT = "gridops"
"""`docker compose -p gridops`: containers are named `gridops-<service>-<n>`."""
FILES_DIR = "/opt/gridops/files"
PROXY_CONTAINER = "gridops-proxy"
DATABASE_CONTAINER = "gridops-postgres"
# log_append (per-service access-log field): 2.8+; ACME profiles: 2.10.0+; Let's Encrypt
# IP-address certificates: 2.10.2+ (CertMagic 0.24), the 2.10 line's latest.
CADDY_IMAGE = "caddy:2.10-alpine"
WEB_NETWORK = "web"
DATABASE_NETWORK = "db"
NETWORKS: dict[str, dict[str, Any]] = {
    WEB_NETWORK: {},
    # No route out: only the database and the services that link it are on it.
    DATABASE_NETWORK: {"internal": True},
}
REPLICATION_NETWORK = "replication"
"""With `replication_source`: a network of PostgreSQL's own that carries its published port
(`db` is internal, and `web` would put every service on PostgreSQL's `samenet`)."""
SECRET_VARIABLE_PREFIX = "GRIDOPS_SECRET__"
ACCESS_LOG_SERVICE_FIELD = "gridops_service"
BASE_FRAGMENT = "00-base"
"""The server's own fragment (proxy, database); sorts before every service's name."""

SERVICE_NAME = r"[a-z][a-z0-9]*(-[a-z0-9]+)*"
ENV_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
HOST = r"[A-Za-z0-9*]([A-Za-z0-9*.-]*[A-Za-z0-9*])?"
PATH = r"/[A-Za-z0-9_\-.$/~'@:+*&=%]*"
MAX_RANK_PATH = 999


@dataclass(frozen=True)
class ProxyRoute:
    """Requests the reverse proxy sends to a container: any of `hosts` (none: every host)
    and any of `path_patterns` (`*` wildcards, as ALB path patterns)."""

    hosts: tuple[str, ...] = ()
    path_patterns: tuple[str, ...] = ("/*",)


@dataclass(frozen=True)
class ContainerSpec:
    """One compose service. Values are plain strings here; the component resolves
    Outputs (image, environment, secret ARNs) before rendering."""

    name: str
    """The compose service name, a DNS label; replicas are `gridops-<name>-<n>`."""
    image: Any
    port: int | None = None
    """The container port the proxy forwards `routes` to."""
    routes: tuple[ProxyRoute, ...] = ()
    health_check_path: str | None = None
    """The proxy's active health check: a replica not answering 2xx here gets no traffic."""
    environment: Mapping[str, Any] = field(default_factory=dict)
    secrets: Mapping[str, Any] = field(default_factory=dict)
    """Environment name -> SSM parameter / Secrets Manager ARN, resolved on the host."""
    command: tuple[str, ...] = ()
    replicas: int = 1
    """Containers to run; 0 keeps the service defined but stopped (its routes answer 404)."""
    cpus: float | None = None
    """CPU limit in vCPUs (compose `deploy.resources.limits.cpus`)."""
    memory_mb: int | None = None
    """Memory limit in MiB; the kernel kills the container above it."""
    networks: tuple[str, ...] = (WEB_NETWORK,)
    healthcheck: tuple[str, ...] = ()
    """Compose healthcheck test, e.g. `("CMD-SHELL", "pg_isready")`; empty: none."""
    healthcheck_start_seconds: int = 60
    """Grace period before failed healthchecks count."""
    stop_grace_seconds: int | None = None
    """Seconds between SIGTERM and SIGKILL when a container stops (compose default 10)."""
    user: str | None = None
    read_only: bool = False
    tmpfs: tuple[str, ...] = ()
    """Writable in-memory paths (with `read_only`)."""
    volumes: tuple[str, ...] = ()
    ports: tuple[str, ...] = ()
    """Host ports to publish (only the proxy publishes any)."""
    container_name: str | None = None
    """A fixed container name (single-replica infrastructure containers only)."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Other compose service keys, passed through (e.g. `shm_size`, `depends_on`,
    `network_mode`: with it the container joins another's network and `networks` is
    left out)."""


def escape(value: str) -> str:
    """A literal for a compose file: `$` would start variable interpolation."""
    return value.replace("$", "$$")


def secret_variable(service: str, env: str) -> str:
    """The compose variable the agent fills with one resolved secret."""
    return f"{SECRET_VARIABLE_PREFIX}{service.upper().replace('-', '_')}__{env}"


def container_names(spec: ContainerSpec) -> list[str]:
    """The DNS names of a spec's containers on the compose networks."""
    if spec.container_name:
        return [spec.container_name]
    return [f"{COMPOSE_PROJECT}-{spec.name}-{i}" for i in range(1, spec.replicas + 1)]


def check_container(spec: ContainerSpec) -> str | None:
    """Why compose or the proxy cannot run `spec` as given, or None."""
    if not re.fullmatch(SERVICE_NAME, spec.name) or len(spec.name) > 40:
        return f"name {spec.name!r}: expected a lowercase DNS label of at most 40 characters"
    if spec.replicas < 0 or (spec.container_name and spec.replicas != 1):
        return "replicas must be 0 or more (exactly 1 with a fixed container_name)"
    for env in (*spec.environment, *spec.secrets):
        if not re.fullmatch(ENV_NAME, env):
            return f"environment name {env!r}: expected [A-Za-z_][A-Za-z0-9_]*"
    both = sorted(set(spec.environment) & set(spec.secrets))
    if both:
        return f"{', '.join(both)} in both environment and secrets"
    if spec.routes and spec.port is None:
        return "routes need the container port to forward to"
    for route in spec.routes:
        if not route.path_patterns:
            return "a route needs at least one path pattern ('/*' for every path)"
        for host in route.hosts:
            if not re.fullmatch(HOST, host):
                return f"host {host!r}: expected a host name (* wildcards allowed)"
        for path in route.path_patterns:
            if not re.fullmatch(PATH, path):
                return f"path pattern {path!r}: expected a path starting with '/'"
    if spec.health_check_path is not None and not re.fullmatch(PATH, spec.health_check_path):
        return f"health check path {spec.health_check_path!r}: expected a path starting with '/'"
    if spec.cpus is not None and spec.cpus <= 0:
        return "cpus must be positive"
    if spec.memory_mb is not None and spec.memory_mb < 6:
        return "memory_mb must be at least 6 (docker's minimum)"
    unknown = sorted(set(spec.networks) - set(NETWORKS) - {REPLICATION_NETWORK})
    if unknown:
        return f"networks {unknown}: allowed {sorted(NETWORKS)}"
    return None


def logging_options(region: str, log_group: str) -> dict[str, Any]:
    """Container logs to CloudWatch Logs, one stream per container name."""
    return {
        "driver": "awslogs",
        "options": {"awslogs-region": region, "awslogs-group": log_group, "tag": "{{.Name}}"},
    }


def render_service(spec: ContainerSpec, *, region: str, log_group: str) -> dict[str, Any]:
    """The compose service for one spec (plain values only)."""
    problem = check_container(spec)
    if problem:
        raise ValueError(f"container {spec.name!r}: {problem}")
    env: dict[str, str] = {k: escape(str(v)) for k, v in sorted(spec.environment.items())}
    for name in sorted(spec.secrets):
        env[name] = "${" + secret_variable(spec.name, name) + "}"
    svc: dict[str, Any] = {
        "image": str(spec.image),
        "restart": "always",
        "init": True,
        "security_opt": ["no-new-privileges:true"],
        "logging": logging_options(region, log_group),
    }
    if "network_mode" not in spec.extra:
        svc["networks"] = list(spec.networks)
    if spec.container_name:
        svc["container_name"] = spec.container_name
    deploy: dict[str, Any] = {"replicas": spec.replicas}
    limits: dict[str, str] = {}
    if spec.cpus is not None:
        limits["cpus"] = f"{spec.cpus:g}"
    if spec.memory_mb is not None:
        limits["memory"] = f"{spec.memory_mb}M"
    if limits:
        deploy["resources"] = {"limits": limits}
    if not spec.container_name:
        svc["deploy"] = deploy
    elif limits:
        svc["deploy"] = {"resources": {"limits": limits}}
    if env:
        svc["environment"] = env
    if spec.command:
        svc["command"] = [escape(c) for c in spec.command]
    if spec.healthcheck:
        svc["healthcheck"] = {
            "test": [escape(c) for c in spec.healthcheck],
            "interval": "30s",
            "timeout": "5s",
            "retries": 3,
            "start_period": f"{spec.healthcheck_start_seconds}s",
        }
    if spec.stop_grace_seconds is not None:
        svc["stop_grace_period"] = f"{spec.stop_grace_seconds}s"
    if spec.user:
        svc["user"] = spec.user
    if spec.read_only:
        svc["read_only"] = True
    if spec.tmpfs:
        svc["tmpfs"] = list(spec.tmpfs)
    if spec.volumes:
        svc["volumes"] = list(spec.volumes)
    if spec.ports:
        svc["ports"] = list(spec.ports)
    svc.update(spec.extra)
    return svc


def route_file_name(service: str, index: int, hosts: Sequence[str], path: str) -> str:
    """`caddy/routes/<rank>-<service>-<index>.caddy`: the proxy tries routes in file-name
    order, so the rank puts host routes first, then longer literal prefixes."""
    literal = re.split(r"[*?]", path, maxsplit=1)[0]
    rank = f"{0 if hosts else 1}{MAX_RANK_PATH - min(len(literal), MAX_RANK_PATH):03d}"
    return f"caddy/routes/{rank}-{service}-{index}.caddy"


def render_route(
    spec: ContainerSpec, index: int, hosts: Sequence[str], path: str
) -> tuple[str, str]:
    """(file path, Caddyfile snippet) forwarding one host set + path to every replica."""
    matcher = f"@{spec.name.replace('-', '_')}_{index}"
    lines = [f"{matcher} {{"]
    if hosts:
        lines.append("\thost " + " ".join(hosts))
    lines += [
        f"\tpath {path}",
        "}",
        f"handle {matcher} {{",
        # The access log names the service: per-service request, error and latency metrics.
        f"\tlog_append {ACCESS_LOG_SERVICE_FIELD} {spec.name}",
    ]
    upstreams = " ".join(f"{n}:{spec.port}" for n in container_names(spec))
    lines += [
        f"\treverse_proxy {upstreams} {{",
        "\t\tlb_policy round_robin",
        "\t\tlb_try_duration 5s",
    ]
    if spec.health_check_path:
        lines += [
            f"\t\thealth_uri {spec.health_check_path}",
            "\t\thealth_interval 10s",
            "\t\thealth_timeout 5s",
            "\t\thealth_status 2xx",
        ]
    lines += ["\t}", "}", ""]
    return route_file_name(spec.name, index, hosts, path), "\n".join(lines)


def render_routes(spec: ContainerSpec) -> dict[str, str]:
    """Route files for every (host set, path) of the spec; none without replicas."""
    files: dict[str, str] = {}
    if spec.replicas == 0:
        return files
    index = 0
    for route in spec.routes:
        for path in route.path_patterns:
            name, text = render_route(spec, index, route.hosts, path)
            files[name] = text
            index += 1
    return files


def render_compose(
    services: Sequence[ContainerSpec],
    *,
    region: str,
    log_group: str,
    networks: Mapping[str, Any] | None = None,
    files: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One compose fragment: the services, their proxy routes and secret references.

    Pure: the same specs always give the same dict (sorted keys when dumped), so a
    fragment's parameter changes only when one of its services does.
    """
    names = [s.name for s in services]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate service names in one fragment: {sorted(names)}")
    doc: dict[str, Any] = {
        "services": {
            s.name: render_service(s, region=region, log_group=log_group) for s in services
        }
    }
    if networks:
        doc["networks"] = dict(networks)
    secrets = {
        secret_variable(s.name, env): str(ref)
        for s in services
        for env, ref in sorted(s.secrets.items())
    }
    all_files = dict(files or {})
    for s in services:
        all_files.update(render_routes(s))
    extension: dict[str, Any] = {}
    if secrets:
        extension["secrets"] = secrets
    if all_files:
        extension["files"] = dict(sorted(all_files.items()))
    if extension:
        doc["x-gridops"] = extension
    return doc


def dumps(fragment: Mapping[str, Any]) -> str:
    """The fragment as the parameter stores it: compact, sorted JSON."""
    return json.dumps(fragment, sort_keys=True, separators=(",", ":"))


ORIGIN_VERIFY_VARIABLE = "GRIDOPS_ORIGIN_VERIFY"
"""The proxy's environment variable holding the origin secret (behind a CDN)."""


IP_CERTIFICATE_PROFILE = "shortlived"
"""The Let's Encrypt ACME profile that issues certificates for IP addresses (160 hours)."""


def render_caddyfile(
    site: str,
    *,
    acme_email: str | None = None,
    origin_verify: bool = False,
    ip_certificate: bool = False,
) -> str:
    """The proxy's main Caddyfile: JSON access logs to stdout (CloudWatch via the awslogs
    driver) and every service route, in file-name order, then a 404. With
    `origin_verify`, a request without the origin secret (`$GRIDOPS_ORIGIN_VERIFY`, read
    when Caddy loads the file) in `X-Origin-Verify` gets 403 before any route. With
    `ip_certificate`, `site` is the host's public IP address and its certificate comes
    from Let's Encrypt's `shortlived` profile: Caddy gives an IP address a public
    certificate only through an explicit ACME issuer (its default for addresses is its own
    internal CA), and Let's Encrypt issues IP certificates in no other profile."""
    options = ["{", "\tadmin localhost:2019"]
    if acme_email:
        options.append(f"\temail {acme_email}")
    options.append("}")
    tls = (
        [
            "\ttls {",
            "\t\tissuer acme {",
            *([f"\t\t\temail {acme_email}"] if acme_email else []),
            f"\t\t\tprofile {IP_CERTIFICATE_PROFILE}",
            "\t\t}",
            "\t}",
        ]
        if ip_certificate
        else []
    )
    body = [
        f"{site} {{",
        *tls,
        "\tlog {",
        "\t\toutput stdout",
        "\t\tformat json",
        "\t}",
        *(
            [f"\t@not_through_cdn not header {ORIGIN_VERIFY_HEADER} {{${ORIGIN_VERIFY_VARIABLE}}}"]
            if origin_verify
            else []
        ),
        "\troute {",
        *(['\t\trespond @not_through_cdn "Forbidden" 403'] if origin_verify else []),
        "\t\timport /etc/caddy/routes/*.caddy",
        "\t\thandle {",
        '\t\t\trespond "Not found" 404',
        "\t\t}",
        "\t}",
        "}",
    ]
    header = "# Rendered by gridops (SingleServer): one file per service route in routes/."
    return "\n".join([header, *options, "", *body, ""])


def proxy_container(*, memory_mb: int = 256, origin_verify_ref: str | None = None) -> ContainerSpec:
    """Caddy on ports 80/443 of the host; its certificates live on the data volume.
    `origin_verify_ref`: the SSM parameter holding the origin secret (behind a CDN)."""
    return ContainerSpec(
        name="proxy",
        secrets={ORIGIN_VERIFY_VARIABLE: origin_verify_ref} if origin_verify_ref else {},
        image=CADDY_IMAGE,
        container_name=PROXY_CONTAINER,
        ports=("80:80", "443:443"),
        volumes=(f"{FILES_DIR}/caddy:/etc/caddy:ro", "/data/caddy:/data"),
        networks=(WEB_NETWORK,),
        memory_mb=memory_mb,
        healthcheck=("CMD", "wget", "-q", "-O", "/dev/null", "http://localhost:2019/config/"),
    )


def postgres_container(
    *,
    version: str,
    database: str,
    user: str,
    password_ref: str,
    memory_mb: int | None,
    replication_command: tuple[str, ...] = (),
) -> ContainerSpec:
    """PostgreSQL on the data volume, reachable only on the internal `db` network; with a
    `replication_command` (a replication source) it also publishes 5432 on the host (the
    security group admits only DMS) and reads the rendered configuration."""
    volumes: tuple[str, ...] = ("/data/postgres:/var/lib/postgresql/data",)
    networks: tuple[str, ...] = (DATABASE_NETWORK,)
    ports: tuple[str, ...] = ()
    if replication_command:
        volumes += (
            f"{FILES_DIR}/postgres:/etc/gridops/postgres:ro",
            "/data/postgres-tls:/var/lib/postgresql/tls",
        )
        # `db` is internal (no published ports): a network of its own carries the port.
        networks += (REPLICATION_NETWORK,)
        ports = ("5432:5432",)
    return ContainerSpec(
        name="postgres",
        image=f"postgres:{version}",
        container_name=DATABASE_CONTAINER,
        environment={"POSTGRES_DB": database, "POSTGRES_USER": user},
        secrets={"POSTGRES_PASSWORD": password_ref},
        volumes=volumes,
        networks=networks,
        ports=ports,
        command=replication_command,
        memory_mb=memory_mb,
        healthcheck=("CMD-SHELL", f"pg_isready -U {user} -d {database}"),
        stop_grace_seconds=60,
        extra={"shm_size": "256m"},
    )


def replication_user_job(
    *,
    version: str,
    database: str,
    owner: str,
    owner_password_ref: str,
    replication_password_ref: str,
    command: tuple[str, ...],
) -> ContainerSpec:
    """A one-shot container that creates or updates the replication user; it runs again
    (harmlessly) whenever the agent applies the fragments."""
    return ContainerSpec(
        name="postgres-replication-user",
        image=f"postgres:{version}",
        environment={"PGHOST": "postgres", "PGDATABASE": database, "PGUSER": owner},
        secrets={
            "PGPASSWORD": owner_password_ref,
            PASSWORD_VARIABLE: replication_password_ref,
        },
        volumes=(f"{FILES_DIR}/postgres:/etc/gridops/postgres:ro",),
        networks=(DATABASE_NETWORK,),
        command=command,
        memory_mb=64,
        extra={"restart": "on-failure", "depends_on": ["postgres"]},
    )


__all__ = [
    "ACCESS_LOG_SERVICE_FIELD",
    "BASE_FRAGMENT",
    "COMPOSE_PROJECT",
    "DATABASE_NETWORK",
    "IP_CERTIFICATE_PROFILE",
    "NETWORKS",
    "ORIGIN_VERIFY_HEADER",
    "ORIGIN_VERIFY_VARIABLE",
    "REPLICATION_NETWORK",
    "WEB_NETWORK",
    "ContainerSpec",
    "ProxyRoute",
    "check_container",
    "container_names",
    "dumps",
    "escape",
    "postgres_container",
    "proxy_container",
    "render_caddyfile",
    "render_compose",
    "render_routes",
    "replication_user_job",
    "secret_variable",
]
