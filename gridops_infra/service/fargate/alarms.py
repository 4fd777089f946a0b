"""A Fargate service's metrics and the two alarms that guard its deployments.

The alarms (5xx share of requests, unhealthy tasks) span every target group of the
service, so blue-green/canary/linear deployments are judged on the traffic of both; ECS
rolls back when either fires. They have no actions: they are inputs of the ECS
deployment rollback (tagged `gridops:role=deployment-rollback`); paging is
ObservabilityStack's job.

A failed request is a 5xx the app answered (`HTTPCode_Target_5XX_Count`, per target
group) or one the load balancer made itself (`HTTPCode_ELB_5XX_Count`: 502 bad gateway,
503 no healthy target, 504 timeout). CloudWatch publishes the latter per load balancer
only (no TargetGroup dimension), so on an ALB shared by several services each of them is
charged every load-balancer 5xx: no request a user saw fail is dropped, at the price that
one service's outage also burns its neighbours' budgets (their dashboards show whose
target group lost its healthy hosts). Requests the load balancer rejects before choosing
a target (503 with no registered target) are in no `RequestCount`, so the ratio's
denominator is the larger of the requests and the failures: with no target at all the
ratio is 1, not 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.metrics import Metric
from gridops_infra.service.spec.settings import ServiceSpec

ROLES = ("alarm",)
ALB = "AWS/ApplicationELB"
ECS = "AWS/ECS"
MIN_REQUESTS_PER_MINUTE = 10  # below this a 5xx ratio is noise, not a signal
# An alarm without actions must say what reads it (the policy rule `alarm-has-actions`).
ROLLBACK_INPUT_TAGS = {"gridops:role": "deployment-rollback"}


@dataclass(frozen=True)
class TargetGroupMetrics:
    """ALB metrics of one target group."""

    load_balancer: pulumi.Input[str]
    target_group: pulumi.Input[str]

    def _alb(self, name: str, statistic: str, unit: str, label: str) -> Metric:
        dims = {"LoadBalancer": self.load_balancer, "TargetGroup": self.target_group}
        return Metric(ALB, name, dims, statistic, 60, unit, label)

    def http_5xx(self) -> Metric:
        return self._alb("HTTPCode_Target_5XX_Count", "Sum", "Count", "5xx responses")

    def requests(self) -> Metric:
        return self._alb("RequestCount", "Sum", "Count", "requests")

    def elb_5xx(self) -> Metric:
        """5xx the load balancer made itself; published per load balancer only."""
        dims = {"LoadBalancer": self.load_balancer}
        return Metric(ALB, "HTTPCode_ELB_5XX_Count", dims, "Sum", 60, "Count", "load balancer 5xx")

    def latency_p99(self) -> Metric:
        return self._alb("TargetResponseTime", "p99", "Seconds", "p99 latency")

    def unhealthy_hosts(self) -> Metric:
        return self._alb("UnHealthyHostCount", "Maximum", "Count", "unhealthy tasks")


@dataclass(frozen=True)
class FargateMetrics(TargetGroupMetrics):
    """CloudWatch metrics of one Fargate service behind the cluster's ALB.

    The ALB metrics use the primary target group; with blue-green, canary or linear
    deployments ECS alternates between two target groups, so these follow the primary
    one only (the deployment alarms cover both).
    """

    cluster_name: pulumi.Input[str] = ""
    service_name: pulumi.Input[str] = ""

    def _ecs(self, name: str, label: str) -> Metric:
        dims = {"ClusterName": self.cluster_name, "ServiceName": self.service_name}
        return Metric(ECS, name, dims, "Average", 60, "Percent", label)

    def cpu(self) -> Metric:
        return self._ecs("CPUUtilization", "CPU")

    def memory(self) -> Metric:
        return self._ecs("MemoryUtilization", "memory")


def _query(query_id: str, metric: Metric) -> dict:
    return {
        "id": query_id,
        "return_data": False,
        "metric": {
            "namespace": metric.namespace,
            "metric_name": metric.name,
            "dimensions": dict(metric.dimensions),
            "period": metric.period_seconds,
            "stat": metric.statistic,
        },
    }


def failed_expression(count: int) -> str:
    """Failed requests across `count` target groups: the app's 5xx (e1..eN) plus the
    load balancer's own (`lb`)."""
    return " + ".join([*(f"FILL(e{i}, 0)" for i in range(1, count + 1)), "FILL(lb, 0)"])


