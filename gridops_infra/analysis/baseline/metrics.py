"""CloudWatch GetMetricData, the way the readers use it.

- Totals (request and 5xx counts): the ``Sum`` of daily periods over the window, added up.
- Request-level percentiles (p95 latency): CloudWatch's own ``p95`` statistic over one
  period that spans the window (a percentile of percentiles would be wrong).
- Utilization: the p95 of the window's ``Average`` datapoints (5-minute periods while
  CloudWatch keeps them, 63 days; hourly after that): how busy the resource is at its
  busiest 5% of the time, the figure a right-sizing review compares against capacity.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gridops_infra.analysis.baseline.aws import Aws, NotMeasured, utc
from gridops_infra.analysis.baseline.window import Window

MAX_QUERIES = 500
"""GetMetricData takes at most 500 queries per request."""
FIVE_MINUTE_RETENTION = dt.timedelta(days=63)


@dataclass(frozen=True)
class Metric:
    namespace: str
    name: str
    dimensions: tuple[tuple[str, str], ...]

    def describe(self, stat: str) -> str:
        dims = ",".join(f"{k}={v}" for k, v in self.dimensions)
        return f"CloudWatch {self.namespace} {self.name} {stat} ({dims})"

    def query(self, query_id: str, stat: str, period: int) -> dict[str, Any]:
        return {
            "Id": query_id,
            "MetricStat": {
                "Metric": {
                    "Namespace": self.namespace,
                    "MetricName": self.name,
                    "Dimensions": [{"Name": k, "Value": v} for k, v in self.dimensions],
                },
                "Period": period,
                "Stat": stat,
            },
            "ReturnData": True,
        }


def metric(namespace: str, name: str, **dimensions: str) -> Metric:
    return Metric(namespace, name, tuple(dimensions.items()))


def series(
    aws: Aws,
    window: Window,
    metrics: Sequence[Metric],
    stat: str,
    period: int,
    region: str | None = None,
) -> list[dict[dt.datetime, float]]:
    """Each metric's datapoints over the window, timestamp -> value (in the order given)."""
    found: dict[str, dict[dt.datetime, float]] = {}
    for first in range(0, len(metrics), MAX_QUERIES):
        chunk = metrics[first : first + MAX_QUERIES]
        queries = [m.query(f"m{first + i}", stat, period) for i, m in enumerate(chunk)]
        for result in aws.pages(
            "cloudwatch",
            "GetMetricData",
            "MetricDataResults",
            region=region,
            MetricDataQueries=queries,
            StartTime=window.start,
            EndTime=window.end,
            ScanBy="TimestampAscending",
        ):
            points = found.setdefault(result["Id"], {})
            for moment, value in zip(
                result.get("Timestamps", []), result.get("Values", []), strict=True
            ):
                points[utc(moment)] = float(value)
    return [found.get(f"m{i}", {}) for i in range(len(metrics))]


def values(
    aws: Aws,
    window: Window,
    metrics: Sequence[Metric],
    stat: str,
    period: int,
    region: str | None = None,
) -> list[list[float]]:
    """Each metric's datapoint values over the window (in the order given)."""
    return [list(points.values()) for points in series(aws, window, metrics, stat, period, region)]


def totals(
    aws: Aws, window: Window, metrics: Sequence[Metric], region: str | None = None
) -> list[float | None]:
    """Each metric's Sum over the window (daily periods added up); None without datapoints."""
    return [
        sum(points) if points else None
        for points in values(aws, window, metrics, "Sum", 86400, region)
    ]


def whole_window_period(window: Window) -> int:
    """One period that covers the window: whole hours (CloudWatch's rule for data older
    than 63 days), at least one hour."""
    return max(3600, math.ceil(window.seconds / 3600) * 3600)


def percentile_stat(
    aws: Aws, window: Window, target: Metric, percentile: int, region: str | None = None
) -> float:
    """CloudWatch's own ``pNN`` statistic of `target` over the whole window."""
    stat = f"p{percentile}"
    (points,) = values(aws, window, [target], stat, whole_window_period(window), region)
    if not points:
        raise NotMeasured(f"no {stat} datapoints for {target.describe(stat)} in the window")
    return points[0]


def utilization_period(window: Window, now: dt.datetime | None = None) -> int:
    current = now or dt.datetime.now(dt.UTC)
    return 300 if window.start >= current - FIVE_MINUTE_RETENTION else 3600


def nearest_rank(points: Sequence[float], percentile: float) -> float:
    """The nearest-rank percentile (the smallest value with `percentile`% at or below it)."""
    if not points:
        raise ValueError("no datapoints")
    ordered = sorted(points)
    rank = max(1, math.ceil(percentile / 100 * len(ordered)))
    return ordered[rank - 1]


def utilization_description(target: Metric, period: int) -> str:
    return f"p95 of {period // 60}-minute averages of {target.describe('Average')}"
