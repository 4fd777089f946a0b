"""ManagedPostgresWithReplicas: every argument checked and defaulted, before anything is
registered; bad input raises a ValueError naming the field, the value and what is allowed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pulumi

from gridops_infra.core import maintenance_windows as windows
from gridops_infra.core.aws_rules import AwsRule, rds
from gridops_infra.core.aws_rules.checks import one_of, where, whole_number_within
from gridops_infra.core.logs import retention_days
from gridops_infra.core.validation import ArgReader
from gridops_infra.data import families as fam
from gridops_infra.data.postgres.args import (
    Credentials,
    EngineMode,
    ManagedPostgresWithReplicasArgs,
    ReaderAutoscalingArgs,
    ServerlessV2Args,
)
from gridops_infra.network.component import Network

COMPONENT = "ManagedPostgresWithReplicas"
MAX_REPLICAS = 15
REPLICA_SUFFIX = "-replica-{n}"
AURORA_MEMBER_SUFFIX = "-{n}"
FINAL_SNAPSHOT_SUFFIX = "-final"
PI_RETENTION_DAYS = (7, *(31 * m for m in range(1, 24)), 731)
MONITORING_INTERVALS = (0, 1, 5, 10, 15, 30, 60)
RESERVED_USERNAMES = {"rdsadmin", "rdsrepladmin", "rds_superuser", "postgres_fdw", "admin"}
RESERVED_DB_NAMES = {"postgres", "template0", "template1", "rdsadmin"}
SAFE_BACKUP_RETENTION_DAYS = 7
MAX_BACKUP_RETENTION_DAYS = 35
MIN_STORAGE_GB = 20
MAX_STORAGE_GB = 65536
RDS_MIN_WINDOW_MINUTES = 30


@dataclass(frozen=True)
class ReaderAutoscaling:
    min_readers: int
    max_readers: int
    metric: str
    target: float

    @property
    def predefined_metric(self) -> str:
        return {
            "cpu": "RDSReaderAverageCPUUtilization",
            "connections": "RDSReaderAverageDatabaseConnections",
        }[self.metric]


@dataclass(frozen=True)
class PostgresSettings:
    """Every argument checked and defaulted."""

    network: Network
    engine_mode: EngineMode
    engine_version: str
    major: int
    allow_major_version_upgrade: bool
    instance_class: str
    replica_instance_class: str
    replicas: int
    multi_az: bool
    identifier: str
    db_name: str
    master_username: str
    credentials: Credentials
    port: int
    allocated_storage_gb: int | None
    max_allocated_storage_gb: int | None
    backup_retention_days: int
    backup_window: str
    maintenance_window: str
    deletion_protection: bool
    protect: bool
    final_snapshot_identifier: str | None
    snapshot_identifier: str | None
    kms_key_arn: pulumi.Input[str] | None
    customer_managed_key: bool
    performance_insights_retention_days: int
    monitoring_interval_seconds: int
    slow_query_ms: int
    log_retention_days: int
    parameters: dict[str, str]
    apply_immediately: bool
    proxy: bool
    blue_green_update: bool
    reader_autoscaling: ReaderAutoscaling | None
    serverless_acu: tuple[float, float] | None
    env_prefix: str
    tags: dict[str, str] = field(default_factory=dict)
    serverless_auto_pause_seconds: int | None = None
    """Set when `serverless_acu`'s minimum is 0 (auto-pause on)."""

    @property
    def aurora(self) -> bool:
        return self.engine_mode == "aurora"

    @property
    def parameter_family(self) -> str:
        return fam.postgres_parameter_family(self.engine_mode, self.major)

    def member_identifier(self, n: int) -> str:
        """Replica n (instance mode, 1-based) or cluster member n (Aurora, 1 = writer)."""
        suffix = AURORA_MEMBER_SUFFIX if self.aurora else REPLICA_SUFFIX
        return self.identifier + suffix.format(n=n)


