"""The replication-source configuration SingleServer generates, loaded into a real PostgreSQL
(Debian's `postgresql` package) on a loopback port: the server starts with it, WAL is
logical, the generated user script creates a replication user who can open a logical
replication slot over TLS and read the changes DMS would read, and pg_hba refuses that user
from an address outside `allowed_cidrs` and without TLS.

The text under test is the text that goes to the host: the renderer the base compose
fragment uses (its sibling test proves the previewed fragment carries this very text). Only the paths that exist inside the container
(TLS key pair, pg_hba, port, socket directory) are overridden on the command line, which
PostgreSQL ranks above the configuration file.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from gridops_infra.platforms.single_server.replication import (
    DECODING_PLUGIN,
    PASSWORD_VARIABLE,
    ReplicationSourceSettings,
    config_files,
    read_replication_source,
    render_pg_hba,
)

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _pg_bin() -> Path | None:
    for directory in PG_BIN_DIRS:
        if (directory / "postgres").exists() and (directory / "initdb").exists():
            return directory
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


PG_BIN = _pg_bin()
pytestmark = pytest.mark.skipif(
    PG_BIN is None or shutil.which("psql") is None or shutil.which("openssl") is None,
    reason="PostgreSQL server binaries (Debian package `postgresql`), psql and openssl are "
    "needed to load the generated configuration; scripts/setup-dev installs them",
)

OWNER = "app"
DATABASE = "app"
REPLICATION_USER = "dms_replication"
PASSWORD = "Replication1Password2For3Tests4"


def _settings(allowed_cidrs: list[str]) -> ReplicationSourceSettings:
    return read_replication_source(
        "mvp",
        {"allowed_cidrs": allowed_cidrs, "replication_slots": 2},
        default_cidrs=[],
        database_user=OWNER,
        data_volume_gb=50,
    )


def _generated_files(allowed_cidrs: list[str]) -> dict[str, str]:
    """The files exactly as the base fragment carries them (tests/platforms/
    test_single_server_replication.py proves the fragment holds this very text)."""
    files = config_files(_settings(allowed_cidrs), DATABASE, OWNER)
    return {name.removeprefix("postgres/"): text for name, text in files.items()}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres_user() -> dict[str, int]:
    """PostgreSQL refuses to run as root: under root, run it as `nobody`."""
    if os.geteuid() != 0:
        return {}
    nobody = pwd.getpwnam("nobody")
    return {"user": nobody.pw_uid, "group": nobody.pw_gid}


class Server:
    def __init__(self, root: Path, files: dict[str, str]) -> None:
        assert PG_BIN is not None
        self.root = root
        self.port = _free_port()
        self.run_as = _as_postgres_user()
        self.data = root / "data"
        self.conf = root / "postgresql.conf"
        self.hba = root / "pg_hba.conf"
        self.conf.write_text(files["postgresql.conf"])
        self.original_hba = files["pg_hba.conf"]
        self.hba.write_text(self.original_hba)
        self.user_sql = root / "replication-user.sql"
        self.user_sql.write_text(files["replication-user.sql"])
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-keyout",
                str(root / "server.key"),
                "-out",
                str(root / "server.crt"),
            ],
            check=True,
            capture_output=True,
        )
        (root / "server.key").chmod(0o600)
        if self.run_as:
            for path in [root, *root.iterdir()]:
                os.chown(path, self.run_as["user"], self.run_as["group"])
        self._pg(["initdb", "-D", str(self.data), "-U", OWNER, "--auth=trust", "--no-sync"])

    def _pg(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        assert PG_BIN is not None
        return subprocess.run(
            [str(PG_BIN / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            text=True,
            **self.run_as,  # type: ignore[arg-type]
        )

    def start(self) -> None:
        options = " ".join(
            [
                f"-c config_file={self.conf}",
                f"-c hba_file={self.hba}",
                f"-c ssl_cert_file={self.root / 'server.crt'}",
                f"-c ssl_key_file={self.root / 'server.key'}",
                f"-c port={self.port}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off",
                f"-c unix_socket_directories={self.root}",
            ]
        )
        self._pg(
            [
                "pg_ctl",
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.root / "log"),
                "-w",
                "start",
            ]
        )

    def stop(self) -> None:
        self._pg(["pg_ctl", "-D", str(self.data), "-m", "immediate", "stop"])

    def psql(
        self,
        sql: str | None = None,
        *,
        file: Path | None = None,
        user: str = OWNER,
        host: str | None = None,
        sslmode: str = "prefer",
        replication: bool = False,
        env: dict[str, str] | None = None,
        dbname: str = DATABASE,
    ) -> subprocess.CompletedProcess[str]:
        conninfo = (
            f"host={host or self.root} port={self.port} dbname={dbname} user={user} "
            f"sslmode={sslmode}" + (" replication=database" if replication else "")
        )
        command = ["psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", conninfo]
        command += ["-f", str(file)] if file else ["-c", sql or ""]
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=30,
        )

    def reload(self, hba_text: str) -> None:
        self.hba.write_text(hba_text)
        result = self.psql("SELECT pg_reload_conf()")
        assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def loopback_files() -> dict[str, str]:
    return _generated_files(["127.0.0.1/32"])


@pytest.fixture(scope="module")
def server(loopback_files) -> Iterator[Server]:
    # Not under pytest's base directory, which `nobody` may not be able to enter.
    root = Path(tempfile.mkdtemp(prefix="gridops-pg-"))
    srv = Server(root, loopback_files)
    srv.start()
    created = srv.psql(f"CREATE DATABASE {DATABASE} OWNER {OWNER}", dbname="postgres")
    assert created.returncode == 0, created.stderr
    # The generated script, as the one-shot container runs it (owner, password from env).
    applied = srv.psql(file=srv.user_sql, env={PASSWORD_VARIABLE: PASSWORD})
    assert applied.returncode == 0, applied.stderr
    srv.psql("CREATE TABLE orders (id bigint PRIMARY KEY, total numeric)")
    try:
        yield srv
    finally:
        srv.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_the_generated_configuration_loads_and_wal_is_logical(server: Server):
    shown = server.psql("SHOW wal_level").stdout.strip()
    assert shown == "logical"
    slots = server.psql("SHOW max_replication_slots").stdout.strip()
    senders = server.psql("SHOW max_wal_senders").stdout.strip()
    assert (slots, senders) == ("2", "4")
    assert server.psql("SHOW wal_sender_timeout").stdout.strip() == "1min"
    assert server.psql("SHOW ssl").stdout.strip() == "on"


def test_the_generated_user_script_is_idempotent_and_needs_the_password(server: Server):
    again = server.psql(file=server.user_sql, env={PASSWORD_VARIABLE: PASSWORD})
    assert again.returncode == 0, again.stderr
    env = {k: v for k, v in os.environ.items() if k != PASSWORD_VARIABLE}
    missing = subprocess.run(
        [
            "psql",
            "-X",
            "-v",
            "ON_ERROR_STOP=1",
            f"host={server.root} port={server.port} dbname={DATABASE} user={OWNER}",
            "-f",
            str(server.user_sql),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert missing.returncode != 0
    attributes = server.psql(
        f"SELECT rolreplication, rolsuper FROM pg_roles WHERE rolname = '{REPLICATION_USER}'"
    ).stdout.strip()
    assert attributes == "t|f"


def test_the_replication_user_opens_a_logical_slot_over_tls_and_reads_changes(server: Server):
    env = {"PGPASSWORD": PASSWORD}
    created = server.psql(
        f"CREATE_REPLICATION_SLOT dms_test LOGICAL {DECODING_PLUGIN}",
        user=REPLICATION_USER,
        host="127.0.0.1",
        sslmode="require",
        replication=True,
        env=env,
    )
    assert created.returncode == 0, created.stderr
    server.psql("INSERT INTO orders VALUES (1, 9.99)")
    # A table created after the grants: default privileges let the user read it too.
    server.psql("CREATE TABLE refunds (id bigint PRIMARY KEY)")
    read = server.psql(
        "SELECT count(*) FROM refunds",
        user=REPLICATION_USER,
        host="127.0.0.1",
        sslmode="require",
        env=env,
    )
    assert read.returncode == 0, read.stderr
    changes = server.psql(
        "SELECT data FROM pg_logical_slot_get_changes('dms_test', NULL, NULL)",
        user=REPLICATION_USER,
        host="127.0.0.1",
        sslmode="require",
        env=env,
    )
    assert changes.returncode == 0, changes.stderr
    assert "table public.orders: INSERT: id[bigint]:1" in changes.stdout
    publication = server.psql("CREATE PUBLICATION dms_test FOR ALL TABLES")
    assert publication.returncode == 0, publication.stderr


def test_pg_hba_refuses_the_replication_user_without_tls(server: Server):
    plain = server.psql(
        "SELECT 1",
        user=REPLICATION_USER,
        host="127.0.0.1",
        sslmode="disable",
        env={"PGPASSWORD": PASSWORD},
    )
    assert plain.returncode != 0
    assert "pg_hba.conf rejects connection" in plain.stderr


def test_pg_hba_refuses_the_replication_user_from_outside_allowed_cidrs(server: Server):
    # The same renderer the server uses, for DMS subnets the test client is not in.
    elsewhere = render_pg_hba(_settings(["192.0.2.0/24"]), DATABASE)
    assert "192.0.2.0/24" in elsewhere
    server.reload(elsewhere)
    try:
        refused = server.psql(
            "SELECT 1",
            user=REPLICATION_USER,
            host="127.0.0.1",
            sslmode="require",
            env={"PGPASSWORD": PASSWORD},
        )
        assert refused.returncode != 0
        assert "pg_hba.conf rejects connection" in refused.stderr
    finally:
        server.reload(server.original_hba)
