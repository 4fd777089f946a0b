"""The EKS part's child roles, apart from its builder so that ObservabilityStack can
list them without loading pulumi_kubernetes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gridops_infra.observability.eks.args import EksObservabilitySettings

EKS_CHILD_ROLES = (
    "k8s_namespace", "storage_class", "network_policy", "grafana_admin_password",
    "grafana_admin_secret", "helm_release", "prometheus_rule", "dashboard_config_map",
    "workload_role", "workload_role_policy", "pod_identity", "amp_log_group", "amp_workspace",
    "amp_workspace_configuration", "amp_rule_group_namespace", "amp_alert_manager_definition",
    "topic_policy", "grafana_role", "grafana_role_policy", "grafana_workspace",
)  # fmt: skip
"""Child roles of the EKS part (keys `transforms` accepts on ObservabilityStack)."""


def iam_role_logical_names(name: str, s: EksObservabilitySettings) -> list[str]:
    """The logical names of the IAM roles `build_eks_observability` creates for the
    ObservabilityStack `name` (checked against IAM's name length before anything exists)."""
    components = ["prometheus"] if s.managed else ["alertmanager"]
    if s.xray:
        components.append("otel-collector")
    names = [f"{name}-{component}-role" for component in components]
    if s.managed and s.grafana:
        names.append(f"{name}-grafana-role")
    return names


__all__ = ["EKS_CHILD_ROLES", "iam_role_logical_names"]
