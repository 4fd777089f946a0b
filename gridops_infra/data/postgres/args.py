"""ManagedPostgresWithReplicas: its arguments, as users write them (checked in
`settings.py`)."""

from __future__ import annotations

from typing import Literal, TypedDict

import pulumi

from gridops_infra.core.component import Transform
from gridops_infra.network.component import Network

EngineMode = Literal["instance", "aurora"]
Credentials = Literal["rds-managed", "random"]


class ReaderAutoscalingArgs(TypedDict, total=False):
    min_readers: int
    """Fewest Aurora readers autoscaling keeps. Allowed: 0..15.

    Default: 0.
    Example: ``1``"""
    max_readers: int
    """Most Aurora readers autoscaling may add. Allowed: 1..15, >= min_readers.

    Default: 5, or `min_readers` when that is larger.
    Example: ``4``"""
    metric: Literal["cpu", "connections"]
    """What readers are scaled on: average reader CPU or average reader connections.

    Default: `"cpu"`.
    Example: ``"connections"``"""
    target: float
    """Target value: percent CPU (10..90, default 70) or connections per reader (>= 1,
    default 500).

    Default: 70 (percent CPU) with `metric` `"cpu"`, 500 (connections per reader) with
    `"connections"`.
    Example: ``60``"""


class ServerlessV2Args(TypedDict, total=False):
    min_acu: float
    """Aurora capacity units each instance keeps. Allowed: 0..256 in steps of 0.5. 0 turns on
    auto-pause: an instance with no connections for `seconds_until_auto_pause` scales to zero
    and is not billed for compute until a connection wakes it (about 15 seconds, longer after
    a day asleep). Meant for non-production stacks. With 0, `engine_version` must be a major
    (AWS picks a current minor) or at least 14.12, 15.7 or 16.3, and `proxy` and
    `rds.logical_replication` are refused (either keeps the instances awake).

    Default: 0.5.
    Example: ``0``"""
    max_acu: float
    """Aurora capacity units each instance may grow to. Allowed: 1..256 in steps of 0.5, >=
    min_acu.

    Default: 16, or `min_acu` when that is larger.
    Example: ``8``"""
    seconds_until_auto_pause: int
    """With `min_acu` 0: seconds an instance must be idle (no user connections) before Aurora
    pauses it. Allowed: 300..86400; refused unless `min_acu` is 0.

    Default: 300 (five minutes, the AWS default) when `min_acu` is 0.
    Example: ``3600``"""


