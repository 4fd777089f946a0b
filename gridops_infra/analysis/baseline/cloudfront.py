"""CloudFront, read when the account has no Application Load Balancer: the error rate
(5xxErrorRate weighted by each day's Requests) and p95 latency (OriginLatency, which
CloudFront publishes only with its additional metrics turned on). CloudFront's metrics
live in us-east-1 with the dimension Region=Global."""

from __future__ import annotations

from gridops_infra.analysis.baseline.aws import Aws, NotMeasured
from gridops_infra.analysis.baseline.metrics import metric, percentile_stat, series
from gridops_infra.analysis.baseline.reading import Reading
from gridops_infra.analysis.baseline.window import Window

NAMESPACE = "AWS/CloudFront"
METRICS_REGION = "us-east-1"


def find(aws: Aws) -> list[str]:
    """The account's distribution ids."""
    ids: list[str] = []
    marker: str | None = None
    while True:
        params = {"Marker": marker} if marker else {}
        page = aws.call("cloudfront", "ListDistributions", **params).get("DistributionList", {})
        ids += [item["Id"] for item in page.get("Items", [])]
        marker = page.get("NextMarker") if page.get("IsTruncated") else None
        if not marker:
            return ids


def weighted_error_rate(daily: list[tuple[dict, dict]]) -> float:
    """sum(rate x requests) / sum(requests) over each distribution's days (rate in percent)."""
    failed = requests = 0.0
    for request_counts, rates in daily:
        for day, count in request_counts.items():
            requests += count
            failed += count * rates.get(day, 0.0) / 100
    if requests <= 0:
        raise NotMeasured("the distributions served no requests in the window")
    return 100 * failed / requests


def _daily(aws: Aws, window: Window, ids: list[str]) -> list[tuple[dict, dict]]:
    wanted = []
    for distribution in ids:
        dims = {"DistributionId": distribution, "Region": "Global"}
        wanted.append(
            (metric(NAMESPACE, "Requests", **dims), metric(NAMESPACE, "5xxErrorRate", **dims))
        )
    requests = series(aws, window, [r for r, _ in wanted], "Sum", 86400, METRICS_REGION)
    rates = series(aws, window, [e for _, e in wanted], "Average", 86400, METRICS_REGION)
    return list(zip(requests, rates, strict=True))


def source(ids: list[str]) -> str:
    return (
        f"CloudWatch {NAMESPACE} 5xxErrorRate Average weighted by Requests Sum per day, "
        f"DistributionId={','.join(ids)}, Region=Global"
    )


def read(
    aws: Aws, window: Window, ids: list[str], campaign: Window | None, reading: Reading
) -> None:
    def rates() -> None:
        daily = _daily(aws, window, ids)
        reading.put("error_rate_percent", round(weighted_error_rate(daily), 4), source(ids), window)
        busiest = max(zip((sum(r.values()) for r, _ in daily), ids, strict=True))[1]
        target = metric(NAMESPACE, "OriginLatency", DistributionId=busiest, Region="Global")

        def latency() -> None:
            try:
                milliseconds = percentile_stat(aws, window, target, 95, METRICS_REGION)
            except NotMeasured as exc:
                raise NotMeasured(
                    f"{exc} (CloudFront publishes OriginLatency only with additional metrics on)"
                ) from None
            reading.put("p95_latency_ms", round(milliseconds, 1), target.describe("p95"), window)

        reading.attempt(("p95_latency_ms",), latency)

    reading.attempt(("error_rate_percent", "p95_latency_ms"), rates)
    if campaign is not None:
        reading.attempt(
            ("error_rate_during_campaigns_percent",),
            lambda: reading.put(
                "error_rate_during_campaigns_percent",
                round(weighted_error_rate(_daily(aws, campaign, ids)), 4),
                source(ids),
                campaign,
            ),
        )
