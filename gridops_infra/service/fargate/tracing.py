"""Tracing on Fargate: an AWS Distro for OpenTelemetry collector sidecar in the task,
the app's OTEL_* environment pointing at it, and the task-role grants X-Ray needs."""

from __future__ import annotations

import dataclasses
from typing import Any

from gridops_infra.core import iam
from gridops_infra.service.spec.parts import Sidecar
from gridops_infra.service.spec.settings import ServiceSpec

ADOT_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3"
ADOT_CONTAINER = "aws-otel-collector"
# The collector's ECS configuration: OTLP in, X-Ray traces and EMF metrics out.
ADOT_CONFIG = "--config=/etc/ecs/ecs-default-config.yaml"
ADOT_CPU_UNITS = 64
EMF_LOG_GROUP = "/aws/ecs/application/metrics"


def with_tracing(spec: ServiceSpec) -> ServiceSpec:
    """`spec` plus the collector sidecar (started before the app) and the app's OTEL_*
    environment; the spec itself is unchanged when tracing is off."""
    if not spec.tracing:
        return spec
    collector = Sidecar(
        name=ADOT_CONTAINER,
        image=ADOT_IMAGE,
        cpu=ADOT_CPU_UNITS,
        memory=None,
        essential=False,  # losing traces must not take the service down
        port=None,
        environment={},
        secrets={},
        command=(ADOT_CONFIG,),
        health_check_command=(),
        app_waits_for="start",
        read_only_root_filesystem=True,
        writable_paths=(),
        user=None,
    )
    environment = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4317",
        "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_SERVICE_NAME": spec.name,
        "OTEL_RESOURCE_ATTRIBUTES": f"service.name={spec.name}",
        "OTEL_PROPAGATORS": "tracecontext,baggage,xray",
        **spec.environment,  # the user's own values win
    }
    return dataclasses.replace(
        spec, containers=(*spec.containers, collector), environment=environment
    )


def tracing_statements(spec: ServiceSpec, account: str, region: str) -> list[dict[str, Any]]:
    """What the collector does with the task role: X-Ray (whose write and sampling
    actions have no resource-level permissions, hence `*`) and its EMF metrics log group."""
    if not spec.tracing:
        return []
    log_group = f"arn:aws:logs:{region}:{account}:log-group:{EMF_LOG_GROUP}"
    return [
        iam.statement(
            [
                "xray:PutTraceSegments",
                "xray:PutTelemetryRecords",
                "xray:GetSamplingRules",
                "xray:GetSamplingTargets",
                "xray:GetSamplingStatisticSummaries",
            ],
            "*",
            sid="AdotTracesToXRay",
        ),
        iam.statement(
            [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogStreams",
            ],
            [log_group, f"{log_group}:*"],
            sid="AdotEmfMetrics",
        ),
    ]
