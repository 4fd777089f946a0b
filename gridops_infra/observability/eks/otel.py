"""The OpenTelemetry Collector on EKS: a gateway Deployment the apps push OTLP to.

- Metrics: the OTLP receiver -> the Prometheus exporter on :8889, scraped by Prometheus
  through the chart's ServiceMonitor. Resource attributes become labels, so the app's
  `service.name` is the `service_name` label the SLO rules select on.
- Traces: the OTLP receiver -> AWS X-Ray (the `awsxray` exporter, contrib image), signed
  with the collector's Pod Identity role (`xray:PutTraceSegments`,
  `xray:PutTelemetryRecords`; X-Ray has no resource-level permissions for them, so the
  statement's Resource is "*").
- Logs: not collected here; container stdout goes to CloudWatch through Container
  Insights' Fluent Bit.

Apps reach it at `eks_contract.OTLP_ENDPOINT`. OTLP inside the cluster is plain text
(no certificate authority is installed to issue the collector a certificate); a
NetworkPolicy admits only cluster pods on the OTLP ports and only Prometheus on the
metrics ports. An app that reconnects to the other replica leaves its old series on the
first replica until `metric_expiration`; `sum()` over `rate()` stays right because the
stale series stops increasing.
"""

from __future__ import annotations

from typing import Any

from gridops_infra.core import iam
from gridops_infra.observability.eks.args import EksObservabilitySettings
from gridops_infra.observability.eks.contract import (
    COLLECTOR_NAME,
    COLLECTOR_PROMETHEUS_PORT,
    COLLECTOR_TELEMETRY_PORT,
    MONITORING_NAMESPACE,
    OTLP_GRPC_PORT,
    OTLP_HTTP_PORT,
)

REPOSITORY = "https://open-telemetry.github.io/opentelemetry-helm-charts"
CHART = "opentelemetry-collector"
IMAGE = "otel/opentelemetry-collector-contrib"  # awsxray lives in contrib
POD_LABELS = {"app.kubernetes.io/name": CHART, "app.kubernetes.io/instance": COLLECTOR_NAME}
HEALTH_PORT = 13133
UNUSED_PORTS = ("jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin")


def collector_config(region: str, xray: bool) -> dict[str, Any]:
    """The whole collector configuration. It goes into the chart's `alternateConfig`,
    which replaces the chart's default `config` instead of merging with it: Pulumi drops
    None from Helm values, so defaults (jaeger, zipkin, the debug exporter, the logs
    pipeline) could not be deleted from a merge."""
    pod_ip = "${env:MY_POD_IP}"
    exporters: dict[str, Any] = {
        "prometheus": {
            "endpoint": f"{pod_ip}:{COLLECTOR_PROMETHEUS_PORT}",
            "resource_to_telemetry_conversion": {"enabled": True},
            "metric_expiration": "10m",
        },
    }
    processors = ["memory_limiter", "batch"]
    pipelines: dict[str, Any] = {
        "metrics": {"receivers": ["otlp"], "processors": processors, "exporters": ["prometheus"]},
    }
    if xray:
        exporters["awsxray"] = {"region": region}
        pipelines["traces"] = {
            "receivers": ["otlp"],
            "processors": processors,
            "exporters": ["awsxray"],
        }
    return {
        "receivers": {
            "otlp": {
                "protocols": {
                    "grpc": {"endpoint": f"{pod_ip}:{OTLP_GRPC_PORT}"},
                    "http": {"endpoint": f"{pod_ip}:{OTLP_HTTP_PORT}"},
                }
            },
        },
        "processors": {
            "memory_limiter": {
                "check_interval": "5s",
                "limit_percentage": 80,
                "spike_limit_percentage": 25,
            },
            "batch": {},
        },
        "exporters": exporters,
        "extensions": {"health_check": {"endpoint": f"{pod_ip}:{HEALTH_PORT}"}},
        "service": {
            "extensions": ["health_check"],
            "pipelines": pipelines,
            "telemetry": {
                "metrics": {
                    "readers": [
                        {
                            "pull": {
                                "exporter": {
                                    "prometheus": {"host": pod_ip, "port": COLLECTOR_TELEMETRY_PORT}
                                }
                            }
                        }
                    ]
                }
            },
        },
    }


