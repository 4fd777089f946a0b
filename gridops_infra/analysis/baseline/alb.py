"""Application Load Balancers: the error rate (target and load-balancer 5xx over requests,
every failure the user sees) and p95 latency (TargetResponseTime) over the window."""

from __future__ import annotations

from gridops_infra.analysis.baseline.aws import Aws, NotMeasured
from gridops_infra.analysis.baseline.metrics import Metric, metric, percentile_stat, totals
from gridops_infra.analysis.baseline.reading import Reading
from gridops_infra.analysis.baseline.window import Window

NAMESPACE = "AWS/ApplicationELB"
FIVE_XX = ("HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count")


def find(aws: Aws) -> list[str]:
    """The account's ALBs as CloudWatch names them (``app/<name>/<id>``)."""
    return [
        lb["LoadBalancerArn"].split(":loadbalancer/", 1)[1]
        for lb in aws.pages(
            "elbv2",
            "DescribeLoadBalancers",
            "LoadBalancers",
            token="Marker",
            next_token="NextMarker",
        )
        if lb.get("Type") == "application"
    ]


def counts(aws: Aws, window: Window, names: list[str]) -> list[tuple[float, float]]:
    """(requests, 5xx) per load balancer over the window."""
    wanted: list[Metric] = []
    for name in names:
        wanted += [metric(NAMESPACE, m, LoadBalancer=name) for m in ("RequestCount", *FIVE_XX)]
    sums = totals(aws, window, wanted)
    return [
        (sums[i * 3] or 0.0, (sums[i * 3 + 1] or 0.0) + (sums[i * 3 + 2] or 0.0))
        for i in range(len(names))
    ]


def error_rate(per_balancer: list[tuple[float, float]]) -> float:
    requests = sum(r for r, _ in per_balancer)
    if requests <= 0:
        raise NotMeasured("the load balancers served no requests in the window")
    return 100 * sum(e for _, e in per_balancer) / requests


def source(names: list[str]) -> str:
    return (
        f"CloudWatch {NAMESPACE} (HTTPCode_Target_5XX_Count Sum + HTTPCode_ELB_5XX_Count Sum)"
        f" / RequestCount Sum, LoadBalancer={','.join(names)}"
    )


def read(
    aws: Aws, window: Window, names: list[str], campaign: Window | None, reading: Reading
) -> None:
    def rates() -> None:
        per_balancer = counts(aws, window, names)
        reading.put("error_rate_percent", round(error_rate(per_balancer), 4), source(names), window)
        busiest = max(zip(per_balancer, names, strict=True))[1]

        def latency() -> None:
            target = metric(NAMESPACE, "TargetResponseTime", LoadBalancer=busiest)
            seconds = percentile_stat(aws, window, target, 95)
            reading.put(
                "p95_latency_ms",
                round(seconds * 1000, 1),
                target.describe("p95") + " (the busiest load balancer), seconds x 1000",
                window,
            )

        reading.attempt(("p95_latency_ms",), latency)

    reading.attempt(("error_rate_percent", "p95_latency_ms"), rates)
    if campaign is not None:
        reading.attempt(
            ("error_rate_during_campaigns_percent",),
            lambda: reading.put(
                "error_rate_during_campaigns_percent",
                round(error_rate(counts(aws, campaign, names)), 4),
                source(names),
                campaign,
            ),
        )
