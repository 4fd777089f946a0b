"""Arguments of the migration components: the documented fields of each."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from gridops_infra.core.component import Transform

if TYPE_CHECKING:
    from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
    from gridops_infra.network.component import Network
    from gridops_infra.platforms.single_server.component import SingleServer
    from gridops_infra.platforms.single_server.database import SingleServerDatabase


class PostgresReplicationArgs(TypedDict, total=False):
    """`PostgresReplication`: the single server's PostgreSQL copied into
    ManagedPostgresWithReplicas by AWS DMS Serverless, full load then ongoing changes."""

    source: SingleServer | SingleServerDatabase
    """The SingleServer (or its `database`) to replicate from. It must have
    `replication_source` set (logical WAL, the replication user and its secret).

    Required.
    Example: ``server  # a SingleServer with replication_source``"""
    target: ManagedPostgresWithReplicas
    """The database DMS writes into. It needs `credentials="random"`: DMS reads host, port,
    user and password from its Secrets Manager secret, and an RDS-managed secret holds only
    the user and password.

    Required.
    Example: ``db  # a ManagedPostgresWithReplicas``"""
    network: Network
    """Where DMS runs: its private subnets form the replication subnet group (two
    Availability Zones at least), in the same VPC as both databases.

    Default: the source server's network (required when `source` is the database).
    Example: ``net  # a Network``"""
    database_name: str
    """The database on the target that DMS writes into.

    Default: the target's `db_name`.
    Example: ``"shop"``"""
    max_capacity_units: int
    """Most DMS capacity units (1 DCU = 2 GiB of memory) the serverless replication scales
    to. Allowed: 1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384.

    Default: 4.
    Example: ``16``"""
    min_capacity_units: int
    """Fewest DMS capacity units it scales down to when the source is quiet. Same values,
    at most `max_capacity_units`.

    Default: 1.
    Example: ``2``"""
    multi_az: bool
    """Run the replication with a standby in a second Availability Zone (twice the DCU
    price).

    Default: false (a failed replication restarts; CDC resumes from its slot).
    Example: ``True``"""
    replication_lag_alarm_seconds: int
    """Alarm when the change-data-capture latency (source or target side) stays above this
    many seconds for 5 minutes. Allowed: 1..86400.

    Default: 60.
    Example: ``300``"""
    alarm_topic_arn: str
    """The SNS topic the lag alarms and the replication-failure rule notify. A topic of your
    own must let EventBridge (`events.amazonaws.com`) publish, with a key it may use.

    Default: the source server's alarm topic (which admits EventBridge when the server has
    `replication_source`).
    Example: ``"arn:aws:sns:eu-west-1:123456789012:ops"``"""
    create_vpc_role: bool
    """Create the account-wide IAM role `dms-vpc-role` DMS needs before any replication
    subnet group can exist. Set false when the account already has it (an account has one).

    Default: true.
    Example: ``False``"""
    start_replication: bool
    """Start the replication when it is created (full load, then ongoing changes). False
    leaves it ready; start it from the console or `aws dms start-replication`.

    Default: true.
    Example: ``False``"""
    tags: dict[str, str]
    """Tags for every resource, merged with `gridops:component` and `gridops:stage`.

    Default: none.
    Example: ``{"team": "shop"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role (see `PostgresReplication.CHILD_ROLES`).

    Default: none.
    Example: ``{"replication_config": {"replication_settings": "{...}"}}``"""


__all__ = ["PostgresReplicationArgs"]
