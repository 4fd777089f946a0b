"""ElastiCache: each cache cluster's node type, CPU (EngineCPUUtilization for Redis OSS and
Valkey, whose engine runs on one thread; CPUUtilization for Memcached), memory in use
(DatabaseMemoryUsagePercentage) and peak connections (CurrConnections) over the window."""

from __future__ import annotations

from typing import Any

from gridops_infra.analysis.baseline.aws import Aws
from gridops_infra.analysis.baseline.metrics import metric, nearest_rank, utilization_period, values
from gridops_infra.analysis.baseline.reading import Reading
from gridops_infra.analysis.baseline.window import Window

NAMESPACE = "AWS/ElastiCache"


def find(aws: Aws) -> list[dict[str, Any]]:
    return list(
        aws.pages(
            "elasticache",
            "DescribeCacheClusters",
            "CacheClusters",
            token="Marker",
            next_token="Marker",
            ShowCacheNodeInfo=True,
        )
    )


def utilization(
    aws: Aws, window: Window, clusters: list[dict[str, Any]], reading: Reading
) -> list[dict[str, Any]]:
    period = utilization_period(window)
    rows: list[dict[str, Any]] = []
    for cluster in clusters:
        name = cluster["CacheClusterId"]
        engine = cluster.get("Engine", "")
        nodes = [node["CacheNodeId"] for node in cluster.get("CacheNodes") or []] or ["0001"]
        cpu_name = "CPUUtilization" if engine == "memcached" else "EngineCPUUtilization"
        row: dict[str, Any] = {
            "kind": "cache",
            "name": name,
            "node_type": cluster.get("CacheNodeType", ""),
        }
        label = f"utilization {name}"
        for key, metric_name, stat in (
            ("cpu_p95_percent", cpu_name, "Average"),
            ("memory_p95_percent", "DatabaseMemoryUsagePercentage", "Average"),
            ("connections_max", "CurrConnections", "Maximum"),
        ):
            targets = [
                metric(NAMESPACE, metric_name, CacheClusterId=name, CacheNodeId=n) for n in nodes
            ]
            points = [
                p for node_points in values(aws, window, targets, stat, period) for p in node_points
            ]
            if not points:
                reading.miss(f"{label} {key}", f"no datapoints for {targets[0].describe(stat)}")
            elif key == "connections_max":
                row[key] = int(max(points))
            else:
                row[key] = round(nearest_rank(points, 95), 1)
        rows.append(row)
    return rows
