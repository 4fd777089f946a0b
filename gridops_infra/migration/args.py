"""Arguments of the migration components, documented once (default, unit, example)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypedDict

import pulumi

from gridops_infra.core.component import Transform

if TYPE_CHECKING:
    from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
    from gridops_infra.network.component import Network
    from gridops_infra.platforms.single_server.component import SingleServer
    from gridops_infra.platforms.single_server.database import SingleServerDatabase

InsufficientDataStatus = Literal["Healthy", "Unhealthy", "LastKnownStatus"]


class CutoverAliasArgs(TypedDict, total=False):
    """A Route 53 alias target: a CloudFront distribution or a load balancer."""

    dns_name: pulumi.Input[str]
    """The target's DNS name (a distribution's `domain_name`, an ALB's `dns_name`).

    Required.
    Example: ``"d111111abcdef8.cloudfront.net"``"""
    zone_id: pulumi.Input[str]
    """The target's own hosted zone id (CloudFront's is `Z2FDTNDATAQYW2`; an ALB's is its
    `zone_id`), not the zone the record lives in.

    Required.
    Example: ``"Z2FDTNDATAQYW2"``"""


class CutoverSideArgs(TypedDict, total=False):
    """One front door: exactly one of `ip`, `alias` or `cname`."""

    ip: pulumi.Input[str]
    """An IPv4 address that serves the site (the SingleServer's Elastic IP): a weighted A
    record with `ttl`.

    Default: none.
    Example: ``"203.0.113.10"``"""
    alias: CutoverAliasArgs
    """An alias target (a CloudFront distribution or an ALB): a weighted alias A record
    (aliases take no TTL; Route 53 answers with the target's addresses).

    Default: none.
    Example: ``{"dns_name": "d111111abcdef8.cloudfront.net", "zone_id": "Z2FDTNDATAQYW2"}``"""
    cname: pulumi.Input[str]
    """A host name to CNAME to, for a front door that is neither an address nor an alias
    target. Both sides must then be `cname` (a weighted group has one record type).

    Default: none.
    Example: ``"shop.example-old-host.net"``"""
    set_identifier: str
    """The record's set identifier inside the weighted group, 1 to 128 characters.

    Default: `"old"` for `old`, `"new"` for `new`.
    Example: ``"single-server"``"""


class CutoverRollbackArgs(TypedDict, total=False):
    """What sends traffic back to the old side by itself: a CLOUDWATCH_METRIC health check
    on the new side's record. Give `alarm_name` or `cloudfront_distribution_id`."""

    alarm_name: str
    """An existing CloudWatch metric alarm to follow. Route 53 follows only alarms on one
    standard-resolution metric with a basic statistic (Average, Minimum, Maximum, Sum,
    SampleCount): not a composite alarm, not metric math, such as the ObservabilityStack's
    SLO page alarms.

    Default: none (give `cloudfront_distribution_id` instead).
    Example: ``"shop-new-5xx-rate"``"""
    alarm_region: str
    """The region `alarm_name` lives in.

    Default: the stack's region (`us-east-1` with `cloudfront_distribution_id`).
    Example: ``"eu-west-1"``"""
    cloudfront_distribution_id: pulumi.Input[str]
    """The new side's CloudFront distribution: the component creates the alarm Route 53
    follows, on the distribution's `5xxErrorRate` (us-east-1, one-minute data), firing when
    the rate stays above the SLO page tier's fast burn (14.4 x the error budget) for 5
    minutes, the page tier's short window.

    Default: none (give `alarm_name` instead).
    Example: ``"E2QWRUHAPOMQZL"``"""
    availability_objective: float
    """The new side's availability SLO, a fraction between 0 and 1 (exclusive), that sets
    the alarm's threshold (with `cloudfront_distribution_id` only).

    Default: 0.999.
    Example: ``0.995``"""
    insufficient_data: InsufficientDataStatus
    """The health check's status while CloudWatch has too little data to decide. The
    default keeps the last decision: a fresh check starts healthy (the new side can take
    its first share of traffic), and once it rolled back, the new side, which then gets no
    traffic and so no data, stays out until a person sets the alarm to OK. `Healthy` would
    send traffic back to a failing side as soon as its data stops; `Unhealthy` would keep a
    side with no traffic yet (weight 0 or low volume) out for good.

    Default: `"LastKnownStatus"`.
    Example: ``"Unhealthy"``"""


class TrafficCutoverArgs(TypedDict, total=False):
    zone_id: pulumi.Input[str]
    """The Route 53 hosted zone the public name lives in. Neither stage may keep a record
    of its own for `record_name` (give the stages no `domain`, or another name).

    Required.
    Example: ``"Z0123456789ABCDEFGHIJ"``"""
    record_name: str
    """The public name the two sides share, a fully qualified host name.

    Required.
    Example: ``"shop.example.com"``"""
    old: CutoverSideArgs
    """The front door traffic moves away from (it stays writable until `done`).

    Required.
    Example: ``{"ip": "203.0.113.10"}``"""
    new: CutoverSideArgs
    """The front door traffic moves to.

    Required.
    Example: ``{"alias": {"dns_name": "d111111abcdef8.cloudfront.net", "zone_id": "Z2FDTNDATAQYW2"}}``"""
    weight_percent: int
    """The share of new resolutions sent to `new`, percent, one of `steps`; `old` gets the
    rest. The records' weights are the percentages (Route 53 takes 0 to 255).

    Required.
    Example: ``10``"""
    steps: list[int]
    """The planned weights, percent, strictly increasing, ending at 100.

    Default: `[0, 10, 50, 100]`.
    Example: ``[0, 5, 25, 50, 100]``"""
    done: bool
    """Declare the cut-over done: only `new`'s record is kept (the old record, the health
    check and its alarm go). Needs `weight_percent` 100.

    Default: false.
    Example: ``False``"""
    ttl: int
    """TTL of non-alias records, seconds, 1 to 300 (ours: a long TTL keeps resolvers on a
    side after a step or a rollback).

    Default: 60.
    Example: ``30``"""
    rollback: CutoverRollbackArgs
    """The automatic rollback: the new side's record carries a health check following an
    alarm; while it is unhealthy Route 53 answers with the old side only.

    Default: none; then `automatic_rollback` must be false for `weight_percent` above 0.
    Example: ``{"cloudfront_distribution_id": "E2QWRUHAPOMQZL"}``"""
    automatic_rollback: bool
    """Refuse to send the new side any traffic without `rollback`.

    Default: true.
    Example: ``False``"""
    tags: dict[str, str]
    """Tags for the health check and the alarm, merged with `gridops:component` and
    `gridops:stage`.

    Default: none.
    Example: ``{"team": "platform"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role (`TrafficCutover.CHILD_ROLES`).

    Default: none.
    Example: ``{"health_check": {"invert_healthcheck": False}}``"""


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


__all__ = [
    "CutoverAliasArgs",
    "CutoverRollbackArgs",
    "CutoverSideArgs",
    "InsufficientDataStatus",
    "PostgresReplicationArgs",
    "TrafficCutoverArgs",
]
