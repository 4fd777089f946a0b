"""PostgresReplication's arguments checked into frozen settings, before anything is
registered: AWS DMS's own rules (capacity units, source version, two zones) and ours (the
source must be a replication source, the target's secret must carry a host)."""

from __future__ import annotations

import dataclasses
from typing import Any

from gridops_infra.core.aws_rules.dms import (
    POSTGRES_SOURCE_VERSION,
    SERVERLESS_CAPACITY_UNITS,
    SUBNET_GROUP_TWO_AZS,
)
from gridops_infra.core.validation import ArgReader, check_name
from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.migration.args import PostgresReplicationArgs
from gridops_infra.network.component import Network
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.platforms.single_server.database import (
    ReplicationSource,
    SingleServerDatabase,
)

COMPONENT = "PostgresReplication"
CAPACITY_UNITS = (1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384)
"""The DCU values DMS Serverless accepts (API_ComputeConfig)."""
DMS_SOURCE_MAJORS = (10, 11, 12, 13, 14, 15, 16, 17)
"""PostgreSQL majors DMS reads from (9.x is out of PostgreSQL's own support and ours)."""
DB_NAME = r"[A-Za-z][A-Za-z0-9_]{0,62}"


@dataclasses.dataclass(frozen=True)
class ReplicationSettings:
    """The validated arguments."""

    source: ReplicationSource
    source_database: str
    source_version: str
    source_server: SingleServer | None
    target: ManagedPostgresWithReplicas
    network: Network
    database_name: str
    max_capacity_units: int
    min_capacity_units: int
    multi_az: bool
    replication_lag_alarm_seconds: int
    alarm_topic_arn: Any
    """A topic ARN (string or Output), or None when there is nowhere to send alarms."""
    create_vpc_role: bool
    start_replication: bool


def read_replication_settings(name: str, args: Any) -> ReplicationSettings:
    check_name(COMPONENT, name)
    a = ArgReader(COMPONENT, name, args, PostgresReplicationArgs.__annotations__)
    where = f"{COMPONENT} '{name}'"
    raw_source = a.instance_of("source", (SingleServer, SingleServerDatabase))
    server = raw_source if isinstance(raw_source, SingleServer) else None
    database = raw_source.database if isinstance(raw_source, SingleServer) else raw_source
    if database is None:
        raise a.fail("source", f"SingleServer {raw_source.name}", "the server has database=False")
    if database.replication is None:
        raise a.fail(
            "source",
            f"SingleServer {database.server_name}",
            "give the SingleServer replication_source={} first (logical WAL, the replication "
            "user and its secret)",
        )
    if int(database.version) not in DMS_SOURCE_MAJORS:
        raise POSTGRES_SOURCE_VERSION.refuse(
            where, "source", f"PostgreSQL {database.version} on SingleServer {database.server_name}"
        )
    target = a.instance_of("target", (ManagedPostgresWithReplicas,))
    if target.settings.credentials != "random":
        raise a.fail(
            "target",
            f"ManagedPostgresWithReplicas {target.name}",
            f"its credentials are {target.settings.credentials!r}: DMS reads host, port, user "
            "and password from the secret, and only credentials='random' writes a secret "
            "with the host; give the target credentials='random'",
        )
    network = _network(a, server)
    if len(network.private_subnets) < 2:
        raise SUBNET_GROUP_TWO_AZS.refuse(
            where, "network", f"network {network.name} has {len(network.private_subnets)} AZ"
        )
    if network is not target.settings.network:
        raise a.fail(
            "network",
            network.name,
            f"DMS must run in the target's network ({target.settings.network.name})",
        )
    max_dcu = _capacity(a, where, "max_capacity_units", 4)
    min_dcu = _capacity(a, where, "min_capacity_units", 1)
    if min_dcu > max_dcu:
        raise SERVERLESS_CAPACITY_UNITS.refuse(
            where, "min_capacity_units", f"{min_dcu} is above max_capacity_units={max_dcu}"
        )
    topic = a.optional_string(
        "alarm_topic_arn",
        r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}",
        "expected an SNS topic ARN",
    )
    if topic is None and server is not None:
        topic = server.alarm_topic_arn
    if topic is None:
        raise a.fail(
            "alarm_topic_arn", None, "required when source is the database (no server topic)"
        )
    return ReplicationSettings(
        source=database.replication,
        source_database=database.database,
        source_version=database.version,
        source_server=server,
        target=target,
        network=network,
        database_name=a.string(
            "database_name", target.settings.db_name, DB_NAME, "a letter then letters, digits, _"
        ),
        max_capacity_units=max_dcu,
        min_capacity_units=min_dcu,
        multi_az=a.boolean("multi_az", False),
        replication_lag_alarm_seconds=a.integer("replication_lag_alarm_seconds", 60, 1, 86400),
        alarm_topic_arn=topic,
        create_vpc_role=a.boolean("create_vpc_role", True),
        start_replication=a.boolean("start_replication", True),
    )


def _network(a: ArgReader, server: SingleServer | None) -> Network:
    if a.has("network"):
        return a.instance_of("network", (Network,))
    if server is None:
        raise a.fail("network", None, "required when source is the database, not the server")
    return server.network


def _capacity(a: ArgReader, where: str, field: str, default: int) -> int:
    value = a.raw(field, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise a.fail(field, value, f"expected one of {', '.join(map(str, CAPACITY_UNITS))}")
    if value not in CAPACITY_UNITS:
        raise SERVERLESS_CAPACITY_UNITS.refuse(where, field, f"{value} DCUs")
    return value


__all__ = ["CAPACITY_UNITS", "COMPONENT", "ReplicationSettings", "read_replication_settings"]
