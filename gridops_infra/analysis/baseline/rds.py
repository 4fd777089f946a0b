"""RDS and Aurora: each DB instance's class, CPU, memory in use and peak connections over
the window, and the database query latency where AWS publishes one.

Query latency: AWS/RDS publishes a query latency only for Aurora MySQL (``SelectLatency``,
milliseconds per SELECT, averaged per minute). PostgreSQL (RDS and Aurora) and RDS MySQL
have none: ``ReadLatency``/``WriteLatency`` are the storage's latency per I/O operation, not
the time a query takes, so they are not reported as query time; for those engines the
figure is left out, naming pg_stat_statements or Performance Insights as the place to
measure it. For Aurora MySQL ``db_p95_query_ms`` is the p95 of SelectLatency's 5-minute
averages on the busiest instance (the writer's and readers' SELECTs alike).

Memory in use is ``1 - FreeableMemory / class memory``, for classes whose memory the
instance-type table knows (db.t*, db.m*, db.r*); Aurora Serverless and other classes are
left out with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gridops_infra.analysis.baseline.aws import Aws, NotMeasured
from gridops_infra.analysis.baseline.metrics import (
    metric,
    nearest_rank,
    utilization_description,
    utilization_period,
    values,
)
from gridops_infra.analysis.baseline.reading import Reading
from gridops_infra.analysis.baseline.window import Window

NAMESPACE = "AWS/RDS"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Database:
    identifier: str
    instance_class: str
    engine: str


def find(aws: Aws) -> list[Database]:
    return [
        Database(db["DBInstanceIdentifier"], db["DBInstanceClass"], db.get("Engine", ""))
        for db in aws.pages(
            "rds", "DescribeDBInstances", "DBInstances", token="Marker", next_token="Marker"
        )
    ]


def class_memory_mib(instance_class: str) -> int | None:
    """The memory of a DB instance class, when the instance-type table knows it."""
    from gridops_infra.platforms.single_server.types import instance_memory_mib

    family = instance_class.removeprefix("db.")
    if not family or family[0] not in "tmr" or family == instance_class:
        return None
    try:
        return instance_memory_mib(family)
    except (KeyError, ValueError):
        return None


def utilization(
    aws: Aws, window: Window, databases: list[Database], reading: Reading
) -> list[dict[str, Any]]:
    period = utilization_period(window)
    rows: list[dict[str, Any]] = []
    for db in databases:
        dims = {"DBInstanceIdentifier": db.identifier}
        cpu, free, connections = (
            metric(NAMESPACE, name, **dims)
            for name in ("CPUUtilization", "FreeableMemory", "DatabaseConnections")
        )
        cpu_points, free_points = values(aws, window, [cpu, free], "Average", period)
        (connection_points,) = values(aws, window, [connections], "Maximum", period)
        row: dict[str, Any] = {
            "kind": "database",
            "name": db.identifier,
            "instance_class": db.instance_class,
        }
        label = f"utilization {db.identifier}"
        if cpu_points:
            row["cpu_p95_percent"] = round(nearest_rank(cpu_points, 95), 1)
        else:
            reading.miss(f"{label} cpu_p95_percent", f"no datapoints for {cpu.describe('Average')}")
        memory = class_memory_mib(db.instance_class)
        if memory is None:
            reading.miss(
                f"{label} memory_p95_percent",
                f"the memory of {db.instance_class} is not in the instance-type table",
            )
        elif not free_points:
            reading.miss(
                f"{label} memory_p95_percent", f"no datapoints for {free.describe('Average')}"
            )
        else:
            used = [max(0.0, 100 * (1 - bytes_free / (memory * MIB))) for bytes_free in free_points]
            row["memory_p95_percent"] = round(nearest_rank(used, 95), 1)
        if connection_points:
            row["connections_max"] = int(max(connection_points))
        else:
            reading.miss(
                f"{label} connections_max", f"no datapoints for {connections.describe('Maximum')}"
            )
        rows.append(row)
    return rows


def query_latency(aws: Aws, window: Window, databases: list[Database], reading: Reading) -> None:
    aurora_mysql = [db for db in databases if db.engine == "aurora-mysql"]
    if not aurora_mysql:
        engines = ", ".join(sorted({db.engine for db in databases})) or "none"
        raise NotMeasured(
            f"AWS/RDS publishes no query latency for these engines ({engines}); ReadLatency/"
            "WriteLatency are storage I/O latency, not query time: measure query time with "
            "pg_stat_statements or Performance Insights"
        )
    period = utilization_period(window)
    targets = [
        metric(NAMESPACE, "SelectLatency", DBInstanceIdentifier=db.identifier)
        for db in aurora_mysql
    ]
    found = values(aws, window, targets, "Average", period)
    candidates = [
        (nearest_rank(points, 95), target)
        for points, target in zip(found, targets, strict=True)
        if points
    ]
    if not candidates:
        raise NotMeasured(
            f"no SelectLatency datapoints for {', '.join(db.identifier for db in aurora_mysql)}"
        )
    p95, target = max(candidates, key=lambda pair: pair[0])
    reading.put(
        "db_p95_query_ms",
        round(p95, 2),
        utilization_description(target, period) + " (the slowest Aurora MySQL instance)",
        window,
    )