class ManagedPostgresWithReplicasArgs(TypedDict, total=False):
    network: Network
    """The Network whose private subnets hold the database. Moving the database to another
    VPC replaces it.

    Required.
    Example: ``network  # a Network``"""
    engine_mode: EngineMode
    """`"instance"` (default): RDS for PostgreSQL, a primary plus `replicas` read replicas.
    `"aurora"`: an Aurora PostgreSQL cluster with a writer and `replicas` readers. Changing
    it replaces the database.

    Default: `"instance"`.
    Example: ``"aurora"``"""
    engine_version: str
    """PostgreSQL version: a major (`"17"`, AWS picks the current minor) or `"major.minor"`.
    Allowed majors: 14..18 (13 and older are in paid Extended Support). A major upgrade
    happens in place only with `allow_major_version_upgrade`.

    Default: `"17"`.
    Example: ``"16.4"``"""
    allow_major_version_upgrade: bool
    """Let a changed major `engine_version` upgrade the database in place.

    Default: false.
    Example: ``True``"""
    instance_class: str
    """`db.<family>.<size>` of the primary / writer. Allowed: the families RDS (or Aurora)
    offers for PostgreSQL, see `data/families.py`. Changing it resizes in place (a failover,
    a minute or two of errors with Multi-AZ).

    Default: `"db.t4g.medium"`.
    Example: ``"db.r7g.large"``"""
    replica_instance_class: str
    """Instance class of the read replicas / Aurora readers. Refused with `replicas` 0
    (there is nothing to size).

    Default: `instance_class`.
    Example: ``"db.r7g.large"``"""
    replicas: int
    """Read replicas (instance mode) or readers (Aurora), spread over the network's AZs.
    Allowed: 0..15.

    Default: 0 for instance mode (the Multi-AZ standby already survives an AZ loss), 1 for
    Aurora (failover needs a reader).
    Example: ``2``"""
    multi_az: bool
    """Instance mode: a synchronous standby in another AZ (default: true). Aurora: failover
    to a reader in another AZ (default: true when `replicas >= 1`; asking for it with zero
    replicas is refused); false puts every reader in the writer's AZ.

    Default: true in instance mode; in Aurora true when `replicas >= 1`.
    Example: ``True``"""
    identifier: str
    """The DB instance / cluster identifier. Allowed: lowercase letters, digits and hyphens,
    a letter first, no double or trailing hyphen, short enough for the replica suffixes (63
    in all). Changing it replaces the database.

    Default: `<project>-<name>-<stack>`.
    Example: ``"shop-orders-prod"``"""
    db_name: str
    """The database created at launch. Allowed: a letter then letters, digits, underscores
    (max 63), not a reserved name. Changing it replaces the database. When restoring a
    snapshot it must name the snapshot's database (it is only used for the connection
    settings).

    Default: `"app"`.
    Example: ``"orders"``"""
    master_username: str
    """The master user. Same rules as `db_name`, not an RDS-reserved role. Changing it
    replaces the database. With `snapshot_identifier` it must be the snapshot's master user.

    Default: `"app_admin"`.
    Example: ``"orders_admin"``"""
    credentials: Credentials
    """Where the master password comes from. `"rds-managed"` (default): RDS generates it,
    keeps and rotates it in Secrets Manager (`manage_master_user_password`); services get
    `<PREFIX>_USER`/`<PREFIX>_PASSWORD` as secret references and build the URL themselves (a
    copy of a rotating password would go stale). `"random"`: a pulumi-random password kept
    as a Pulumi secret and in a Secrets Manager secret that also holds ready-made
    `url`/`reader_url` connection strings (offered as `<PREFIX>_URL`,
    `<PREFIX>_READER_URL`).

    Default: `"rds-managed"`.
    Example: ``"random"``"""
    port: int
    """The port PostgreSQL listens on. Allowed: 1150..65535.

    Default: 5432.
    Example: ``5433``"""
    allocated_storage_gb: int
    """Instance mode: initial gp3 storage. Allowed: 20..65536. Aurora storage grows by
    itself, so Aurora refuses this field.

    Default: 100.
    Example: ``200``"""
    max_allocated_storage_gb: int
    """Instance mode: storage autoscaling ceiling. Allowed: at least 10% above
    `allocated_storage_gb`, at most 65536.

    Default: 10 x allocated, capped at 65536 (none, i.e. no autoscaling, when
    `allocated_storage_gb` is within 10% of 65536).
    Example: ``1000``"""
    backup_retention_days: int
    """Days of automated backups (point-in-time recovery). Allowed: 7..35, or 1..6 with
    `allow_short_backup_retention` (0 is always refused: it disables backups and read
    replicas).

    Default: 14.
    Example: ``30``"""
    allow_short_backup_retention: bool
    """Acknowledge a `backup_retention_days` below 7 (dev stacks).

    Default: false.
    Example: ``True``"""
    backup_window: str
    """Daily backup window, UTC, `hh24:mi-hh24:mi`. Allowed (RDS rules): at least 30 minutes
    (at most a day; an end before the start crosses midnight, e.g. `"23:30-00:30"`), and on
    no day overlapping `maintenance_window` (touching is fine, e.g. `"03:30-04:30"` with the
    default maintenance window).

    Default: `"03:00-04:00"`.
    Example: ``"01:00-02:00"``"""
    maintenance_window: str
    """Weekly maintenance window, UTC, `ddd:hh24:mi-ddd:hh24:mi`, days `mon`..`sun`. Allowed
    (RDS rules): at least 30 minutes (an end before the start crosses the week's end, e.g.
    `"sun:23:30-mon:00:30"`), not overlapping `backup_window`.

    Default: `"sun:04:30-sun:05:30"` (after the backup window).
    Example: ``"sat:22:00-sat:23:00"``"""
    deletion_protection: bool
    """AWS deletion protection on the primary / cluster.

    Default: true.
    Example: ``False``"""
    protect: bool
    """Pulumi `protect` and `retain_on_delete` on the primary / cluster, the customer key
    and the random-password secret. Turn off to let `pulumi destroy` delete a throwaway
    stack (`deletion_protection` and the final snapshot still apply).

    Default: true: a change that would replace the database is refused, and `pulumi destroy`
    leaves it running (nothing lost, still billed).
    Example: ``False``"""
    final_snapshot: bool
    """Take a final snapshot when the database is deleted.

    Default: true.
    Example: ``False``"""
    final_snapshot_identifier: str
    """Name of that final snapshot.

    Default: `<identifier>-final` (stable, so it can be found; delete or rename it before
    deleting a second database of the same identifier).
    Example: ``"orders-final-2026-01"``"""
    snapshot_identifier: str
    """Create the database from this snapshot, e.g. to move data from one stage to the next.
    Instance mode: a DB snapshot (name or ARN). Aurora: a cluster snapshot (name or ARN), or
    the ARN of an RDS for PostgreSQL DB snapshot, which Aurora migrates (a DB snapshot is
    accepted by ARN only). Changing it replaces the database.

    Default: none.
    Example: ``"orders-staging-2026-01-15"``"""
    kms_key_arn: pulumi.Input[str]
    """Customer managed KMS key (ARN) for storage, Performance Insights and the secret.
    Changing it replaces the database.

    Default: the AWS managed `aws/rds` key.
    Example: ``"arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"``"""
    customer_managed_key: bool
    """Create a customer managed KMS key (rotated yearly) instead. Ignored when
    `kms_key_arn` is given (refused together). Changing it replaces the database.

    Default: false.
    Example: ``True``"""
    performance_insights_retention_days: int
    """Performance Insights retention. Allowed: 7, 31 x 1..23, 731.

    Default: 7 (free tier).
    Example: ``31``"""
    monitoring_interval_seconds: int
    """Enhanced monitoring (OS metrics) interval; 0 turns it off. Allowed: 0, 1, 5, 10, 15,
    30, 60.

    Default: 0.
    Example: ``60``"""
    slow_query_ms: int
    """Log statements slower than this (`log_min_duration_statement`). Allowed: 0 (log
    everything)..3600000.

    Default: 1000.
    Example: ``250``"""
    log_retention_days: int
    """Days the exported PostgreSQL logs stay in CloudWatch Logs. Allowed: a CloudWatch
    retention value.

    Default: 30.
    Example: ``90``"""
    parameters: dict[str, str]
    """Extra DB (cluster) parameters, name -> value, applied at the next reboot.
    `rds.force_ssl` stays 1; use `slow_query_ms` for `log_min_duration_statement`.

    Default: none.
    Example: ``{"work_mem": "65536"}``"""
    apply_immediately: bool
    """Apply changes now instead of in the maintenance window.

    Default: false.
    Example: ``True``"""
    proxy: bool
    """Put an RDS Proxy in front (TLS required, pooled connections); services connect to it.
    Aurora also gets a read-only proxy endpoint for the readers (RDS Proxy offers reader
    endpoints for Aurora only; instance-mode readers are reached directly).

    Default: false.
    Example: ``True``"""
    blue_green_update: bool
    """Instance mode: apply engine upgrades through an RDS Blue/Green deployment (switchover
    after the green copy is ready).

    Default: false.
    Example: ``True``"""
    reader_autoscaling: ReaderAutoscalingArgs
    """Aurora only: Application Auto Scaling of the reader count.

    Default: off.
    Example: ``{"min_readers": 1, "max_readers": 4, "metric": "cpu", "target": 60}``"""
    serverless_v2: ServerlessV2Args
    """Aurora only: run every instance as Serverless v2 (`db.serverless`) within these ACU
    bounds; `min_acu` 0 lets idle instances pause (non-production stacks).

    Default: off (provisioned instances).
    Example: ``{"min_acu": 0, "max_acu": 8, "seconds_until_auto_pause": 1800}``"""
    env_prefix: str
    """Prefix of the environment variables linked services get. Allowed: uppercase letters,
    digits, underscores.

    Default: `"DATABASE"`.
    Example: ``"ORDERS_DB"``"""
    tags: dict[str, str]
    """Tags for every resource, merged with `gridops:component` and `gridops:stage`.

    Default: none.
    Example: ``{"team": "orders"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role (see
    `ManagedPostgresWithReplicas.CHILD_ROLES`).

    Default: none.
    Example: ``{"log_group": {"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}``"""
