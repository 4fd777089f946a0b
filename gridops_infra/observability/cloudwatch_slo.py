"""SLO burn-rate alarms on CloudWatch, from the same `Slo` tiers the Prometheus rules use.

For every tier (page 1h/5m, page 6h/30m, ticket 1d/2h, ticket 3d/6h) there is a
long-window and a short-window metric-math alarm on the service's ALB metrics, and a
composite alarm that fires only when both do (the SRE Workbook's multiwindow rule).

Windows map to CloudWatch periods exactly up to one day (period = window). The 3-day
window cannot be one alarm period (a period is at most a day), so it is three daily
periods that must all breach: a conservative reading of "the 3-day ratio is over the
threshold" (a single bad day already raises the 1-day ticket).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from gridops_infra.core.metrics import Metric
from gridops_infra.observability.alarm_spec import AlarmSpec, MathQuery
from gridops_infra.observability.slo import BurnRateTier, Slo

DAY_SECONDS = 86400


@dataclass(frozen=True)
class SloTierAlarms:
    """The pair of alarms for one tier and the rule of its composite alarm."""

    slo: Slo
    tier: BurnRateTier
    index: int
    long: AlarmSpec
    short: AlarmSpec

    @property
    def key(self) -> str:
        return f"{self.slo.name}.{self.tier.severity}-{self.tier.long_window_label}"


def window_periods(seconds: int) -> tuple[int, int]:
    """(period, evaluation periods) covering a window of `seconds`."""
    if seconds <= DAY_SECONDS:
        return seconds, 1
    if seconds % DAY_SECONDS:
        raise ValueError(f"a window of {seconds} s longer than a day must be whole days")
    return DAY_SECONDS, seconds // DAY_SECONDS


def _with_period(metric: Metric, period: int, statistic: str) -> Metric:
    """The same metric (dimensions, unit, region) over `period` with `statistic`."""
    return dataclasses.replace(
        metric, dimensions=dict(metric.dimensions), statistic=statistic, period_seconds=period
    )


def _require(service: Any, method: str, slo: Slo) -> Metric:
    fn = getattr(service, method, None)
    if fn is None:
        raise ValueError(
            f"Slo {slo.name!r}: its service has no {method}(); CloudWatch SLO alarms need a "
            "StatelessService behind a load balancer (on EKS the Prometheus rules apply)"
        )
    return fn()


def failure_ratio_queries(
    errors: Metric, requests: Metric, elb_errors: Metric | None
) -> tuple[MathQuery, ...]:
    """Metric math whose `ratio` query is the share (0..1) of requests that failed: the
    app's 5xx plus the load balancer's own (`elb_errors`: 502, 503 with no healthy
    target, 504; per load balancer only, so on a shared ALB every service behind it is
    charged all of them). A request the load balancer rejects before choosing a target
    is in no RequestCount, so the denominator is the larger of requests and failures:
    with no target at all the ratio is 1, not 0."""
    queries = [
        MathQuery("errors", metric=errors, label="target 5xx"),
        MathQuery("requests", metric=requests, label="requests"),
    ]
    failed = "FILL(errors, 0)"
    if elb_errors is not None:
        queries.append(MathQuery("elb_errors", metric=elb_errors, label="load balancer 5xx"))
        failed += " + FILL(elb_errors, 0)"
    return (
        *queries,
        MathQuery("failed", expression=failed, label="failed requests"),
        MathQuery("answered", expression="MAX([FILL(requests, 0), failed])", label="requests"),
        MathQuery(
            "ratio",
            expression="IF(answered > 0, failed / answered, 0)",
            label="error ratio",
            return_data=True,
        ),
    )


def error_ratio_queries(slo: Slo, period: int) -> tuple[MathQuery, ...]:
    """Metric math whose `ratio` query is the SLO's error ratio (0..1) over `period`."""
    service = slo.target
    if slo.kind == "availability":
        errors = _with_period(_require(service, "metric_5xx", slo), period, "Sum")
        requests = _with_period(_require(service, "metric_requests", slo), period, "Sum")
        elb = getattr(service, "metric_elb_5xx", None)
        elb_metric = elb() if elb is not None else None
        return failure_ratio_queries(
            errors, requests, _with_period(elb_metric, period, "Sum") if elb_metric else None
        )
    if slo.kind == "latency":
        assert slo.threshold_ms is not None
        seconds = slo.threshold_ms / 1000
        latency = _require(service, "metric_latency_p99", slo)
        # Percentile rank: the share (0..100) of requests answered within the threshold.
        within = _with_period(latency, period, f"PR(:{seconds:g})")
        return (
            MathQuery(
                "within", metric=within, label=f"% of requests within {slo.threshold_ms:g} ms"
            ),
            MathQuery("ratio", expression="1 - within / 100", label="slow ratio", return_data=True),
        )
    raise ValueError(
        f"Slo {slo.name!r}: custom SLOs are evaluated by the Prometheus rules; CloudWatch "
        "alarms are built for availability and latency SLOs"
    )


def slo_alarm_specs(slo: Slo, component: str = "") -> list[SloTierAlarms]:
    """Long- and short-window alarms for every tier of `slo` that can fire."""
    out: list[SloTierAlarms] = []
    for index, tier in enumerate(slo.tiers()):
        if not tier.can_fire:
            continue
        pair = []
        for which, seconds, label in (
            ("long", tier.long_window_seconds, tier.long_window_label),
            ("short", tier.short_window_seconds, tier.short_window_label),
        ):
            period, evaluations = window_periods(seconds)
            pair.append(
                AlarmSpec(
                    key=f"{slo.name}.{tier.severity}-{tier.long_window_label}-{which}",
                    description=(
                        f"SLO {slo.name} ({slo.objective:.4%} over {slo.window_days} days): error ratio "
                        f"over {label} above {tier.error_ratio_threshold:.4g} "
                        f"(burn rate {tier.burn_rate:g}, {tier.budget_consumed:.0%} of the budget)"
                    ),
                    severity=tier.severity,
                    threshold=tier.error_ratio_threshold,
                    queries=error_ratio_queries(slo, period),
                    evaluation_periods=evaluations,
                    datapoints_to_alarm=evaluations,
                    component=component,
                )
            )
        out.append(SloTierAlarms(slo, tier, index, pair[0], pair[1]))
    return out
