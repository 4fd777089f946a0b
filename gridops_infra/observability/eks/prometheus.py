"""kube-prometheus-stack on EKS: the Prometheus Operator, Prometheus, Alertmanager,
kube-state-metrics, node-exporter and (see `eks_grafana`) Grafana, as one Helm release,
plus the manifests gridops adds: the namespaces, the gp3 StorageClass and the
PrometheusRule with the SLO rules.

EKS runs the control plane, so the scrape jobs and alerts for etcd, the scheduler, the
controller manager and kube-proxy (unreachable there) are off. Prometheus selects every
ServiceMonitor, PodMonitor and PrometheusRule in the cluster, not only the chart's own.

Storage: with the EBS CSI driver (the `aws-ebs-csi-driver` add-on) Prometheus keeps its
TSDB on an encrypted gp3 volume that survives pod moves and is retained when released.
Without it the TSDB lives in an emptyDir on the node: a rescheduled pod starts empty,
and the 1d/3d burn-rate windows see no history until they refill (`persistent=False`).

With `managed=True` Prometheus only scrapes and remote-writes (SigV4, Pod Identity) to
Amazon Managed Service for Prometheus, which evaluates the rules; Alertmanager, Grafana
and the chart's own rules are off (see `eks_managed`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi

from gridops_infra.observability.eks.args import EksObservabilitySettings
from gridops_infra.observability.eks.contract import (
    MONITORING_NAMESPACE,
    NODE_EXPORTER_NAMESPACE,
    OTEL_SLI_METRICS,
)
from gridops_infra.observability.prometheus_rules import rule_groups
from gridops_infra.observability.slo import Slo

RELEASE = "kube-prometheus-stack"
REPOSITORY = "https://prometheus-community.github.io/helm-charts"
FULLNAME = "kps"  # short object names: kps-prometheus, kps-alertmanager, kps-operator
PROMETHEUS_SERVICE_ACCOUNT = "prometheus"
ALERTMANAGER_SERVICE_ACCOUNT = "alertmanager"
STORAGE_CLASS = "gridops-monitoring-gp3"
MANAGED_BY = {"app.kubernetes.io/managed-by": "gridops"}
# The Prometheus TSDB may fill this share of its volume before the oldest blocks go.
RETENTION_SIZE_SHARE = 0.85
# Control-plane components EKS manages: neither scraped nor alerted on.
EKS_MANAGED_COMPONENTS = ("kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy")
EKS_MANAGED_RULES = (
    "etcd", "kubeControllerManager", "kubeSchedulerAlerting", "kubeSchedulerRecording", "kubeProxy",
)  # fmt: skip


def namespace_manifest(name: str, enforce: str) -> dict[str, Any]:
    """A namespace with Pod Security Admission at `enforce`, warning at "restricted"."""
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": name,
            "labels": {
                **MANAGED_BY,
                "pod-security.kubernetes.io/enforce": enforce,
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
            },
        },
    }


def namespace_manifests() -> list[dict[str, Any]]:
    """`monitoring` (baseline) and node-exporter's own namespace (privileged: it reads
    the host's /proc and /sys through hostPath and runs in the host network)."""
    return [
        namespace_manifest(MONITORING_NAMESPACE, "baseline"),
        namespace_manifest(NODE_EXPORTER_NAMESPACE, "privileged"),
    ]


def storage_class_manifest(provisioner: str = "ebs.csi.aws.com") -> dict[str, Any]:
    """Encrypted gp3 through the EBS CSI driver (`provisioner`: `ebs.csi.eks.amazonaws.com`
    on EKS Auto Mode); the volume is created in the zone the pod lands in and kept
    (Retain) when its claim goes, so metrics are never deleted by an uninstall."""
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": STORAGE_CLASS, "labels": dict(MANAGED_BY)},
        "provisioner": provisioner,
        "parameters": {"type": "gp3", "encrypted": "true", "fsType": "ext4"},
        "reclaimPolicy": "Retain",
        "volumeBindingMode": "WaitForFirstConsumer",
        "allowVolumeExpansion": True,
    }


def prometheus_rule_manifest(name: str, slos: Sequence[Slo]) -> dict[str, Any]:
    """The SLO recording and alerting rules as a PrometheusRule (the same groups
    `rule_groups` renders for promtool), reading the OTel HTTP metrics."""
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": name,
            "namespace": MONITORING_NAMESPACE,
            "labels": {**MANAGED_BY, "release": RELEASE},
        },
        "spec": rule_groups(slos, OTEL_SLI_METRICS),
    }


