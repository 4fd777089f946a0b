"""Caused charges of monitoring: ECS Container Insights, the CloudWatch observability
add-on on EKS, and the custom metrics that agents and metric filters publish."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from gridops_infra.analysis.cost.caused.charges import CausedCharge
from gridops_infra.analysis.cost.context import Price, PricingContext, money
from gridops_infra.analysis.cost.ecs import service_task_count
from gridops_infra.core.values import as_number
from gridops_infra.testing.plan import ResourceRecord

OBSERVABILITY_ADDON = "amazon-cloudwatch-observability"


def _insights_mode(cluster: ResourceRecord) -> str:
    for setting in cluster.inputs.get("settings") or []:
        if isinstance(setting, Mapping) and setting.get("name") == "containerInsights":
            return str(setting.get("value") or "disabled")
    return "disabled"


def _services_of(cluster: ResourceRecord, ctx: PricingContext) -> list[ResourceRecord]:
    return [
        s
        for s in ctx.plan.of_type("aws:ecs/service:Service")
        if ctx.referenced(s, "cluster", "aws:ecs/cluster:Cluster") is cluster
    ]


def container_insights_ecs(ctx: PricingContext) -> Iterator[CausedCharge]:
    """Container Insights on an ECS cluster. Standard (`enabled`): custom metrics per cluster
    and per service with running tasks, plus the performance log events it ingests.
    Enhanced (`enhanced`): billed per observation instead."""
    cw = ctx.table.data["cloudwatch"]
    for cluster in ctx.plan.of_type("aws:ecs/cluster:Cluster"):
        mode = _insights_mode(cluster)
        if mode not in ("enabled", "enhanced"):
            continue
        tasks = {s.name: service_task_count(s, ctx)[0] for s in _services_of(cluster, ctx)}
        running = [name for name, count in tasks.items() if count > 0]
        task_total = sum(tasks.values())
        log_gb = (ctx.usage(cluster, "container_insights_log_gb_per_task") or 0.0) * task_total
        log_cost = log_gb * cw["logs_ingestion_gb"]
        if mode == "enhanced":
            per_task = ctx.usage(cluster, "container_insights_observations_million_per_task") or 0.0
            observations = per_task * task_total
            rate = cw["container_insights_observations_million"]
            cost = observations * rate + log_cost
            formula = (
                f"enhanced: {task_total:g} task(s) x {per_task:g}M observations x "
                f"{money(rate)}/M + {log_gb:g} GB performance logs x "
                f"{money(cw['logs_ingestion_gb'])}/GB"
            )
        else:
            per_cluster = ctx.usage(cluster, "container_insights_metrics_per_cluster") or 0.0
            per_service = ctx.usage(cluster, "container_insights_metrics_per_service") or 0.0
            metrics = (per_cluster if running else 0.0) + per_service * len(running)
            rate = cw["custom_metric_month"]
            cost = metrics * rate + log_cost
            formula = (
                f"{per_cluster if running else 0:g} cluster + {len(running)} service(s) with "
                f"running tasks x {per_service:g} = {metrics:g} custom metrics x "
                f"{money(rate)}/month + {log_gb:g} GB performance logs x "
                f"{money(cw['logs_ingestion_gb'])}/GB"
            )
            if len(running) < len(tasks):
                ctx.note(
                    "Container Insights: services that scale to zero publish metrics only "
                    "while tasks run; they are not counted."
                )
        yield CausedCharge(
            "CloudWatch/ContainerInsights",
            "container-insights",
            cluster,
            Price(cost, formula, cost),
        )


def container_insights_eks(ctx: PricingContext) -> Iterator[CausedCharge]:
    """The CloudWatch observability add-on: Container Insights with enhanced observability
    (billed per observation) and the container logs its Fluent Bit ships."""
    cw = ctx.table.data["cloudwatch"]
    for addon in ctx.plan.of_type("aws:eks/addon:Addon"):
        if addon.inputs.get("addonName") != OBSERVABILITY_ADDON:
            continue
        nodes = _cluster_nodes(addon, ctx)
        per_node = ctx.usage(addon, "container_insights_observations_million_per_node") or 0.0
        logs = ctx.usage(addon, "container_logs_gb_per_node") or 0.0
        rate = cw["container_insights_observations_million"]
        observations = nodes * per_node
        cost = observations * rate + nodes * logs * cw["logs_ingestion_gb"]
        formula = (
            f"{nodes:g} node(s) x ({per_node:g}M observations x {money(rate)}/M + "
            f"{logs:g} GB container logs x {money(cw['logs_ingestion_gb'])}/GB)"
        )
        yield CausedCharge(
            "CloudWatch/ContainerInsights", "container-insights", addon, Price(cost, formula, cost)
        )


def _cluster_nodes(addon: ResourceRecord, ctx: PricingContext) -> float:
    """Nodes of the add-on's cluster: the node groups' desired sizes, plus
    `eks_auto_mode_nodes` on an Auto Mode cluster (Karpenter's and Auto Mode's nodes are not
    in the Plan; at least one node is assumed)."""
    cluster_name = addon.inputs.get("clusterName")
    total = 0.0
    for cluster in ctx.plan.of_type("aws:eks/cluster:Cluster"):
        if cluster_name and cluster.inputs.get("name") not in (None, cluster_name):
            continue
        if (cluster.inputs.get("computeConfig") or {}).get("enabled") is True:
            total += ctx.usage(cluster, "eks_auto_mode_nodes") or 0.0
    for group in ctx.plan.of_type("aws:eks/nodeGroup:NodeGroup"):
        if cluster_name and group.inputs.get("clusterName") not in (None, cluster_name):
            continue
        total += as_number((group.inputs.get("scalingConfig") or {}).get("desiredSize"), 0.0) or 0
    return max(total, 1.0)


def _alarm_metrics(rec: ResourceRecord) -> Iterator[tuple[str, str, str]]:
    inputs = rec.inputs
    if inputs.get("namespace") and inputs.get("metricName"):
        yield (
            str(inputs["namespace"]),
            str(inputs["metricName"]),
            json.dumps(inputs.get("dimensions"), sort_keys=True, default=str),
        )
    for q in inputs.get("metricQueries") or []:
        metric = (q.get("metric") or {}) if isinstance(q, Mapping) else {}
        if metric.get("namespace") and metric.get("metricName"):
            yield (
                str(metric["namespace"]),
                str(metric["metricName"]),
                json.dumps(metric.get("dimensions"), sort_keys=True, default=str),
            )


def custom_metrics(ctx: PricingContext) -> Iterator[CausedCharge]:
    """Custom metrics: one per log metric filter, and one per metric outside AWS/*
    namespaces that an alarm watches and nothing else in the Plan prices (the CloudWatch
    agent's CWAgent metrics, a backup job's heartbeat). Container Insights metrics are
    priced with Container Insights."""
    rate = ctx.rate("cloudwatch", "custom_metric_month")
    filtered: set[tuple[str, str]] = set()
    for f in ctx.plan.of_type("aws:cloudwatch/logMetricFilter:LogMetricFilter"):
        t = f.inputs.get("metricTransformation") or {}
        filtered.add((str(t.get("namespace")), str(t.get("name"))))
        yield CausedCharge(
            "CloudWatch/CustomMetrics",
            f"metric-{t.get('name')}",
            f,
            Price(rate, f"1 custom metric ({t.get('name')}) x {money(rate)}/month"),
        )
    seen: dict[tuple[str, str, str], ResourceRecord] = {}
    for alarm in ctx.plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm"):
        for key in _alarm_metrics(alarm):
            namespace, name, _ = key
            if namespace.startswith("AWS/") or namespace.endswith("ContainerInsights"):
                continue
            if (namespace, name) in filtered:
                continue
            seen.setdefault(key, alarm)
    for (namespace, name, _), alarm in seen.items():
        yield CausedCharge(
            "CloudWatch/CustomMetrics",
            f"metric-{name}",
            alarm,
            Price(
                rate,
                f"1 custom metric ({namespace}/{name}, published outside the Plan) x "
                f"{money(rate)}/month",
            ),
        )