def parse_postgres_args(name: str, args: Any) -> tuple[PostgresSettings, ArgReader]:
    a = ArgReader(COMPONENT, name, args, ManagedPostgresWithReplicasArgs.__annotations__)
    network = a.instance_of("network", (Network,))
    _two_zones(a, network)
    mode: EngineMode = a.choice("engine_mode", "instance", ("instance", "aurora"))
    aurora = mode == "aurora"
    version, major = _engine_version(a, aurora)
    serverless = _serverless(a) if a.has("serverless_v2") else None
    if serverless and not aurora:
        raise a.fail("serverless_v2", a.raw("serverless_v2"), "Aurora only (engine_mode='aurora')")
    instance_class = _instance_class(a, "instance_class", "db.t4g.medium", aurora, serverless)
    replica_class = _instance_class(a, "replica_instance_class", instance_class, aurora, serverless)
    replicas = (
        whole_number_within(a, rds.AURORA_MAX_REPLICAS, "replicas", 1, 0, MAX_REPLICAS)
        if aurora
        else a.integer("replicas", 0, 0, MAX_REPLICAS)
    )
    multi_az = a.boolean("multi_az", replicas >= 1 if aurora else True)
    if a.has("replica_instance_class") and replicas == 0:
        raise a.fail(
            "replica_instance_class",
            replica_class,
            f"there are no {'readers' if aurora else 'read replicas'} (replicas is 0); "
            "give replicas >= 1 or leave it out",
        )
    if aurora and multi_az and replicas == 0:
        raise a.fail(
            "multi_az",
            True,
            "Aurora fails over to a reader, so multi_az needs replicas >= 1 (replicas is 0)",
        )
    longest_suffix = (AURORA_MEMBER_SUFFIX if aurora else REPLICA_SUFFIX).format(
        n=max(replicas + 1, MAX_REPLICAS)
    )
    identifier = fam.read_identifier(
        a,
        COMPONENT,
        name,
        fam.RDS_IDENTIFIER_MAX - len(longest_suffix),
        rds.IDENTIFIER,
    )
    allocated, max_allocated = _storage(a, aurora)
    backup_days = _backup_retention(a)
    snapshot_id = a.optional_string(
        "snapshot_identifier",
        r"(arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:(cluster-)?snapshot:)?(rds:)?[a-zA-Z][a-zA-Z0-9-]{0,254}",
        "expected a snapshot name or ARN, e.g. 'db-prod-final' or "
        "'arn:aws:rds:us-east-1:123456789012:snapshot:db-prod-final'",
    )
    kms_key_arn, customer_key = fam.read_encryption_key(a)
    autoscaling = _reader_autoscaling(a) if a.has("reader_autoscaling") else None
    if autoscaling and not aurora:
        raise a.fail(
            "reader_autoscaling", a.raw("reader_autoscaling"), "Aurora only (engine_mode='aurora')"
        )
    blue_green = a.boolean("blue_green_update", False)
    if blue_green and aurora:
        raise a.fail("blue_green_update", True, "instance mode only (engine_mode='instance')")
    proxy = a.boolean("proxy", False)
    parameters = _parameters(a)
    auto_pause = (
        _auto_pause(a, serverless[0], version, major, proxy, parameters) if serverless else None
    )
    final_snapshot = a.boolean("final_snapshot", True)
    final_id = _final_snapshot_identifier(a, identifier) if final_snapshot else None
    backup_window, maintenance_window = _windows(a)
    settings = PostgresSettings(
        network=network,
        engine_mode=mode,
        engine_version=version,
        major=major,
        allow_major_version_upgrade=a.boolean("allow_major_version_upgrade", False),
        instance_class=instance_class,
        replica_instance_class=replica_class,
        replicas=replicas,
        multi_az=multi_az,
        identifier=identifier,
        db_name=_pg_name(a, "db_name", "app", RESERVED_DB_NAMES, rds.DATABASE_NAME),
        master_username=_pg_name(
            a, "master_username", "app_admin", RESERVED_USERNAMES, rds.MASTER_USERNAME
        ),
        credentials=a.choice("credentials", "rds-managed", ("rds-managed", "random")),
        port=a.integer("port", 5432, 1150, 65535),
        allocated_storage_gb=allocated,
        max_allocated_storage_gb=max_allocated,
        backup_retention_days=backup_days,
        backup_window=backup_window,
        maintenance_window=maintenance_window,
        deletion_protection=a.boolean("deletion_protection", True),
        protect=a.boolean("protect", True),
        final_snapshot_identifier=final_id,
        snapshot_identifier=snapshot_id,
        kms_key_arn=kms_key_arn,
        customer_managed_key=customer_key,
        performance_insights_retention_days=one_of(
            a,
            rds.PERFORMANCE_INSIGHTS_RETENTION,
            "performance_insights_retention_days",
            7,
            PI_RETENTION_DAYS,
        ),
        monitoring_interval_seconds=one_of(
            a, rds.MONITORING_INTERVAL, "monitoring_interval_seconds", 0, MONITORING_INTERVALS
        ),
        slow_query_ms=a.integer("slow_query_ms", 1000, 0, 3_600_000),
        log_retention_days=retention_days(a, "log_retention_days", 30),
        parameters=parameters,
        apply_immediately=a.boolean("apply_immediately", False),
        proxy=proxy,
        blue_green_update=blue_green,
        reader_autoscaling=autoscaling,
        serverless_acu=serverless,
        env_prefix=a.string(
            "env_prefix", "DATABASE", r"[A-Z][A-Z0-9_]*", "expected UPPER_SNAKE_CASE"
        ),
        tags=a.mapping("tags"),
        serverless_auto_pause_seconds=auto_pause,
    )
    return settings, a


