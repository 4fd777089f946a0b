"""Caused charges of the OpenTelemetry collectors the services ship with: X-Ray traces
(sampling read from the app's environment) and, on ECS, the app's metrics that the
collector sidecar writes as EMF custom metrics."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from gridops_infra.analysis.cost.caused.charges import CausedCharge
from gridops_infra.analysis.cost.context import Price, PricingContext, money
from gridops_infra.analysis.cost.ecs import service_task_count
from gridops_infra.core.values import as_number
from gridops_infra.testing.plan import ResourceRecord

ADOT_IMAGE = "aws-otel-collector"


def _env(pairs: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in pairs if isinstance(pairs, list) else []:
        if isinstance(item, Mapping) and "name" in item and isinstance(item.get("value"), str):
            out[str(item["name"])] = str(item["value"])
    return out


def sampling_rate(env: Mapping[str, str]) -> tuple[float, str]:
    """(fraction of requests traced, why) from the OpenTelemetry SDK's sampler settings;
    the SDK default (`parentbased_always_on`) traces every request."""
    sampler = env.get("OTEL_TRACES_SAMPLER", "parentbased_always_on").strip().lower()
    arg = as_number(env.get("OTEL_TRACES_SAMPLER_ARG"), None)
    if sampler in ("always_off", "parentbased_always_off"):
        return 0.0, f"OTEL_TRACES_SAMPLER={sampler}"
    if sampler in ("traceidratio", "parentbased_traceidratio"):
        rate = 1.0 if arg is None else min(max(arg, 0.0), 1.0)
        return rate, f"OTEL_TRACES_SAMPLER={sampler}, ratio {rate:g}"
    if sampler == "xray":
        return 0.05, "X-Ray remote sampling (default rule: 1 request/s + 5%; 5% counted)"
    return 1.0, f"OTEL_TRACES_SAMPLER={sampler} (every request traced)"


def _ecs_with_collector(ctx: PricingContext) -> Iterator[tuple[ResourceRecord, dict[str, str]]]:
    """ECS services whose task runs the ADOT collector sidecar, with the environment of the
    app container that sends it telemetry (the one naming an OTEL_SERVICE_NAME). The
    collector's ECS default configuration writes traces to X-Ray and metrics as EMF."""
    for service in ctx.plan.of_type("aws:ecs/service:Service"):
        td = ctx.referenced(service, "taskDefinition", "aws:ecs/taskDefinition:TaskDefinition")
        if td is None:
            continue
        raw = td.inputs.get("containerDefinitions")
        try:
            containers = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            continue
        if not isinstance(containers, list):
            continue
        if not any(ADOT_IMAGE in str(c.get("image", "")) for c in containers):
            continue
        for c in containers:
            env = _env(c.get("environment"))
            if "OTEL_SERVICE_NAME" in env:
                yield service, env
                break


def _ecs_traced(ctx: PricingContext) -> Iterator[tuple[ResourceRecord, dict[str, str]]]:
    for service, env in _ecs_with_collector(ctx):
        if env.get("OTEL_TRACES_EXPORTER", "otlp") == "otlp":
            yield service, env


def collector_metrics(ctx: PricingContext) -> Iterator[CausedCharge]:
    """The app's OpenTelemetry metrics through the ECS collector sidecar: EMF log events
    that CloudWatch turns into custom metrics (usage `otel_custom_metrics_per_service`,
    `otel_emf_log_gb_per_task`). The SDK exports metrics over OTLP unless
    OTEL_METRICS_EXPORTER says otherwise."""
    cw = ctx.table.data["cloudwatch"]
    for service, env in _ecs_with_collector(ctx):
        if env.get("OTEL_METRICS_EXPORTER", "otlp") != "otlp":
            continue
        metrics = ctx.usage(service, "otel_custom_metrics_per_service") or 0.0
        tasks = service_task_count(service, ctx)[0]
        gb = (ctx.usage(service, "otel_emf_log_gb_per_task") or 0.0) * tasks
        cost = metrics * cw["custom_metric_month"] + gb * cw["logs_ingestion_gb"]
        formula = (
            f"{metrics:g} custom metrics x {money(cw['custom_metric_month'])}/month + "
            f"{tasks:g} task(s) x EMF logs = {gb:g} GB x {money(cw['logs_ingestion_gb'])}/GB"
        )
        yield CausedCharge(
            "CloudWatch/CustomMetrics", "app-metrics", service, Price(cost, formula, cost)
        )


def _collector_exports_to_xray(ctx: PricingContext) -> bool:
    return any(
        "awsxray" in json.dumps(r.inputs.get("values"), default=str)
        for r in ctx.plan.of_type("kubernetes:helm.sh/v3:Release")
    )


def _eks_traced(ctx: PricingContext) -> Iterator[tuple[ResourceRecord, dict[str, str]]]:
    """Kubernetes Deployments exporting traces over OTLP to a collector that writes X-Ray."""
    if not _collector_exports_to_xray(ctx):
        return
    for deployment in ctx.plan.of_type("kubernetes:apps/v1:Deployment"):
        pod = (((deployment.inputs.get("spec") or {}).get("template") or {}).get("spec")) or {}
        for c in pod.get("containers") or []:
            env = _env(c.get("env") if isinstance(c, Mapping) else None)
            if env.get("OTEL_TRACES_EXPORTER") == "otlp":
                yield deployment, env
                break


def xray_traces(ctx: PricingContext) -> Iterator[CausedCharge]:
    """Traces recorded in X-Ray: traced requests x the sampling rate read from the Plan
    (usage `xray_sampling_rate` overrides it)."""
    rate = ctx.rate("xray", "traces_recorded_million")
    for workload, env in [*_ecs_traced(ctx), *_eks_traced(ctx)]:
        requests = ctx.usage(workload, "traced_requests_million") or 0.0
        sampled, why = sampling_rate(env)
        override = ctx.usage(workload, "xray_sampling_rate")
        if override is not None:
            sampled, why = override, "usage xray_sampling_rate"
        traces = requests * sampled
        cost = traces * rate
        formula = (
            f"{requests:g}M requests x {sampled:.0%} sampled ({why}) = {traces:g}M traces x "
            f"{money(rate)}/M recorded"
        )
        ctx.note("X-Ray's free tier (100,000 traces recorded a month) is not deducted.")
        yield CausedCharge("XRay/Traces", "xray-traces", workload, Price(cost, formula, cost))
