"""Usage assumptions (traffic, storage, requests) that the Plan cannot tell: the defaults
and the check of what a caller passes instead."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from typing import Any

USAGE_DEFAULTS: dict[str, tuple[float | None, str]] = {
    "nat_gateway_gb": (100.0, "GB processed per NAT gateway per month"),
    "alb_lcu": (1.0, "average load balancer capacity units (LCU/NLCU) per load balancer"),
    "interface_endpoint_gb": (10.0, "GB processed per interface VPC endpoint per month"),
    "log_ingestion_gb": (1.0, "GB ingested per log group per month"),
    "cloudfront_data_gb": (100.0, "GB served to viewers per distribution per month"),
    "cloudfront_requests_million": (10.0, "HTTPS requests per distribution, millions/month"),
    "cloudfront_function_invocations_million": (
        10.0,
        "invocations per CloudFront function, millions/month",
    ),
    "waf_requests_million": (10.0, "requests inspected per web ACL, millions/month"),
    "sqs_requests_million": (10.0, "API requests per queue, millions/month"),
    "sqs_dlq_requests_million": (
        0.1,
        "API requests per dead-letter queue (another queue's redrive target), millions/month",
    ),
    "sqs_event_requests_million": (
        0.2,
        "API requests per event queue (fed by EventBridge rules, read by one long-polling "
        "controller such as Karpenter: a receive every 20 s is 0.13M), millions/month",
    ),
    "lambda_invocations_million": (
        0.1,
        "invocations per Lambda function, millions/month (a queue worker doing sporadic work: "
        "100,000 batches, one message each when the queue is mostly empty)",
    ),
    "lambda_seconds_per_invocation": (
        1.0,
        "average billed seconds per Lambda invocation (one batch of a queue worker)",
    ),
    "sns_publishes_million": (1.0, "publishes per topic, millions/month"),
    "appconfig_agents": (
        2.0,
        "AppConfig Agents (tasks or pods) polling each AppConfig environment every 45 s",
    ),
    "appconfig_changes": (10.0, "flag changes deployed per AppConfig environment per month"),
    "s3_storage_gb": (10.0, "GB stored per bucket (S3 Standard)"),
    "s3_put_thousand": (10.0, "PUT/POST/LIST requests per bucket, thousands/month"),
    "s3_get_thousand": (100.0, "GET requests per bucket, thousands/month"),
    "ecr_storage_gb": (5.0, "GB of images per ECR repository"),
    "aurora_storage_gb": (20.0, "GB stored per Aurora cluster"),
    "aurora_io_million": (10.0, "I/O requests per Aurora Standard cluster, millions/month"),
    "aurora_serverless_acu": (
        None,
        "average ACUs per Serverless v2 instance (default: the cluster's minCapacity, "
        "at least 0.5)",
    ),
    "aurora_serverless_active_share": (
        0.25,
        "share of the month a Serverless v2 instance with a 0 ACU minimum is awake, 0..1 "
        "(auto-pause bills no compute while paused; 0.25 is about 8 h each working day plus "
        "the idle delay before each pause)",
    ),
    "dms_serverless_dcu": (
        None,
        "average DMS capacity units per serverless replication (default: its "
        "MinCapacityUnits, where it settles during ongoing replication; the full load runs "
        "up to MaxCapacityUnits for its duration)",
    ),
    "elasticache_serverless_gb": (1.0, "average GB stored per serverless cache"),
    "elasticache_serverless_ecpu_million": (100.0, "ECPUs per serverless cache, millions/month"),
    "snapshot_gb": (20.0, "GB of snapshots/backups kept per lifecycle or backup plan"),
    "container_insights_metrics_per_cluster": (
        16.0,
        "custom metrics ECS Container Insights publishes per cluster with running tasks "
        "(cluster dimension)",
    ),
    "container_insights_metrics_per_service": (
        25.0,
        "custom metrics ECS Container Insights publishes per service with running tasks "
        "(service and task-definition-family dimensions)",
    ),
    "container_insights_log_gb_per_task": (
        0.1,
        "GB of Container Insights performance log events ingested per ECS task per month "
        "(a task and a container event a minute, about 1 KB each)",
    ),
    "container_insights_observations_million_per_task": (
        2.6,
        "Container Insights enhanced observations per ECS task per month, millions "
        "(about 60 metric values a minute)",
    ),
    "container_insights_observations_million_per_node": (
        7.0,
        "Container Insights enhanced observations per EKS node per month, millions "
        "(about 160 metric values a minute: the node and ~10 pods with their containers)",
    ),
    "container_logs_gb_per_node": (
        5.0,
        "GB of container logs the CloudWatch observability add-on ships per EKS node a month",
    ),
    "eks_auto_mode_nodes": (
        2.0,
        "nodes an EKS Auto Mode cluster runs on average (Auto Mode launches them as Pods need "
        "them; 2 matches the managed node groups' default minimum)",
    ),
    "traced_requests_million": (
        10.0,
        "requests per traced service (OpenTelemetry exporting to X-Ray), millions/month",
    ),
    "xray_sampling_rate": (
        None,
        "fraction of requests recorded in X-Ray (default: read from the Plan's "
        "OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG; the SDK default traces all)",
    ),
    "otel_custom_metrics_per_service": (
        20.0,
        "custom metrics an app's OpenTelemetry metrics become through the ECS collector "
        "sidecar's EMF exporter (request duration by route and status, runtime metrics)",
    ),
    "otel_emf_log_gb_per_task": (
        0.5,
        "GB of EMF log events the ECS collector sidecar ingests per task a month",
    ),
    "internet_egress_gb": (
        100.0,
        "GB sent to the internet per entry point not behind CloudFront (load balancer, "
        "Ingress ALB, EC2 host with a public address) per month",
    ),
    "cross_az_gb": (
        50.0,
        "GB crossing Availability Zones per multi-AZ workload (ECS service, node group, "
        "Auto Scaling group) per month, e.g. to a database or cache in another AZ",
    ),
    "backup_daily_change_percent": (
        2.0,
        "percent of a database's data that changes a day (automated backups beyond the free "
        "allowance keep these changes for the retention period)",
    ),
}
"""Usage key -> (default, meaning). Pass `usage={"nat_gateway_gb": 500}` to change one for
every resource, or `usage={"resources": {"prod-nat-0": {"nat_gateway_gb": 500}}}` for one
resource (by its Pulumi name)."""


FRACTION_KEYS = frozenset({"xray_sampling_rate", "aurora_serverless_active_share"})
"""Usage keys that are fractions (0 to 1), not amounts."""


def check_usage(
    usage: Mapping[str, Any] | None,
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """(usage for every resource, usage per resource name) from what a caller passed;
    ValueError on an unknown key or a value that is not a number >= 0."""
    if usage is None:
        return {}, {}
    if not isinstance(usage, Mapping):
        raise ValueError("usage must be a mapping of usage key -> number")
    flat: dict[str, float] = {}
    per: dict[str, dict[str, float]] = {}
    for key, value in usage.items():
        if key == "resources":
            if not isinstance(value, Mapping):
                raise ValueError("usage['resources'] must map resource name -> {usage key: number}")
            for name, overrides in value.items():
                if not isinstance(overrides, Mapping):
                    raise ValueError(f"usage['resources'][{name!r}] must be a mapping")
                per[str(name)] = {k: _usage_number(k, v) for k, v in overrides.items()}
            continue
        flat[key] = _usage_number(key, value)
    return flat, per


def _usage_number(key: Any, value: Any) -> float:
    if key not in USAGE_DEFAULTS:
        close = difflib.get_close_matches(str(key), list(USAGE_DEFAULTS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(
            f"usage key {key!r} is not known{hint}; allowed: {', '.join(sorted(USAGE_DEFAULTS))}"
        )
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
    ):
        raise ValueError(f"usage[{key!r}]={value!r} is not allowed; expected a number >= 0")
    if key in FRACTION_KEYS and value > 1:
        raise ValueError(
            f"usage[{key!r}]={value!r} is not allowed; expected a fraction from 0 to 1"
        )
    return float(value)