def _engine_version(a: ArgReader, aurora: bool) -> tuple[str, int]:
    value = a.raw("engine_version", str(fam.DEFAULT_POSTGRES_MAJOR))
    majors = fam.AURORA_POSTGRES_MAJORS if aurora else fam.POSTGRES_MAJORS
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    m = re.fullmatch(r"(\d+)(\.\d+)?", text) if isinstance(text, str) else None
    if m is None or int(m.group(1)) not in majors:
        engine = "Aurora PostgreSQL" if aurora else "RDS for PostgreSQL"
        raise a.fail(
            "engine_version",
            value,
            f"{engine} supports the majors {', '.join(map(str, majors))} "
            "(a major such as '17' or 'major.minor' such as '17.5')",
        )
    return m.group(0), int(m.group(1))


def _instance_class(
    a: ArgReader,
    field_name: str,
    default: str,
    aurora: bool,
    serverless: tuple[float, float] | None,
) -> str:
    if serverless is not None:
        value = a.raw(field_name, fam.AURORA_SERVERLESS_CLASS)
        if value != fam.AURORA_SERVERLESS_CLASS:
            raise a.fail(field_name, value, "with serverless_v2 every instance is 'db.serverless'")
        return value
    value = a.raw(field_name, default)
    families = fam.AURORA_POSTGRES_INSTANCE_FAMILIES if aurora else fam.POSTGRES_INSTANCE_FAMILIES
    what = "Aurora PostgreSQL" if aurora else "RDS for PostgreSQL"
    problem = fam.class_problem(value, "db", families, what)
    if problem:
        raise rds.INSTANCE_CLASS.refuse(where(a), field_name, f"{value!r}: {problem}")
    return value


def _final_snapshot_identifier(a: ArgReader, identifier: str) -> str:
    value = a.raw("final_snapshot_identifier", identifier + FINAL_SNAPSHOT_SUFFIX)
    problem = fam.identifier_problem(value, fam.SNAPSHOT_ID_MAX)
    if problem:
        raise rds.SNAPSHOT_IDENTIFIER.refuse(
            where(a), "final_snapshot_identifier", f"{value!r}: {problem}"
        )
    return value


