"""Pricers for observability and security: CloudWatch alarms and log groups, KMS keys,
Secrets Manager secrets, SSM parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gridops_infra.analysis.cost.context import NotPriced, Price, PricingContext, money
from gridops_infra.core.values import as_number
from gridops_infra.testing.plan import ResourceRecord


def _alarm_metrics(inputs: Mapping[str, Any]) -> tuple[int, bool]:
    """(metrics billed, high resolution) for one metric alarm."""
    queries = inputs.get("metricQueries")
    periods: list[float] = []
    top = as_number(inputs.get("period"))
    if top is not None:
        periods.append(top)
    if isinstance(queries, list) and queries:
        metrics = 0
        for q in queries:
            if isinstance(q, Mapping) and q.get("metric"):
                metrics += 1
                p = as_number((q.get("metric") or {}).get("period"))
                if p is not None:
                    periods.append(p)
            expression = str(q.get("expression") or "") if isinstance(q, Mapping) else ""
            if "ANOMALY_DETECTION_BAND" in expression:
                metrics += 2  # a band alarm bills three metrics: the metric and two bounds
        count = max(metrics, 1)
    else:
        count = 1
    return count, any(p < 60 for p in periods)


def metric_alarm(rec: ResourceRecord, ctx: PricingContext) -> Price:
    count, high_res = _alarm_metrics(rec.inputs)
    key = "alarm_high_resolution_metric_month" if high_res else "alarm_metric_month"
    rate = ctx.rate("cloudwatch", key)
    res = "high-resolution" if high_res else "standard"
    return Price(count * rate, f"{count} {res} alarm metric(s) x {money(rate)}/month")


ALARM_HEALTH_CHECKS = ("CLOUDWATCH_METRIC", "CALCULATED")


def route53_health_check(rec: ResourceRecord, ctx: PricingContext) -> Price:
    """A health check that follows an alarm or other checks: Route 53's basic rate for AWS
    endpoints (no requests leave AWS). Endpoint checks (HTTP, HTTPS, TCP) bill by endpoint
    kind and optional features, which the Plan does not say: not priced."""
    kind = rec.inputs.get("type")
    if kind not in ALARM_HEALTH_CHECKS:
        raise NotPriced(
            f"a {kind} endpoint health check bills by endpoint kind and optional features, "
            "which the Plan does not say"
        )
    rate = ctx.rate("route53", "health_check_aws_endpoint_month")
    return Price(rate, f"{kind} health check {money(rate)}/month")


def log_group(rec: ResourceRecord, ctx: PricingContext) -> Price:
    gb = ctx.usage(rec, "log_ingestion_gb") or 0.0
    ingest = ctx.rate("cloudwatch", "logs_ingestion_gb")
    retention = as_number(rec.inputs.get("retentionInDays"))
    kept_months = min(retention or 365, 365) / 30
    store = ctx.rate("cloudwatch", "logs_storage_gb_month")
    cost = gb * ingest + gb * kept_months * store
    kept = f"{retention:g} days" if retention else "never expires, 1 year counted"
    return Price(
        cost,
        f"{gb:g} GB ingested x {money(ingest)}/GB + stored {kept} x {money(store)}/GB-month",
        cost,
    )


def kms_key(rec: ResourceRecord, ctx: PricingContext) -> Price:
    rate = ctx.rate("kms", "key_month")
    formula = f"1 key x {money(rate)}/month"
    if rec.inputs.get("enableKeyRotation"):
        ctx.note("KMS: each automatic rotation adds $1/month for the first two rotations.")
    return Price(rate, formula)


def secret(rec: ResourceRecord, ctx: PricingContext) -> Price:
    rate = ctx.rate("secrets_manager", "secret_month")
    replicas = rec.inputs.get("replicas")
    copies = 1 + (len(replicas) if isinstance(replicas, list) else 0)
    return Price(copies * rate, f"{copies} secret(s) x {money(rate)}/month")


def ssm_parameter(rec: ResourceRecord, ctx: PricingContext) -> Price:
    if str(rec.inputs.get("tier", "Standard")) == "Advanced":
        rate = ctx.rate("ssm", "advanced_parameter_month")
        return Price(rate, f"advanced parameter {money(rate)}/month")
    return Price(0.0, "standard parameters are free")
