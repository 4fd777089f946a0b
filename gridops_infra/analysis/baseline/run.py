"""One baseline read: every reader in turn, each figure with its source and window, each
figure that could not be read listed with the reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gridops_infra.analysis.baseline import (
    alarms,
    alb,
    cloudfront,
    cost,
    drills,
    ecs,
    elasticache,
    github,
    rds,
    sizes,
    stage,
)
from gridops_infra.analysis.baseline.aws import Aws, NotMeasured
from gridops_infra.analysis.baseline.reading import Reading
from gridops_infra.analysis.baseline.window import Window

UTILIZATION_SOURCE = (
    "p95 of 5-minute averages (hourly beyond 63 days): AWS/ECS CPUUtilization, MemoryUtilization "
    "(ClusterName, ServiceName) with cpu/memory from ECS DescribeTaskDefinition; AWS/RDS "
    "CPUUtilization, 1 - FreeableMemory / the class's memory, DatabaseConnections Maximum "
    "(DBInstanceIdentifier); AWS/ElastiCache EngineCPUUtilization (CPUUtilization for "
    "Memcached), DatabaseMemoryUsagePercentage, CurrConnections Maximum (CacheClusterId, "
    "CacheNodeId)"
)


@dataclass(frozen=True)
class Options:
    window: Window
    campaign: Window | None = None
    stage: str | None = None
    slo: float | None = None
    github: str | None = None
    github_environment: str = "production"
    name: str | None = None
    alarm_prefix: str | None = None


@dataclass
class _State:
    services: list[ecs.Service]
    rows: list[dict[str, Any]]
    services_error: str | None = None


STEPS = (
    "account",
    "ECS services",
    "stage",
    "requests (ALB or CloudFront)",
    "databases",
    "caches",
    "service utilization",
    "deployments",
    "alarm history",
    "drills",
    "cost",
)


def read_baseline(
    aws: Aws, options: Options, step: Callable[[str], None] = lambda _: None
) -> Reading:
    """Read every figure; `step` is called with each step's name as it starts."""
    reading = Reading()
    window = options.window
    state = _State([], [])
    if options.name:
        reading.put("name", options.name, "given: --name", None)
    if options.slo is not None:
        reading.put("slo_objective", options.slo, "given: --slo", None)

    step("account")
    # Credentials and endpoint are proven before anything else is read.
    reading.account = aws.call("sts", "GetCallerIdentity").get("Account", "")

    step("ECS services")

    try:
        state.services = ecs.find(aws)
    except NotMeasured as exc:
        state.services_error = str(exc)
        reading.miss("utilization: ECS services", str(exc))

    step("stage")
    if options.stage:
        reading.put("current_stage", options.stage, "given: --stage", None)
    else:

        def detect() -> None:
            found, how = stage.detect(aws, len(state.services), state.services_error)
            reading.put("current_stage", found, f"detected: {how}", None)

        reading.attempt(("current_stage",), detect)

    step("requests (ALB or CloudFront)")
    traffic = ("error_rate_percent", "p95_latency_ms") + (
        ("error_rate_during_campaigns_percent",) if options.campaign else ()
    )
    reading.attempt(traffic, lambda: _traffic(aws, options, reading))

    step("databases")

    def databases() -> None:
        found = rds.find(aws)
        if not found:
            raise NotMeasured("RDS DescribeDBInstances lists no DB instance")
        state.rows += rds.utilization(aws, window, found, reading)
        reading.attempt(
            ("db_p95_query_ms",), lambda: rds.query_latency(aws, window, found, reading)
        )

    reading.attempt(("db_p95_query_ms", "utilization: databases"), databases)

    step("caches")
    reading.attempt(
        ("utilization: caches",),
        lambda: state.rows.extend(
            elasticache.utilization(aws, window, elasticache.find(aws), reading)
        ),
    )

    step("service utilization")
    reading.attempt(
        ("utilization: ECS services",),
        lambda: state.rows.extend(ecs.utilization(aws, window, state.services, reading)),
    )
    for row in list(state.rows):
        reason = sizes.unsized_reason(row)
        if reason:
            state.rows.remove(row)
            label = f"utilization {row['name']}"
            for key in [k for k in reading.missing if k.startswith(label + " ")]:
                del reading.missing[key]  # the whole row is out: one reason says why
            reading.miss(label, f"left out: {reason}")
    if state.rows:
        order = {"service": 0, "worker": 1, "database": 2, "cache": 3}
        state.rows.sort(key=lambda row: (order[row["kind"]], row["name"]))
        reading.put("utilization", state.rows, UTILIZATION_SOURCE, window)
    else:
        reading.miss("utilization", "no ECS service, DB instance or cache cluster found")

    step("deployments")
    deploy_fields = ("deploy_lead_time_minutes", "deploys_per_week")
    if options.github:
        repository = options.github
        reading.attempt(
            deploy_fields,
            lambda: github.read(repository, options.github_environment, window, reading),
        )
    else:
        reading.attempt(deploy_fields, lambda: _ecs_deployments(aws, window, state, reading))

    step("alarm history")
    reading.attempt(
        ("mttr_minutes",), lambda: alarms.read(aws, window, options.alarm_prefix, reading)
    )

    step("drills")
    reading.attempt(("drills", "drill_recovery_minutes"), lambda: drills.read(aws, window, reading))

    step("cost")
    reading.attempt(("monthly_cost_usd",), lambda: cost.read(aws, window, reading))
    return reading


def _traffic(aws: Aws, options: Options, reading: Reading) -> None:
    balancers = alb.find(aws)
    if balancers:
        alb.read(aws, options.window, balancers, options.campaign, reading)
        return
    distributions = cloudfront.find(aws)
    if not distributions:
        raise NotMeasured("no Application Load Balancer and no CloudFront distribution found")
    cloudfront.read(aws, options.window, distributions, options.campaign, reading)


def _ecs_deployments(aws: Aws, window: Window, state: _State, reading: Reading) -> None:
    services = state.services
    if state.services_error:
        raise NotMeasured(state.services_error)
    if not services:
        raise NotMeasured(
            "no ECS service found (pass --github OWNER/REPO to read GitHub's deployments)"
        )
    per_week, lead = ecs.deploy_figures(ecs.deployments(aws, window, services), window)
    source = f"ECS ListServiceDeployments over {len(services)} services, SUCCESSFUL deployments"
    reading.put("deploys_per_week", round(per_week, 2), source, window)
    if lead is None:
        raise NotMeasured("no ECS deployment succeeded in the window")
    reading.put(
        "deploy_lead_time_minutes",
        round(lead, 1),
        source + "; mean of createdAt -> finishedAt (the rollout; build time before it not seen)",
        window,
    )
