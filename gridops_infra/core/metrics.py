"""Metric references: what a component's `metric_*` helpers return and alarms consume."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import pulumi


@dataclass(frozen=True)
class Metric:
    """One CloudWatch metric as a component really emits it.

    `dimensions` values may be Outputs (a load balancer's `arn_suffix`, a DB identifier);
    `statistic` is a CloudWatch statistic (`Sum`, `Average`, `Maximum`, ...) or an
    extended one (`p99`).
    """

    namespace: str
    name: str
    dimensions: dict[str, pulumi.Input[str]] = field(default_factory=dict)
    statistic: str = "Average"
    period_seconds: int = 60
    unit: str | None = None
    label: str = ""
    region: str | None = None
    """Where the metric lives when not in the stack's region (CloudFront: us-east-1);
    alarms on it are created there."""

    @property
    def is_percentile(self) -> bool:
        return self.statistic.startswith("p") and self.statistic[1:].replace(".", "").isdigit()

    def alarm_args(self) -> dict[str, Any]:
        """Keyword arguments for `aws.cloudwatch.MetricAlarm` describing this metric."""
        args: dict[str, Any] = {
            "namespace": self.namespace,
            "metric_name": self.name,
            "dimensions": dict(self.dimensions),
            "period": self.period_seconds,
        }
        if self.is_percentile:
            args["extended_statistic"] = self.statistic
        else:
            args["statistic"] = self.statistic
        return args

    def with_statistic(self, statistic: str) -> Metric:
        """The same metric (dimensions, period, region) read with `statistic`."""
        return dataclasses.replace(self, dimensions=dict(self.dimensions), statistic=statistic)
