"""The SingleServer's PostgreSQL as a replication source for AWS DMS (full load + ongoing
change data capture into ManagedPostgresWithReplicas).

What AWS DMS needs from a self-managed PostgreSQL source with CDC
(https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Source.PostgreSQL.html#CHAP_Source.PostgreSQL.Prerequisites):
`wal_level = logical`, `max_replication_slots` and `max_wal_senders` at least the number of
tasks reading it, `wal_sender_timeout` either 0 or at least 10 seconds, a pg_hba entry
admitting the DMS user from the replication network, and a user with the REPLICATION
attribute that can read every table. DMS reads changes through the `test_decoding` plugin
(PostgreSQL's contrib, in every official image), so no extension is installed.

Everything here is a pure function of the settings: the same text goes to the host (as files
of the base compose fragment) and into the tests that load it into a real PostgreSQL.

On the host: the PostgreSQL container starts with `-c config_file=<ours>`, which first
includes the data directory's own `postgresql.conf` and then overrides what replication
needs; its TLS key pair is made once, on the data volume, before the server starts (DMS
connects with `sslmode=require`); a one-shot container applies `replication-user.sql` with
the replication password read from Secrets Manager by the host agent (never written to
disk, to the compose file or to the SQL text on disk).
"""

from __future__ import annotations

import dataclasses
import ipaddress
from typing import Any, TypedDict

from gridops_infra.core.aws_rules.dms import WAL_SENDER_TIMEOUT
from gridops_infra.core.validation import ArgError, ArgReader

CONFIG_DIR = "/etc/gridops/postgres"
"""Where the container sees the rendered files (read-only)."""
CONFIG_FILE = f"{CONFIG_DIR}/postgresql.conf"
HBA_FILE = f"{CONFIG_DIR}/pg_hba.conf"
USER_SQL_FILE = f"{CONFIG_DIR}/replication-user.sql"
DATA_CONFIG_FILE = "/var/lib/postgresql/data/postgresql.conf"
TLS_DIR = "/var/lib/postgresql/tls"
"""On its own volume: initdb refuses a data directory that is not empty."""
TLS_CERT = f"{TLS_DIR}/server.crt"
TLS_KEY = f"{TLS_DIR}/server.key"
PASSWORD_VARIABLE = "GRIDOPS_REPLICATION_PASSWORD"
"""The one-shot container's environment variable with the replication password."""
REPLICATION_PORT = 5432
DECODING_PLUGIN = "test_decoding"
DEFAULT_USER = "dms_replication"
IDENTIFIER = r"[a-z_][a-z0-9_]{0,62}"


class ReplicationSourceArgs(TypedDict, total=False):
    """`SingleServerArgs.replication_source`: make the server's PostgreSQL a source AWS DMS
    can replicate from (see `PostgresReplication`)."""

    allowed_cidrs: list[str]
    """IPv4 blocks DMS connects from: the only addresses pg_hba lets the replication user
    in from (TLS and scram-sha-256 only). Each a block without host bits.

    Default: the network's private subnets (where `PostgresReplication` runs DMS).
    Example: ``["10.0.0.0/18"]``"""
    security_group_id: str
    """The security group of a DMS replication you run yourself: the server admits it on
    5432. Leave it out with `PostgresReplication`, which admits its own group.

    Default: none (nothing but `PostgresReplication` reaches 5432).
    Example: ``"sg-0123456789abcdef0"``"""
    user: str
    """The replication user (LOGIN REPLICATION, SELECT on the schema's tables). Lowercase
    letters, digits and `_`, at most 63, not the database owner.

    Default: `"dms_replication"`.
    Example: ``"dms"``"""
    schema: str
    """The schema whose tables the user may read (and DMS replicates).

    Default: `"public"`.
    Example: ``"shop"``"""
    replication_slots: int
    """`max_replication_slots`: replications that may read the server at once (one slot
    each). `max_wal_senders` is this plus 2. Allowed: 1..32. Changing it restarts
    PostgreSQL.

    Default: 4.
    Example: ``2``"""
    wal_sender_timeout_seconds: int
    """`wal_sender_timeout`: an idle replication connection is closed after this. 0 turns
    the timeout off; otherwise DMS needs at least 10.

    Default: 60.
    Example: ``120``"""
    max_slot_wal_keep_gb: int
    """`max_slot_wal_keep_size`: WAL a stalled replication slot may hold back, in GiB,
    so a stopped DMS replication cannot fill the data volume (the slot is invalidated
    instead, and DMS must start again with a full load). Allowed: 1 up to the data
    volume's size less 1.

    Default: a quarter of `data_volume_gb` (at least 1).
    Example: ``20``"""


