"""Golden-signal alarms for each kind of component, from its `metric_*` helpers.

The SLO alarms page; these open tickets (a saturated CPU or a growing queue is a reason
to look, not to wake someone) except where data is at risk (database storage running
out pages). Every threshold is overridable by the alarm key, e.g.
`thresholds={"api.cpu": 70}`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from gridops_infra.core.metrics import Metric
from gridops_infra.observability.alarm_spec import AlarmSpec, Comparison, Severity
from gridops_infra.observability.cloudwatch_slo import failure_ratio_queries

GIB = 1024**3


@dataclass(frozen=True)
class Signal:
    method: str
    signal: str
    description: str
    threshold: float
    comparison: Comparison = "GreaterThanThreshold"
    statistic: str | None = None
    period_seconds: int = 60
    evaluation_periods: int = 5
    datapoints_to_alarm: int = 3
    severity: Severity = "ticket"
    unit: str | None = None
    """The unit `threshold` is written in; a metric published in another unit (Aurora's
    lag in milliseconds, RDS's in seconds) gets the threshold converted to its own."""


SIGNALS: dict[str, tuple[Signal, ...]] = {
    "StatelessService": (
        Signal(
            "metric_latency_p99",
            "latency-p99",
            "p99 response time above {t} s",
            1.0,
            statistic="p99",
        ),
        Signal(
            "metric_unhealthy_hosts",
            "unhealthy-hosts",
            "unhealthy targets behind the load balancer",
            0,
            statistic="Maximum",
        ),
        Signal(
            "metric_cpu", "cpu", "CPU above {t}% of the tasks' reservation", 85, statistic="Average"
        ),
        Signal(
            "metric_reader_lag",
            "reader-lag",
            "reads from a linked database's readers more than {t} stale",
            30,
            statistic="Maximum",
            unit="Seconds",
        ),
        Signal(
            "metric_memory",
            "memory",
            "memory above {t}% of the tasks' reservation",
            90,
            statistic="Average",
        ),
    ),
    "ManagedPostgresWithReplicas": (
        Signal(
            "metric_cpu",
            "cpu",
            "database CPU above {t}%",
            80,
            statistic="Average",
            period_seconds=300,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        Signal(
            "metric_free_storage",
            "free-storage",
            "free storage below {t} bytes (10 GiB)",
            10 * GIB,
            comparison="LessThanThreshold",
            statistic="Minimum",
            period_seconds=300,
            evaluation_periods=1,
            datapoints_to_alarm=1,
            severity="page",
        ),
        Signal(
            "metric_replica_lag",
            "replica-lag",
            "replica lag above {t}",
            60,
            statistic="Maximum",
            period_seconds=60,
            unit="Seconds",
        ),
        Signal(
            "metric_connections",
            "connections",
            "more than {t} connections",
            400,
            statistic="Maximum",
            period_seconds=300,
            evaluation_periods=2,
            datapoints_to_alarm=2,
        ),
    ),
    "RedisCache": (
        Signal(
            "metric_cpu",
            "cpu",
            "engine CPU above {t}%",
            75,
            statistic="Average",
            period_seconds=300,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        Signal(
            "metric_memory",
            "memory",
            "memory use above {t}%",
            80,
            statistic="Maximum",
            period_seconds=300,
            evaluation_periods=2,
            datapoints_to_alarm=2,
        ),
        Signal(
            "metric_evictions",
            "evictions",
            "more than {t} evictions in 5 minutes",
            100,
            statistic="Sum",
            period_seconds=300,
            evaluation_periods=1,
            datapoints_to_alarm=1,
        ),
        Signal(
            "metric_replication_lag",
            "replication-lag",
            "replication lag above {t}",
            10,
            statistic="Maximum",
            unit="Seconds",
        ),
    ),
    "SqsWorkerQueue": (
        Signal(
            "metric_age_of_oldest_message",
            "oldest-message-age",
            "oldest message older than {t} s",
            600,
            statistic="Maximum",
            period_seconds=60,
        ),
        Signal(
            "metric_worker_cpu",
            "worker-cpu",
            "workers' CPU above {t}% of their reservation",
            85,
            statistic="Average",
        ),
        Signal(
            "metric_worker_memory",
            "worker-memory",
            "workers' memory above {t}% of their reservation",
            90,
            statistic="Average",
        ),
        Signal(
            "metric_dlq_depth",
            "dlq-not-empty",
            "messages in the dead-letter queue",
            0,
            statistic="Maximum",
            period_seconds=60,
            evaluation_periods=1,
            datapoints_to_alarm=1,
        ),
    ),
    "Network": (
        Signal(
            "metric_nat_port_allocation_errors",
            "nat-port-allocation-errors",
            "NAT gateway could not allocate a source port (more than {t} in 5 minutes)",
            0,
            statistic="Sum",
            period_seconds=300,
            evaluation_periods=1,
            datapoints_to_alarm=1,
        ),
        Signal(
            "metric_nat_packets_dropped",
            "nat-packets-dropped",
            "NAT gateway dropped more than {t} packets in 5 minutes",
            1000,
            statistic="Sum",
            period_seconds=300,
            evaluation_periods=2,
            datapoints_to_alarm=2,
        ),
    ),
    "EksCluster": (
        Signal(
            "metric_failed_nodes",
            "failed-nodes",
            "{t} or more nodes failing a node condition",
            0,
            statistic="Maximum",
            evaluation_periods=5,
            datapoints_to_alarm=5,
        ),
        Signal("metric_node_cpu", "node-cpu", "nodes' CPU above {t}%", 85, statistic="Average"),
        Signal(
            "metric_node_memory",
            "node-memory",
            "nodes' memory above {t}%",
            90,
            statistic="Average",
        ),
    ),
    "CdnFrontend": (
        Signal(
            "metric_5xx_rate",
            "5xx-rate",
            "CloudFront 5xx error rate above {t}%",
            5,
            statistic="Average",
            period_seconds=300,
            evaluation_periods=2,
            datapoints_to_alarm=2,
        ),
    ),
}

# How many of the right-hand unit make one of the left-hand one.
UNIT_FACTORS: dict[tuple[str, str], float] = {
    ("Seconds", "Milliseconds"): 1000.0,
    ("Milliseconds", "Seconds"): 0.001,
    ("Seconds", "Microseconds"): 1_000_000.0,
}
UNIT_SYMBOLS = {"Seconds": "s", "Milliseconds": "ms", "Microseconds": "us"}


def in_unit(value: float, unit: str | None, metric_unit: str | None) -> float:
    """`value` (written in `unit`) expressed in the metric's own unit."""
    if unit is None or metric_unit is None or unit == metric_unit:
        return value
    factor = UNIT_FACTORS.get((unit, metric_unit))
    if factor is None:
        raise ValueError(f"no conversion from {unit} to {metric_unit} for an alarm threshold")
    return value * factor


# Error ratio of a service behind a load balancer, as metric math (ticket; the SLO pages).
SERVICE_5XX_RATIO_THRESHOLD = 0.05


def component_name(resource: Any) -> str:
    return str(getattr(resource, "name", None) or getattr(resource, "_name", "component"))


def kind_of(resource: Any) -> str:
    for cls in type(resource).__mro__:
        if cls.__name__ in SIGNALS:
            return cls.__name__
    raise ValueError(
        f"resources: {type(resource).__name__} {component_name(resource)!r} has no golden signals; "
        f"allowed: {', '.join(SIGNALS)}"
    )


def _metrics(value: Metric | Iterable[Metric]) -> list[Metric]:
    return [value] if isinstance(value, Metric) else list(value)


def golden_signal_specs(
    resource: Any, thresholds: Mapping[str, float] | None = None
) -> list[AlarmSpec]:
    """The golden-signal alarms for one component (thresholds overridden by key)."""
    thresholds = thresholds or {}
    kind = kind_of(resource)
    name = component_name(resource)
    specs: list[AlarmSpec] = []
    if (
        kind == "StatelessService"
        and hasattr(resource, "metric_5xx")
        and hasattr(resource, "metric_requests")
    ):
        errors = resource.metric_5xx().with_statistic("Sum")
        requests = resource.metric_requests().with_statistic("Sum")
        elb = getattr(resource, "metric_elb_5xx", None)
        elb_errors = elb() if elb is not None else None
        specs.append(
            AlarmSpec(
                key=f"{name}.5xx-ratio",
                description=(
                    f"{name}: more than {{t:.0%}} of requests answered 5xx (by the app or "
                    "the load balancer)"
                ),
                severity="ticket",
                threshold=SERVICE_5XX_RATIO_THRESHOLD,
                queries=failure_ratio_queries(
                    errors, requests, elb_errors.with_statistic("Sum") if elb_errors else None
                ),
                evaluation_periods=5,
                datapoints_to_alarm=3,
                component=name,
            )
        )
    for signal in SIGNALS[kind]:
        fn = getattr(resource, signal.method, None)
        if fn is None:
            continue
        metrics = _metrics(fn())
        for i, metric in enumerate(metrics):
            suffix = f"-{i}" if len(metrics) > 1 else ""
            metric = replace(
                metric,
                dimensions=dict(metric.dimensions),
                statistic=signal.statistic or metric.statistic,
                period_seconds=signal.period_seconds,
            )
            description = signal.description
            if signal.unit is not None:
                symbol = UNIT_SYMBOLS.get(metric.unit or signal.unit, metric.unit or "")
                description = description.replace("{t}", "{t} " + symbol)
            specs.append(
                AlarmSpec(
                    key=f"{name}.{signal.signal}{suffix}",
                    description=f"{name}: {description}",
                    severity=signal.severity,
                    threshold=in_unit(signal.threshold, signal.unit, metric.unit),
                    comparison=signal.comparison,
                    metric=metric,
                    evaluation_periods=signal.evaluation_periods,
                    datapoints_to_alarm=signal.datapoints_to_alarm,
                    component=name,
                )
            )
    out = []
    for spec in specs:
        base_key = (
            spec.key.rsplit("-", 1)[0] if spec.key[-1].isdigit() and "-" in spec.key else spec.key
        )
        threshold = thresholds.get(spec.key, thresholds.get(base_key, spec.threshold))
        spec = spec.with_threshold(float(threshold))
        out.append(_described(spec))
    return out


def _described(spec: AlarmSpec) -> AlarmSpec:
    t = spec.threshold
    text = spec.description.replace("{t:.0%}", f"{t:.0%}").replace("{t}", f"{t:g}")
    return AlarmSpec(
        spec.key, text, spec.severity, t, spec.comparison, spec.metric, spec.queries,
        spec.evaluation_periods, spec.datapoints_to_alarm, spec.treat_missing_data, spec.component,
        dict(spec.tags),
    )  # fmt: skip