def _storage(a: ArgReader, aurora: bool) -> tuple[int | None, int | None]:
    if aurora:
        for field_name in ("allocated_storage_gb", "max_allocated_storage_gb"):
            if a.has(field_name):
                raise a.fail(
                    field_name,
                    a.raw(field_name),
                    "instance mode only (Aurora storage grows by itself)",
                )
        return None, None
    allocated = whole_number_within(
        a, rds.STORAGE_RANGE, "allocated_storage_gb", 100, MIN_STORAGE_GB, MAX_STORAGE_GB
    )
    floor = -(-allocated * 11 // 10)  # RDS wants the ceiling at least 10% above the size
    if floor > MAX_STORAGE_GB:
        # Within 10% of the largest volume there is no room to autoscale into.
        if a.has("max_allocated_storage_gb"):
            raise a.fail(
                "max_allocated_storage_gb",
                a.raw("max_allocated_storage_gb"),
                f"allocated_storage_gb={allocated} leaves no room for storage autoscaling "
                f"(the ceiling must be 10% above it and at most {MAX_STORAGE_GB}); leave it out",
            )
        return allocated, None
    default_ceiling = min(allocated * 10, MAX_STORAGE_GB)
    ceiling = a.raw("max_allocated_storage_gb", default_ceiling)
    if isinstance(ceiling, int) and not isinstance(ceiling, bool) and ceiling > MAX_STORAGE_GB:
        raise rds.STORAGE_RANGE.refuse(
            where(a), "max_allocated_storage_gb", f"{ceiling} is above {MAX_STORAGE_GB}"
        )
    ceiling = a.integer("max_allocated_storage_gb", default_ceiling, floor, MAX_STORAGE_GB)
    return allocated, ceiling


def _backup_retention(a: ArgReader) -> int:
    days = whole_number_within(
        a, rds.BACKUP_RETENTION, "backup_retention_days", 14, 0, MAX_BACKUP_RETENTION_DAYS
    )
    days = a.integer("backup_retention_days", 14, 1, MAX_BACKUP_RETENTION_DAYS)
    short_ok = a.boolean("allow_short_backup_retention", False)
    if days < SAFE_BACKUP_RETENTION_DAYS and not short_ok:
        raise a.fail(
            "backup_retention_days",
            days,
            f"below {SAFE_BACKUP_RETENTION_DAYS} days a bad migration found a week later cannot "
            "be undone; set allow_short_backup_retention=True to accept 1..6",
        )
    return days


def _windows(a: ArgReader) -> tuple[str, str]:
    """RDS rules: each window at least 30 minutes, the daily backup window clear of the
    weekly maintenance window."""
    backup = windows.read_daily(
        a, "backup_window", "03:00-04:00", "RDS", RDS_MIN_WINDOW_MINUTES, "e.g. '03:00-04:00'"
    )
    maintenance = windows.read_weekly(
        a,
        "maintenance_window",
        "sun:04:30-sun:05:30",
        "RDS",
        RDS_MIN_WINDOW_MINUTES,
        "e.g. 'sun:04:30-sun:05:30'",
    )
    windows.refuse_overlap(a, "backup_window", backup, "maintenance_window", maintenance, "RDS")
    return backup.text, maintenance.text


def _pg_name(a: ArgReader, field_name: str, default: str, reserved: set[str], rule: AwsRule) -> str:
    value = a.string(field_name, default)
    if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9_]{0,62}", value):
        raise rule.refuse(
            where(a),
            field_name,
            f"{value!r} is not a letter then letters, digits or underscores, at most 63 characters",
        )
    lowered = value.lower()
    if lowered in reserved or lowered.startswith(("pg_", "rds_")):
        raise rule.refuse(
            where(a),
            field_name,
            f"{value!r} is reserved by PostgreSQL or RDS ({', '.join(sorted(reserved))}, "
            "pg_*, rds_*)",
        )
    return value


def _two_zones(a: ArgReader, network: Network) -> None:
    """RDS refuses a DB subnet group in one Availability Zone (the proxy needs two as well)."""
    zones = len(network.availability_zones)
    if zones < 2:
        raise rds.SUBNET_GROUP_TWO_AZS.refuse(
            where(a),
            "network",
            f"Network '{network.name}' spans {zones} Availability Zone, so the DB subnet "
            "group would cover only that one",
        )


def _parameters(a: ArgReader) -> dict[str, str]:
    params = a.mapping("parameters")
    for key, value in params.items():
        if not isinstance(key, str) or not re.fullmatch(r"[a-z_][a-z0-9_.]*", key):
            raise a.fail("parameters", params, f"parameter name {key!r} is not a PostgreSQL name")
        if key == "rds.force_ssl":
            raise a.fail("parameters", params, "rds.force_ssl stays 1 (TLS is required)")
        if key == "log_min_duration_statement":
            raise a.fail("parameters", params, "set slow_query_ms instead")
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise a.fail("parameters", params, f"value of {key} must be a string or a number")
    return {k: str(v) for k, v in params.items()}


def _sub_reader(a: ArgReader, field_name: str, allowed: dict[str, Any]) -> ArgReader:
    raw = a.mapping(field_name)
    return ArgReader(
        a.component,
        a.name,
        {f"{field_name}.{k}": v for k, v in raw.items()},
        [f"{field_name}.{k}" for k in allowed],
    )