def answered_expression(count: int) -> str:
    """Requests across `count` target groups (r1..rN), at least the failures: a 503 with
    no target to choose is in no RequestCount."""
    requests = " + ".join(f"FILL(r{i}, 0)" for i in range(1, count + 1))
    return f"MAX([{requests}, failed])"


def error_ratio_expression() -> str:
    """Percent of requests that failed (see `failed` and `answered`), 0 when traffic is
    below MIN_REQUESTS_PER_MINUTE."""
    return f"IF(answered >= {MIN_REQUESTS_PER_MINUTE}, 100 * failed / answered, 0)"


def deployment_alarms(
    owner: GridopsComponent, spec: ServiceSpec, metrics: list[TargetGroupMetrics]
) -> list[aws.cloudwatch.MetricAlarm]:
    """The 5xx-ratio and unhealthy-tasks alarms over every target group in `metrics`."""
    queries = []
    for i, m in enumerate(metrics, start=1):
        queries += [_query(f"e{i}", m.http_5xx()), _query(f"r{i}", m.requests())]
    # Every target group of a service sits behind the same load balancer.
    queries.append(_query("lb", metrics[0].elb_5xx()))
    errors = owner.child(
        "alarm",
        aws.cloudwatch.MetricAlarm,
        {
            "alarm_description": (
                f"{spec.name}: more than {spec.rollback_5xx_percent}% of requests failed with "
                "5xx; rolls a deployment back"
            ),
            "comparison_operator": "GreaterThanThreshold",
            "threshold": spec.rollback_5xx_percent,
            "evaluation_periods": 3,
            "datapoints_to_alarm": 2,
            "treat_missing_data": "notBreaching",
            "metric_queries": [
                {
                    "id": "ratio",
                    "expression": error_ratio_expression(),
                    "label": "5xx percent",
                    "return_data": True,
                },
                {
                    "id": "failed",
                    "expression": failed_expression(len(metrics)),
                    "label": "app and load balancer 5xx",
                    "return_data": False,
                },
                {
                    "id": "answered",
                    "expression": answered_expression(len(metrics)),
                    "label": "requests",
                    "return_data": False,
                },
                *queries,
            ],
            "tags": ROLLBACK_INPUT_TAGS,
        },
        suffix="5xx-ratio",
    )
    unhealthy_queries = [_query(f"u{i}", m.unhealthy_hosts()) for i, m in enumerate(metrics, 1)]
    if len(unhealthy_queries) == 1:
        unhealthy_queries[0]["return_data"] = True
    else:
        ids = ", ".join(q["id"] for q in unhealthy_queries)
        # MAX over an array of series is one series: the worst target group each minute.
        unhealthy_queries.insert(
            0,
            {
                "id": "unhealthy",
                "expression": f"MAX([{ids}])",
                "label": "unhealthy tasks",
                "return_data": True,
            },
        )
    unhealthy = owner.child(
        "alarm",
        aws.cloudwatch.MetricAlarm,
        {
            "alarm_description": f"{spec.name}: tasks failing ALB health checks for 3 minutes",
            "comparison_operator": "GreaterThanOrEqualToThreshold",
            "threshold": 1,
            "evaluation_periods": 3,
            "datapoints_to_alarm": 3,
            "treat_missing_data": "notBreaching",
            "metric_queries": unhealthy_queries,
            "tags": ROLLBACK_INPUT_TAGS,
        },
        suffix="unhealthy-hosts",
    )
    return [errors, unhealthy]


__all__ = [
    "ROLES",
    "ROLLBACK_INPUT_TAGS",
    "FargateMetrics",
    "TargetGroupMetrics",
    "answered_expression",
    "deployment_alarms",
    "error_ratio_expression",
    "failed_expression",
]
