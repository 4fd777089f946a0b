"""What the EKS observability stack expects from an app and which series it produces.

The SLIs read the app's own HTTP server metrics, pushed over OTLP to the OpenTelemetry
Collector and exposed by its Prometheus exporter (scraped through a ServiceMonitor).
The ALB that the AWS Load Balancer Controller creates exports nothing to Prometheus
(its metrics live in CloudWatch, where the CloudWatch SLO alarms read them), and a
service's NetworkPolicy admits only the load balancer, so Prometheus does not scrape
app pods: apps push.

What the app's metrics cannot show: a 502/503/504 the ALB answers itself (no healthy
pod, a pod that closed the connection or timed out) never reaches the app. Those are in
CloudWatch only (`HTTPCode_ELB_5XX_Count`, per load balancer), which is why the
CloudWatch burn-rate alarms stay on by default and page for availability SLOs;
ObservabilityStack warns when `cloudwatch_slo_alarms=False` leaves an availability SLO
to Prometheus alone.

The contract an app must honour (OpenTelemetry HTTP semantic conventions, stable):

- an OpenTelemetry SDK (or auto-instrumentation) with ``OTEL_SERVICE_NAME`` equal to the
  gridops service name and the OTLP exporter pointed at the collector: `otel_environment`
  gives every variable;
- the histogram ``http.server.request.duration`` (unit ``s``) with the attribute
  ``http.response.status_code``; through the collector it becomes
  ``http_server_request_duration_seconds_{bucket,count,sum}`` with the labels
  ``service_name`` and ``http_response_status_code`` (the collector's exporter converts
  resource attributes to labels);
- a bucket boundary at every latency SLO threshold (`bucket_boundaries_needed`): the
  SDKs' default boundaries (0.005 ... 0.25, 0.5 ... 10 s) have no 0.3, so a 300 ms SLO
  needs a View adding it.

Pure Python: nothing here imports Pulumi.
"""

from __future__ import annotations

from collections.abc import Iterable

from gridops_infra.observability.prometheus_rules import SliMetrics
from gridops_infra.observability.slo import Slo

MONITORING_NAMESPACE = "monitoring"
"""Prometheus, Alertmanager, Grafana, the collector and the dashboards live here."""
NODE_EXPORTER_NAMESPACE = "monitoring-node-exporter"
"""node-exporter needs host access (Pod Security "privileged"): its own namespace, so
the monitoring namespace can enforce "baseline"."""

COLLECTOR_NAME = "otel-collector"
"""The collector's Helm release, Deployment, Service and ServiceAccount name."""
OTLP_GRPC_PORT = 4317
OTLP_HTTP_PORT = 4318
COLLECTOR_TELEMETRY_PORT = 8888
"""The collector's own metrics (queue sizes, refused spans)."""
COLLECTOR_PROMETHEUS_PORT = 8889
"""The collector's Prometheus exporter: the apps' metrics."""
COLLECTOR_HOST = f"{COLLECTOR_NAME}.{MONITORING_NAMESPACE}.svc.cluster.local"
OTLP_ENDPOINT = f"http://{COLLECTOR_HOST}:{OTLP_GRPC_PORT}"
"""Where apps send OTLP (gRPC). Plain text inside the cluster: see the module docstring
of `eks_otel`."""

OTEL_SLI_METRICS = SliMetrics(
    requests_metric="http_server_request_duration_seconds_count",
    duration_metric="http_server_request_duration_seconds",
    service_label="service_name",
    code_label="http_response_status_code",
    error_code_regex="5..",
)
"""The series the SLO rules read on EKS (see the module docstring)."""

# Every series the dashboards may read besides the recording rules, with who produces it.
EXPORTER_SERIES: dict[str, str] = {
    "http_server_request_duration_seconds_bucket": "app (OTel SDK) via the collector",
    "http_server_request_duration_seconds_count": "app (OTel SDK) via the collector",
    "http_server_request_duration_seconds_sum": "app (OTel SDK) via the collector",
    "kube_deployment_status_replicas_available": "kube-state-metrics",
    "kube_deployment_spec_replicas": "kube-state-metrics",
    "kube_pod_container_status_restarts_total": "kube-state-metrics",
    "container_cpu_usage_seconds_total": "kubelet cAdvisor",
    "container_memory_working_set_bytes": "kubelet cAdvisor",
    "otelcol_exporter_send_failed_metric_points_total": "collector self-telemetry",
    "otelcol_exporter_send_failed_spans_total": "collector self-telemetry",
}


def otel_environment(
    service_name: str, environment: str, namespace: str | None = None, *, traces: bool = True
) -> dict[str, str]:
    """The variables an app on EKS sets so its SDK reports to the collector.

    ``service_name`` must be the gridops service name (the SLO rules select on it);
    ``environment`` is recorded as ``deployment.environment.name`` (e.g. the stage);
    ``namespace`` defaults to the service name (the EKS backend's namespace);
    ``traces=False`` (the collector was built with ``otel={"xray": False}``) turns the
    SDK's trace export off.
    """
    attributes = {
        "deployment.environment.name": environment,
        "k8s.namespace.name": namespace or service_name,
        "k8s.deployment.name": service_name,
    }
    return {
        "OTEL_SERVICE_NAME": service_name,
        "OTEL_RESOURCE_ATTRIBUTES": ",".join(f"{k}={v}" for k, v in attributes.items()),
        "OTEL_EXPORTER_OTLP_ENDPOINT": OTLP_ENDPOINT,
        "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
        "OTEL_TRACES_EXPORTER": "otlp" if traces else "none",
        "OTEL_METRICS_EXPORTER": "otlp",
        "OTEL_LOGS_EXPORTER": "none",
        # Four points per minute: the 5m SLI window sees ~20 samples per pod.
        "OTEL_METRIC_EXPORT_INTERVAL": "15000",
        # Older instrumentations emit the stable HTTP metric names only when asked.
        "OTEL_SEMCONV_STABILITY_OPT_IN": "http",
        "OTEL_PROPAGATORS": "tracecontext,baggage",
    }


def bucket_boundaries_needed(slos: Iterable[Slo]) -> list[float]:
    """Histogram boundaries (seconds) the app's ``http.server.request.duration`` must
    have: one per latency SLO threshold, sorted."""
    return sorted({slo.threshold_ms / 1000 for slo in slos if slo.threshold_ms is not None})


__all__ = [
    "COLLECTOR_HOST",
    "COLLECTOR_NAME",
    "EXPORTER_SERIES",
    "MONITORING_NAMESPACE",
    "NODE_EXPORTER_NAMESPACE",
    "OTEL_SLI_METRICS",
    "OTLP_ENDPOINT",
    "bucket_boundaries_needed",
    "otel_environment",
]
