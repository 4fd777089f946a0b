"""AlarmSpec: one CloudWatch alarm described as data, before any resource exists.

Golden-signal and SLO alarms are computed as specs (pure, testable), then the
ObservabilityStack turns each into an `aws.cloudwatch.MetricAlarm`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from gridops_infra.core.metrics import Metric

Severity = Literal["page", "ticket"]
Comparison = Literal[
    "GreaterThanThreshold",
    "GreaterThanOrEqualToThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
]


@dataclass(frozen=True)
class MathQuery:
    """One entry of a metric-math alarm: a metric (`metric` set) or an expression."""

    id: str
    metric: Metric | None = None
    expression: str | None = None
    label: str = ""
    return_data: bool = False

    def to_args(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "return_data": self.return_data}
        if self.label:
            out["label"] = self.label
        if self.expression is not None:
            out["expression"] = self.expression
        else:
            assert self.metric is not None
            out["metric"] = {
                "namespace": self.metric.namespace,
                "metric_name": self.metric.name,
                "dimensions": dict(self.metric.dimensions),
                "period": self.metric.period_seconds,
                "stat": self.metric.statistic,
            }
        return out


@dataclass(frozen=True)
class AlarmSpec:
    """A CloudWatch alarm: on one metric (`metric`) or on metric math (`queries`, the
    one with `return_data=True` is compared)."""

    key: str
    """Stable identifier, `<component>.<signal>` (e.g. `api.cpu`): thresholds are
    overridden by this key and the resource is named after it."""
    description: str
    severity: Severity
    threshold: float
    comparison: Comparison = "GreaterThanThreshold"
    metric: Metric | None = None
    queries: tuple[MathQuery, ...] = ()
    evaluation_periods: int = 1
    datapoints_to_alarm: int | None = None
    treat_missing_data: str = "notBreaching"
    component: str = ""
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if (self.metric is None) == (not self.queries):
            raise ValueError(f"alarm {self.key}: give exactly one of metric or queries")

    def with_threshold(self, threshold: float) -> AlarmSpec:
        return AlarmSpec(
            self.key,
            self.description,
            self.severity,
            threshold,
            self.comparison,
            self.metric,
            self.queries,
            self.evaluation_periods,
            self.datapoints_to_alarm,
            self.treat_missing_data,
            self.component,
            dict(self.tags),
        )

    def alarm_args(self) -> dict[str, Any]:
        """Keyword arguments for `aws.cloudwatch.MetricAlarm` (actions added by the caller)."""
        args: dict[str, Any] = {
            "alarm_description": self.description,
            "comparison_operator": self.comparison,
            "threshold": self.threshold,
            "evaluation_periods": self.evaluation_periods,
            "treat_missing_data": self.treat_missing_data,
        }
        if self.datapoints_to_alarm is not None:
            args["datapoints_to_alarm"] = self.datapoints_to_alarm
        if self.metric is not None:
            args.update(self.metric.alarm_args())
        else:
            args["metric_queries"] = [q.to_args() for q in self.queries]
        return args

    @property
    def metrics(self) -> list[Metric]:
        """Every metric the alarm reads."""
        if self.metric is not None:
            return [self.metric]
        return [q.metric for q in self.queries if q.metric is not None]
