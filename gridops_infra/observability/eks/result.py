"""What the EKS part of an ObservabilityStack created: its own module, so the stack can
declare the attribute without loading pulumi_kubernetes (the builder, eks_stack, does)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pulumi

from gridops_infra.observability.eks.args import EksObservabilitySettings

if TYPE_CHECKING:
    import pulumi_kubernetes as k8s

    from gridops_infra.observability.eks.managed import ManagedPrometheus
    from gridops_infra.platforms.eks.identity import PodIdentityRole


@dataclass
class EksObservability:
    """What the EKS part created."""

    settings: EksObservabilitySettings
    releases: dict[str, k8s.helm.v3.Release] = field(default_factory=dict)
    """Helm releases by chart."""
    prometheus_rule: k8s.apiextensions.CustomResource | None = None
    """The PrometheusRule (in-cluster mode)."""
    rule_groups: dict[str, Any] = field(default_factory=dict)
    """The rule file the PrometheusRule / AMP rule namespace holds (`{"groups": [...]}`)."""
    dashboards: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Dashboard JSON by ConfigMap name."""
    dashboards_json: dict[str, str] = field(default_factory=dict)
    """The same dashboards as JSON text (what to import into Managed Grafana)."""
    roles: dict[str, PodIdentityRole] = field(default_factory=dict)
    """Pod Identity roles by component (alertmanager, otel-collector, prometheus)."""
    policy_documents: dict[str, pulumi.Output[str]] = field(default_factory=dict)
    trust_policies: dict[str, pulumi.Output[str]] = field(default_factory=dict)
    managed: ManagedPrometheus | None = None
    otlp_endpoint: str | None = None
    """Where apps send OTLP (None without the collector)."""
    persistent_storage: bool = False
    """False: Prometheus keeps its TSDB in an emptyDir (lost when the pod moves)."""


__all__ = ["EksObservability"]