def collector_values(
    s: EksObservabilitySettings, region: str, service_account_annotations: dict[str, Any]
) -> dict[str, Any]:
    """The chart's values: a gateway Deployment spread over zones, non-root, read-only."""
    ports: dict[str, Any] = {name: {"enabled": False} for name in UNUSED_PORTS}
    ports.update(
        {
            "otlp": {"enabled": True},
            "otlp-http": {"enabled": True},
            "metrics": {"enabled": True},
            "prom-exporter": {
                "enabled": True,
                "containerPort": COLLECTOR_PROMETHEUS_PORT,
                "servicePort": COLLECTOR_PROMETHEUS_PORT,
                "protocol": "TCP",
            },
        }
    )
    return {
        "mode": "deployment",
        "fullnameOverride": COLLECTOR_NAME,
        "replicaCount": s.otel_replicas,
        "image": {"repository": IMAGE},
        "command": {"name": "otelcol-contrib"},
        "serviceAccount": {
            "create": True,
            "name": COLLECTOR_NAME,
            "annotations": service_account_annotations,
        },
        # Pods cannot reach the instance metadata service (hop limit 1).
        "extraEnvs": [{"name": "AWS_REGION", "value": region}],
        "alternateConfig": collector_config(region, s.xray),
        "ports": ports,
        "serviceMonitor": {
            "enabled": True,
            "metricsEndpoints": [{"port": "metrics"}, {"port": "prom-exporter"}],
        },
        "podDisruptionBudget": {"enabled": s.otel_replicas > 1, "minAvailable": 1},
        # memory_limiter's percentages are of this limit.
        "resources": {
            "requests": {"cpu": "200m", "memory": "512Mi"},
            "limits": {"memory": "512Mi"},
        },
        "podSecurityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        },
        "topologySpreadConstraints": [
            {
                "maxSkew": 1,
                "topologyKey": "topology.kubernetes.io/zone",
                "whenUnsatisfiable": "ScheduleAnyway",
                "labelSelector": {"matchLabels": dict(POD_LABELS)},
            }
        ],
    }


def network_policy_manifest() -> dict[str, Any]:
    """OTLP from any pod in the cluster; the metrics ports from Prometheus only."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {
            "name": COLLECTOR_NAME,
            "namespace": MONITORING_NAMESPACE,
            "labels": {"app.kubernetes.io/managed-by": "gridops"},
        },
        "spec": {
            "podSelector": {"matchLabels": dict(POD_LABELS)},
            "policyTypes": ["Ingress"],
            "ingress": [
                {
                    "from": [{"namespaceSelector": {}}],
                    "ports": [
                        {"protocol": "TCP", "port": OTLP_GRPC_PORT},
                        {"protocol": "TCP", "port": OTLP_HTTP_PORT},
                    ],
                },
                {
                    "from": [
                        {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}}}
                    ],
                    "ports": [
                        {"protocol": "TCP", "port": COLLECTOR_TELEMETRY_PORT},
                        {"protocol": "TCP", "port": COLLECTOR_PROMETHEUS_PORT},
                    ],
                },
            ],
        },
    }


def backends_network_policy_manifest() -> dict[str, Any]:
    """Prometheus, Alertmanager and Grafana take connections only from pods of the
    monitoring namespace (Grafana -> Prometheus, Prometheus -> Alertmanager, gossip);
    people reach them through `kubectl port-forward`, which NetworkPolicy does not see."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {
            "name": "monitoring-backends",
            "namespace": MONITORING_NAMESPACE,
            "labels": {"app.kubernetes.io/managed-by": "gridops"},
        },
        "spec": {
            "podSelector": {
                "matchExpressions": [
                    {
                        "key": "app.kubernetes.io/name",
                        "operator": "In",
                        "values": ["prometheus", "alertmanager", "grafana"],
                    }
                ]
            },
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"podSelector": {}}]}],
        },
    }


def xray_statements() -> list[dict[str, Any]]:
    # X-Ray's PutTraceSegments/PutTelemetryRecords support no resource-level scoping.
    return [
        iam.statement(["xray:PutTelemetryRecords", "xray:PutTraceSegments"], "*", sid="SendTraces")
    ]


__all__ = [
    "CHART",
    "REPOSITORY",
    "backends_network_policy_manifest",
    "collector_config",
    "collector_values",
    "network_policy_manifest",
    "xray_statements",
]