@dataclasses.dataclass(frozen=True)
class ReplicationSourceSettings:
    """The validated `replication_source`."""

    allowed_cidrs: tuple[str, ...]
    security_group_id: str | None
    user: str
    schema: str
    replication_slots: int
    wal_sender_timeout_seconds: int
    max_slot_wal_keep_gb: int

    @property
    def max_wal_senders(self) -> int:
        # Two spare senders: a pg_basebackup or a second connection while a slot reconnects.
        return self.replication_slots + 2


FIELD = "replication_source"


class _SourceReader(ArgReader):
    """Reads `replication_source`; errors name the nested field
    (`replication_source.user`)."""

    def __init__(self, server_name: str, raw: dict[str, Any]) -> None:
        try:
            super().__init__(
                "SingleServer", server_name, raw, ReplicationSourceArgs.__annotations__
            )
        except ArgError as exc:
            raise ArgError(str(exc).replace("': ", f"': {FIELD}: ", 1)) from None

    def fail(self, field: str, value: Any, allowed: str, *, secret: bool = False) -> ArgError:
        return super().fail(f"{FIELD}.{field}", value, allowed, secret=secret)


def read_replication_source(
    server_name: str,
    raw: Any,
    *,
    default_cidrs: list[str],
    database_user: str,
    data_volume_gb: int,
) -> ReplicationSourceSettings:
    """Check `replication_source` (a dict) before anything is registered."""
    if not isinstance(raw, dict):
        raise ArgError(
            f"SingleServer '{server_name}': replication_source: expected a dict of "
            f"ReplicationSourceArgs, got {type(raw).__name__}"
        )
    a = _SourceReader(server_name, raw)
    cidrs = a.string_list("allowed_cidrs") if a.has("allowed_cidrs") else default_cidrs
    if not cidrs:
        raise a.fail("allowed_cidrs", cidrs, "expected at least one IPv4 CIDR block")
    blocks: list[str] = []
    for cidr in cidrs:
        try:
            blocks.append(str(ipaddress.IPv4Network(cidr, strict=True)))
        except ValueError:
            raise a.fail("allowed_cidrs", cidrs, f"{cidr!r} is not an IPv4 CIDR block") from None
    if any(ipaddress.IPv4Network(b).prefixlen == 0 for b in blocks):
        raise a.fail(
            "allowed_cidrs",
            cidrs,
            "the replication user must not be reachable from everywhere: name DMS's subnets",
        )
    user = a.string("user", DEFAULT_USER, IDENTIFIER, "lowercase letters, digits and _")
    if user == database_user:
        raise a.fail("user", user, "must differ from database_user (the owner keeps its rights)")
    timeout = a.integer("wal_sender_timeout_seconds", 60, 0, 3600)
    if 0 < timeout < 10:
        raise WAL_SENDER_TIMEOUT.refuse(
            f"SingleServer '{server_name}'",
            f"{FIELD}.wal_sender_timeout_seconds",
            f"{timeout} seconds",
        )
    if data_volume_gb < 2:
        raise ArgError(
            f"SingleServer '{server_name}': data_volume_gb={data_volume_gb} is not allowed; at "
            "least 2 with replication_source (room for the WAL a replication slot holds)"
        )
    return ReplicationSourceSettings(
        allowed_cidrs=tuple(dict.fromkeys(blocks)),
        security_group_id=a.optional_string(
            "security_group_id", r"sg-[0-9a-f]{8}([0-9a-f]{9})?", "expected sg-..."
        ),
        user=user,
        schema=a.string("schema", "public", IDENTIFIER, "lowercase letters, digits and _"),
        replication_slots=a.integer("replication_slots", 4, 1, 32),
        wal_sender_timeout_seconds=timeout,
        max_slot_wal_keep_gb=a.integer(
            "max_slot_wal_keep_gb", max(1, data_volume_gb // 4), 1, data_volume_gb - 1
        ),
    )


def render_postgresql_conf(s: ReplicationSourceSettings) -> str:
    """The server's configuration file: the data directory's own file, then what DMS
    needs (later lines win in postgresql.conf)."""
    return "\n".join(
        [
            "# Rendered by gridops (SingleServer replication_source): the image's settings,",
            "# then what AWS DMS needs to replicate from this server with CDC.",
            f"include_if_exists = '{DATA_CONFIG_FILE}'",
            "listen_addresses = '*'",
            f"hba_file = '{HBA_FILE}'",
            "password_encryption = 'scram-sha-256'",
            "ssl = on",
            f"ssl_cert_file = '{TLS_CERT}'",
            f"ssl_key_file = '{TLS_KEY}'",
            "ssl_min_protocol_version = 'TLSv1.2'",
            "wal_level = logical",
            f"max_replication_slots = {s.replication_slots}",
            f"max_wal_senders = {s.max_wal_senders}",
            f"wal_sender_timeout = '{s.wal_sender_timeout_seconds}s'",
            f"max_slot_wal_keep_size = '{s.max_slot_wal_keep_gb}GB'",
            "",
        ]
    )


def render_pg_hba(s: ReplicationSourceSettings, database: str) -> str:
    """Who may connect: local socket (the image's entrypoint, health check and nightly
    dump, as before), the replication user from DMS's blocks only, over TLS, and
    everyone else only from the container's own networks (the linked services)."""
    lines = [
        "# Rendered by gridops (SingleServer replication_source). First match wins.",
        "# TYPE   DATABASE  USER  ADDRESS  METHOD",
        "local    all  all  trust",
    ]
    lines += [f"hostssl  {database}  {s.user}  {cidr}  scram-sha-256" for cidr in s.allowed_cidrs]
    lines += [
        f"host     all  {s.user}  0.0.0.0/0  reject",
        f"host     all  {s.user}  ::/0  reject",
        "host     all  all  samenet  scram-sha-256",
        "host     all  all  0.0.0.0/0  reject",
        "host     all  all  ::/0  reject",
        "",
    ]
    return "\n".join(lines)


def render_user_sql(s: ReplicationSourceSettings, database: str, owner: str) -> str:
    """psql script (run by the owner) that creates or updates the replication user. The
    password comes from the environment (`\\getenv`), and the session logs no statement, so
    it reaches neither a file nor the server log."""
    user = s.user
    return "\n".join(
        [
            "-- Rendered by gridops (SingleServer replication_source): idempotent.",
            "\\set ON_ERROR_STOP on",
            f"\\getenv replication_password {PASSWORD_VARIABLE}",
            "SET log_statement = 'none';",
            "SET log_min_error_statement = 'panic';",
            f"SELECT 'CREATE ROLE {user}' WHERE NOT EXISTS "
            f"(SELECT FROM pg_roles WHERE rolname = '{user}') \\gexec",
            f"ALTER ROLE {user} WITH LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE "
            "PASSWORD :'replication_password';",
            f"GRANT CONNECT ON DATABASE {database} TO {user};",
            f"GRANT USAGE ON SCHEMA {s.schema} TO {user};",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {s.schema} TO {user};",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {s.schema} "
            f"GRANT SELECT ON TABLES TO {user};",
            "",
        ]
    )


def config_files(s: ReplicationSourceSettings, database: str, owner: str) -> dict[str, str]:
    """The files of the base fragment (under the agent's files directory)."""
    return {
        "postgres/postgresql.conf": render_postgresql_conf(s),
        "postgres/pg_hba.conf": render_pg_hba(s, database),
        "postgres/replication-user.sql": render_user_sql(s, database, owner),
    }


def server_command() -> tuple[str, ...]:
    """The PostgreSQL container's command: make the TLS key pair once (self-signed: DMS's
    `require` mode encrypts without checking the issuer), then the image's entrypoint with
    our configuration file."""
    script = " && ".join(
        [
            f"mkdir -p {TLS_DIR}",
            f"if [ ! -s {TLS_KEY} ]; then openssl req -x509 -newkey rsa:2048 -nodes "
            f"-days 3650 -subj /CN=gridops-postgres -keyout {TLS_KEY} -out {TLS_CERT}; fi",
            f"chown postgres:postgres {TLS_KEY} {TLS_CERT}",
            f"chmod 0600 {TLS_KEY}",
            f"exec docker-entrypoint.sh postgres -c config_file={CONFIG_FILE}",
        ]
    )
    return ("bash", "-c", script)


def user_job_command() -> tuple[str, ...]:
    """The one-shot container: wait for the server, then apply the user script."""
    return (
        "bash",
        "-c",
        f"until pg_isready -q; do sleep 2; done && exec psql -X -q -f {USER_SQL_FILE}",
    )


__all__ = [
    "CONFIG_DIR",
    "DECODING_PLUGIN",
    "PASSWORD_VARIABLE",
    "REPLICATION_PORT",
    "ReplicationSourceArgs",
    "ReplicationSourceSettings",
    "config_files",
    "read_replication_source",
    "render_pg_hba",
    "render_postgresql_conf",
    "render_user_sql",
    "server_command",
    "user_job_command",
]