def _storage(s: EksObservabilitySettings) -> dict[str, Any]:
    size = f"{s.storage_gb}Gi"
    if s.persistent:
        return {
            "volumeClaimTemplate": {
                "spec": {
                    "storageClassName": STORAGE_CLASS,
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": size}},
                }
            }
        }
    return {"emptyDir": {"sizeLimit": size}}


def _resources(s: EksObservabilitySettings) -> dict[str, Any]:
    requests = {"cpu": "500m", "memory": "2Gi"}
    if not s.persistent:
        # The scheduler then places Prometheus on a node with room for its emptyDir.
        requests["ephemeral-storage"] = f"{s.storage_gb}Gi"
    return {"requests": requests, "limits": {"memory": "4Gi"}}


def prometheus_values(
    s: EksObservabilitySettings,
    *,
    cluster_name: pulumi.Input[str],
    service_account_annotations: dict[str, Any],
    remote_write_url: pulumi.Input[str] | None,
    region: str,
) -> dict[str, Any]:
    """The chart's `prometheus` values."""
    spec: dict[str, Any] = {
        "replicas": s.prometheus_replicas,
        # Managed: a one-day local buffer; AMP keeps `retention_days`.
        "retention": "1d" if s.managed else f"{s.retention_days}d",
        "retentionSize": f"{int(s.storage_gb * RETENTION_SIZE_SHARE)}GB",
        "storageSpec": _storage(s),
        "externalLabels": {"cluster": cluster_name},
        "ruleSelectorNilUsesHelmValues": False,
        "serviceMonitorSelectorNilUsesHelmValues": False,
        "podMonitorSelectorNilUsesHelmValues": False,
        "probeSelectorNilUsesHelmValues": False,
        "resources": _resources(s),
        "podAntiAffinity": "soft",
    }
    if remote_write_url is not None:
        spec["remoteWrite"] = [
            {
                "url": remote_write_url,
                "sigv4": {"region": region},
                "queueConfig": {"maxSamplesPerSend": 1000, "capacity": 2500, "maxShards": 200},
            }
        ]
    return {
        "serviceAccount": {
            "create": True,
            "name": PROMETHEUS_SERVICE_ACCOUNT,
            "annotations": service_account_annotations,
        },
        "prometheusSpec": spec,
    }


def alertmanager_values(
    s: EksObservabilitySettings,
    config: dict[str, Any] | None,
    service_account_annotations: dict[str, Any],
) -> dict[str, Any]:
    """The chart's `alertmanager` values: two gossiping replicas (silences and the
    notification log survive one pod restarting), the routing of `eks_alertmanager`."""
    if s.managed or config is None:
        return {"enabled": False}
    return {
        "enabled": True,
        "serviceAccount": {
            "create": True,
            "name": ALERTMANAGER_SERVICE_ACCOUNT,
            "annotations": service_account_annotations,
        },
        "config": config,
        "alertmanagerSpec": {
            "replicas": 2,
            "podAntiAffinity": "soft",
            "resources": {
                "requests": {"cpu": "50m", "memory": "128Mi"},
                "limits": {"memory": "256Mi"},
            },
        },
    }


def kube_prometheus_values(
    s: EksObservabilitySettings,
    *,
    prometheus: dict[str, Any],
    alertmanager: dict[str, Any],
    grafana: dict[str, Any],
) -> dict[str, Any]:
    """Every value the release sets."""
    values: dict[str, Any] = {
        "fullnameOverride": FULLNAME,
        "crds": {"enabled": True},
        "defaultRules": {
            # Without Alertmanager (managed) the chart's cluster alerts would reach no one.
            "create": not s.managed,
            "rules": {rule: False for rule in EKS_MANAGED_RULES},
        },
        "prometheus-node-exporter": {"namespaceOverride": NODE_EXPORTER_NAMESPACE},
        "prometheus": prometheus,
        "alertmanager": alertmanager,
        "grafana": grafana,
    }
    for component in EKS_MANAGED_COMPONENTS:
        values[component] = {"enabled": False}
    return values


__all__ = [
    "ALERTMANAGER_SERVICE_ACCOUNT",
    "PROMETHEUS_SERVICE_ACCOUNT",
    "RELEASE",
    "REPOSITORY",
    "alertmanager_values",
    "kube_prometheus_values",
    "namespace_manifests",
    "prometheus_rule_manifest",
    "prometheus_values",
    "storage_class_manifest",
]
