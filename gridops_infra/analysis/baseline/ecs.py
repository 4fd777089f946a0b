"""ECS: the services (a service behind a load balancer is a ``service``, one without is a
``worker``), their task size, CPU and memory over the window, and their deployments
(ListServiceDeployments: the deployment history ECS keeps, with created and finished times).

Deploy lead time from ECS is the time from a deployment's creation to its rollout finishing
(SUCCESSFUL): the part of "merge to serving" ECS sees; build and review time before the
deployment starts are not in it (``--github`` reads GitHub's deployments instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean
from typing import Any

from gridops_infra.analysis.baseline.aws import Aws, utc
from gridops_infra.analysis.baseline.metrics import (
    metric,
    nearest_rank,
    utilization_period,
    values,
)
from gridops_infra.analysis.baseline.reading import Reading
from gridops_infra.analysis.baseline.window import Window

NAMESPACE = "AWS/ECS"
DESCRIBE_BATCH = 10
"""DescribeServices takes at most 10 services per request."""


@dataclass(frozen=True)
class Service:
    cluster: str
    name: str
    arn: str
    task_definition: str
    behind_load_balancer: bool

    @property
    def kind(self) -> str:
        return "service" if self.behind_load_balancer else "worker"


def find(aws: Aws) -> list[Service]:
    found: list[Service] = []
    for cluster_arn in aws.pages("ecs", "ListClusters", "clusterArns", token="nextToken"):
        arns = list(
            aws.pages("ecs", "ListServices", "serviceArns", token="nextToken", cluster=cluster_arn)
        )
        for first in range(0, len(arns), DESCRIBE_BATCH):
            reply = aws.call(
                "ecs",
                "DescribeServices",
                cluster=cluster_arn,
                services=arns[first : first + DESCRIBE_BATCH],
            )
            cluster = cluster_arn.rsplit("/", 1)[-1]
            found += [
                Service(
                    cluster,
                    s["serviceName"],
                    s["serviceArn"],
                    s["taskDefinition"],
                    bool(s.get("loadBalancers")),
                )
                for s in reply.get("services", [])
            ]
    return found


def utilization(
    aws: Aws, window: Window, services: list[Service], reading: Reading
) -> list[dict[str, Any]]:
    period = utilization_period(window)
    rows: list[dict[str, Any]] = []
    for service in services:
        task = aws.call("ecs", "DescribeTaskDefinition", taskDefinition=service.task_definition)[
            "taskDefinition"
        ]
        dims = {"ClusterName": service.cluster, "ServiceName": service.name}
        cpu, memory = (
            metric(NAMESPACE, name, **dims) for name in ("CPUUtilization", "MemoryUtilization")
        )
        cpu_points, memory_points = values(aws, window, [cpu, memory], "Average", period)
        row: dict[str, Any] = {"kind": service.kind, "name": f"{service.cluster}/{service.name}"}
        if task.get("cpu"):
            row["cpu_units"] = int(task["cpu"])
        if task.get("memory"):
            row["memory_mib"] = int(task["memory"])
        label = f"utilization {row['name']}"
        for key, target, points in (
            ("cpu_p95_percent", cpu, cpu_points),
            ("memory_p95_percent", memory, memory_points),
        ):
            if points:
                row[key] = round(nearest_rank(points, 95), 1)
            else:
                reading.miss(f"{label} {key}", f"no datapoints for {target.describe('Average')}")
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Deployment:
    """One finished or running deployment: when it was created and when it finished."""

    created: Any
    finished: Any
    succeeded: bool


def deployments(aws: Aws, window: Window, services: list[Service]) -> list[Deployment]:
    found: list[Deployment] = []
    for service in services:
        for item in aws.pages(
            "ecs",
            "ListServiceDeployments",
            "serviceDeployments",
            token="nextToken",
            cluster=service.cluster,
            service=service.name,
            createdAt={"after": window.start, "before": window.end},
        ):
            found.append(deployment_of(item))
    return found


def deployment_of(item: dict[str, Any]) -> Deployment:
    """A ListServiceDeployments item (``createdAt``, ``finishedAt``, ``status``)."""
    finished = item.get("finishedAt")
    return Deployment(
        utc(item["createdAt"]),
        utc(finished) if finished is not None else None,
        item.get("status") == "SUCCESSFUL",
    )


def deploy_figures(found: list[Deployment], window: Window) -> tuple[float, float | None]:
    """(deploys per week, mean lead time in minutes or None): successful deployments
    created in the window count; the lead time is creation to finish."""
    done = [d for d in found if d.succeeded and window.contains(d.created)]
    per_week = len(done) / window.weeks
    minutes = [
        (d.finished - d.created).total_seconds() / 60 for d in done if d.finished is not None
    ]
    return per_week, (fmean(minutes) if minutes else None)