def _reader_autoscaling(a: ArgReader) -> ReaderAutoscaling:
    r = _sub_reader(a, "reader_autoscaling", ReaderAutoscalingArgs.__annotations__)
    metric = r.choice("reader_autoscaling.metric", "cpu", ("cpu", "connections"))
    lo = whole_number_within(
        r, rds.AURORA_MAX_REPLICAS, "reader_autoscaling.min_readers", 0, 0, MAX_REPLICAS
    )
    hi = r.raw("reader_autoscaling.max_readers", max(lo, 5))
    if isinstance(hi, int) and not isinstance(hi, bool) and hi > MAX_REPLICAS:
        raise rds.AURORA_MAX_REPLICAS.refuse(
            where(r), "reader_autoscaling.max_readers", f"{hi} is above {MAX_REPLICAS}"
        )
    hi = r.integer("reader_autoscaling.max_readers", max(lo, 5), max(lo, 1), MAX_REPLICAS)
    if metric == "cpu":
        target = r.number("reader_autoscaling.target", 70, 10, 90)
    else:
        target = r.number("reader_autoscaling.target", 500, 1, None)
    return ReaderAutoscaling(lo, hi, metric, target)


def _serverless(a: ArgReader) -> tuple[float, float]:
    r = _sub_reader(a, "serverless_v2", ServerlessV2Args.__annotations__)
    lo = r.number("serverless_v2.min_acu", 0.5, 0, 256)
    hi = r.number("serverless_v2.max_acu", max(16.0, lo), max(1.0, lo), 256)
    for key, value in (("serverless_v2.min_acu", lo), ("serverless_v2.max_acu", hi)):
        if (value * 2) % 1:
            raise r.fail(key, value, "expected a multiple of 0.5")
    return lo, hi


AUTO_PAUSE_SECONDS = (300, 86_400)
DEFAULT_AUTO_PAUSE_SECONDS = 300
AUTO_PAUSE_FIRST_MINOR = {13: 15, 14: 12, 15: 7, 16: 3}
"""Aurora PostgreSQL major -> first minor with a 0 ACU minimum; later majors all have it."""


def _auto_pause(
    a: ArgReader,
    min_acu: float,
    version: str,
    major: int,
    proxy: bool,
    parameters: dict[str, str],
) -> int | None:
    """Seconds until auto-pause when `min_acu` is 0 (None otherwise), refusing what keeps
    the instances from pausing or what AWS refuses with a 0 ACU minimum."""
    field_name = "serverless_v2.seconds_until_auto_pause"
    r = _sub_reader(a, "serverless_v2", ServerlessV2Args.__annotations__)
    if min_acu > 0:
        if r.has(field_name):
            raise r.fail(
                field_name,
                r.raw(field_name),
                f"instances pause only with serverless_v2.min_acu 0 (it is {min_acu:g}); give "
                "min_acu 0 or leave it out",
            )
        return None
    lo, hi = AUTO_PAUSE_SECONDS
    seconds = whole_number_within(
        r, rds.SERVERLESS_AUTO_PAUSE_RANGE, field_name, DEFAULT_AUTO_PAUSE_SECONDS, lo, hi
    )
    first_minor = AUTO_PAUSE_FIRST_MINOR.get(major)
    minor = version.partition(".")[2]
    if first_minor is not None and minor and int(minor) < first_minor:
        raise rds.SERVERLESS_ZERO_ACU_VERSION.refuse(
            where(a),
            "serverless_v2.min_acu",
            f"0 with engine_version {version!r} (auto-pause needs {major}.{first_minor} or later)",
        )
    if proxy:
        raise rds.SERVERLESS_AUTO_PAUSE_PROXY.refuse(
            where(a), "proxy", "True with serverless_v2.min_acu 0"
        )
    if parameters.get("rds.logical_replication", "0").strip() not in ("0", "off", "false"):
        raise rds.SERVERLESS_AUTO_PAUSE_LOGICAL_REPLICATION.refuse(
            where(a),
            "parameters",
            f"rds.logical_replication={parameters['rds.logical_replication']!r} with "
            "serverless_v2.min_acu 0",
        )
    return seconds
