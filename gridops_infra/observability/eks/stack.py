"""The EKS part of ObservabilityStack: what it creates on the cluster the watched
services run on.

In namespace `monitoring`, on the cluster's Kubernetes provider:
- kube-prometheus-stack (`eks_prometheus`) with Alertmanager routing to the stack's SNS
  topics (`eks_alertmanager`) and Grafana (`eks_grafana`);
- the PrometheusRule with the SLO rules, the dashboards ConfigMap, NetworkPolicies;
- the OpenTelemetry Collector (`eks_otel`);
- one Pod Identity role per component that calls AWS: Alertmanager (publish to the two
  topics), the collector (X-Ray), Prometheus (remote write, managed mode only).
With `managed=True`, AMP and Managed Grafana too (`eks_managed`).
"""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.physical_names import KUBERNETES_NAME, physical_name
from gridops_infra.core.random_secrets import random_password
from gridops_infra.observability.eks.alertmanager import alertmanager_config, publish_statements
from gridops_infra.observability.eks.args import EksObservabilitySettings
from gridops_infra.observability.eks.contract import (
    COLLECTOR_NAME,
    MONITORING_NAMESPACE,
    OTEL_SLI_METRICS,
    OTLP_ENDPOINT,
)
from gridops_infra.observability.eks.grafana import (
    admin_secret_manifest,
    dashboard_config_map,
    grafana_values,
)
from gridops_infra.observability.eks.managed import (
    ManagedPrometheus,
    build_managed,
    remote_write_statements,
)
from gridops_infra.observability.eks.otel import CHART as OTEL_CHART
from gridops_infra.observability.eks.otel import REPOSITORY as OTEL_REPOSITORY
from gridops_infra.observability.eks.otel import (
    backends_network_policy_manifest,
    collector_values,
    network_policy_manifest,
    xray_statements,
)
from gridops_infra.observability.eks.prometheus import (
    ALERTMANAGER_SERVICE_ACCOUNT,
    PROMETHEUS_SERVICE_ACCOUNT,
    RELEASE,
    REPOSITORY,
    alertmanager_values,
    kube_prometheus_values,
    namespace_manifests,
    prometheus_rule_manifest,
    prometheus_values,
    storage_class_manifest,
)
from gridops_infra.observability.eks.result import EksObservability
from gridops_infra.observability.eks.roles import EKS_CHILD_ROLES, iam_role_logical_names
from gridops_infra.observability.grafana_dashboards import services_dashboard
from gridops_infra.observability.prometheus_rules import rule_groups
from gridops_infra.platforms.eks.identity import PodIdentityRole, prefixed_maker, workload_role

HELM_TIMEOUT_SECONDS = 900
# Top-level manifest keys that are not constructor arguments of the typed classes.
_ENVELOPE = ("apiVersion", "kind")


def _snake(key: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()


class _Builder:
    def __init__(
        self,
        stack: GridopsComponent,
        s: EksObservabilitySettings,
        region: str,
        account: str,
    ) -> None:
        self.stack = stack
        self.s = s
        self.cluster = s.cluster
        self.region = region
        self.account = account
        self.k8s_opts = pulumi.ResourceOptions(provider=self.cluster.provider)
        self.out = EksObservability(settings=s, persistent_storage=s.persistent)

    def manifest(
        self,
        role: str,
        cls: type,
        manifest: dict[str, Any],
        suffix: str,
        after: list[pulumi.Resource] | None = None,
    ) -> Any:
        """A Kubernetes object from a manifest dict, on the cluster's provider."""
        if cls is k8s.apiextensions.CustomResource:
            args = {_snake(k): v for k, v in manifest.items()}
        else:
            args = {_snake(k): v for k, v in manifest.items() if k not in _ENVELOPE}
        opts = pulumi.ResourceOptions.merge(
            self.k8s_opts, pulumi.ResourceOptions(depends_on=after or [])
        )
        return self.stack.child(role, cls, args, suffix=suffix, opts=opts, tag=False)

    def role(self, component: str, statements: list[dict[str, Any]], sa: str) -> PodIdentityRole:
        role = workload_role(
            prefixed_maker(self.stack, component),
            self.cluster.identity,
            MONITORING_NAMESPACE,
            sa,
            statements,
            roles=("workload_role", "workload_role_policy", "pod_identity"),
            description=f"{MONITORING_NAMESPACE}/{sa} of {self.stack.name} on EKS cluster "
            f"{self.cluster.name}",
        )
        self.out.roles[component] = role
        self.out.trust_policies[component] = role.trust_policy
        if role.policy_document is not None:
            self.out.policy_documents[component] = role.policy_document
        return role

    def release(
        self,
        chart: str,
        name: str,
        repository: str,
        version: str,
        values: dict[str, Any],
        after: list[pulumi.Resource],
    ) -> k8s.helm.v3.Release:
        """One pinned chart, installed atomically (a failed install or upgrade rolls back)."""
        release = self.stack.child(
            "helm_release",
            k8s.helm.v3.Release,
            {
                "name": name,
                "chart": chart,
                "version": version,
                "repository_opts": {"repo": repository},
                "namespace": MONITORING_NAMESPACE,
                "create_namespace": False,
                "values": values,
                "atomic": True,
                "cleanup_on_fail": True,
                "timeout": HELM_TIMEOUT_SECONDS,
            },
            suffix=chart,
            opts=pulumi.ResourceOptions.merge(
                self.k8s_opts, pulumi.ResourceOptions(depends_on=after)
            ),
            tag=False,
        )
        self.out.releases[chart] = release
        return release

    def cluster_ready(self) -> list[pulumi.Resource]:
        """What workloads wait for: nodes to run on and cluster DNS."""
        ready: list[pulumi.Resource] = []
        compute = getattr(self.cluster, "compute", None)
        ready += list(getattr(compute, "node_groups", []) or [])
        addons = getattr(self.cluster, "addons", None) or {}
        ready += [addons[n] for n in ("coredns", "aws-ebs-csi-driver") if n in addons]
        return ready

    @staticmethod
    def association(role: PodIdentityRole | None) -> list[pulumi.Resource]:
        return [role.association] if role is not None and role.association is not None else []

    @staticmethod
    def annotations(role: PodIdentityRole | None) -> dict[str, Any]:
        return dict(role.service_account_annotations) if role is not None else {}


def build_eks_observability(
    stack: GridopsComponent,
    s: EksObservabilitySettings,
    *,
    topic_arns: dict[str, pulumi.Output[str]],
    topic_key_arn: pulumi.Output[str],
    region: str,
    account: str,
) -> EksObservability:
    """Create the EKS part as children of `stack` (an ObservabilityStack)."""
    b = _Builder(stack, s, region, account)
    out = b.out
    namespaces = [
        b.manifest("k8s_namespace", k8s.core.v1.Namespace, m, f"ns-{m['metadata']['name']}")
        for m in namespace_manifests()
    ]
    monitoring = namespaces[0]
    b.manifest(
        "network_policy",
        k8s.networking.v1.NetworkPolicy,
        backends_network_policy_manifest(),
        "backends-netpol",
        [monitoring],
    )
    before_release: list[pulumi.Resource] = [*namespaces, *b.cluster_ready()]
    if s.persistent:
        before_release.append(
            b.manifest(
                "storage_class",
                k8s.storage.v1.StorageClass,
                storage_class_manifest(
                    getattr(b.cluster, "block_storage_provisioner", None) or "ebs.csi.aws.com"
                ),
                "gp3",
            )
        )

    groups = rule_groups(s.slos, OTEL_SLI_METRICS)
    out.rule_groups = groups
    managed: ManagedPrometheus | None = None
    prometheus_role: PodIdentityRole | None = None
    alertmanager_role: PodIdentityRole | None = None
    config: dict[str, Any] | None = None
    if s.managed:
        managed = build_managed(stack, s, topic_arns=topic_arns, region=region, account=account)
        out.managed = managed
        out.policy_documents.update(managed.policy_documents)
        out.trust_policies.update(managed.trust_policies)
        prometheus_role = b.role(
            "prometheus",
            remote_write_statements(managed.workspace_arn),
            PROMETHEUS_SERVICE_ACCOUNT,
        )
    else:
        alertmanager_role = b.role(
            "alertmanager",
            publish_statements(list(topic_arns.values()), topic_key_arn, region),
            ALERTMANAGER_SERVICE_ACCOUNT,
        )
        config = alertmanager_config(
            region, topic_arns["page"], topic_arns["ticket"], s.paged_by_cloudwatch
        )
    in_cluster_grafana = s.grafana and not s.managed
    if in_cluster_grafana:
        before_release.append(_grafana_admin_secret(b, monitoring))
    values = kube_prometheus_values(
        s,
        prometheus=prometheus_values(
            s,
            cluster_name=b.cluster.cluster_name,
            service_account_annotations=b.annotations(prometheus_role),
            remote_write_url=managed.remote_write_url if managed is not None else None,
            region=region,
        ),
        alertmanager=alertmanager_values(s, config, b.annotations(alertmanager_role)),
        grafana=grafana_values(in_cluster_grafana),
    )
    kps = b.release(
        RELEASE,
        RELEASE,
        REPOSITORY,
        s.prometheus_chart_version,
        values,
        [*before_release, *b.association(alertmanager_role), *b.association(prometheus_role)],
    )
    if not s.managed and groups["groups"]:
        out.prometheus_rule = b.manifest(
            "prometheus_rule",
            k8s.apiextensions.CustomResource,
            prometheus_rule_manifest(
                physical_name(f"gridops-{stack.name}-slo", KUBERNETES_NAME), s.slos
            ),
            "slo-rules",
            [kps],  # the release installs the PrometheusRule CRD
        )

    if s.otel:
        _collector(b, monitoring, [*before_release, kps])
    if s.grafana:
        _dashboards(b, monitoring, provision=in_cluster_grafana)
    return out


def _grafana_admin_secret(b: _Builder, monitoring: pulumi.Resource) -> pulumi.Resource:
    password = random_password(
        b.stack, "grafana_admin_password", 32, suffix="grafana-admin-password", mixed=False
    )
    return b.manifest(
        "grafana_admin_secret",
        k8s.core.v1.Secret,
        admin_secret_manifest(pulumi.Output.secret(password.result)),
        "grafana-admin",
        [monitoring],
    )


def _collector(b: _Builder, monitoring: pulumi.Resource, after: list[pulumi.Resource]) -> None:
    """The collector after kube-prometheus-stack (its ServiceMonitor needs the CRD)."""
    s = b.s
    role = b.role("otel-collector", xray_statements(), COLLECTOR_NAME) if s.xray else None
    b.manifest(
        "network_policy",
        k8s.networking.v1.NetworkPolicy,
        network_policy_manifest(),
        "otel-netpol",
        [monitoring],
    )
    b.release(
        OTEL_CHART,
        COLLECTOR_NAME,
        OTEL_REPOSITORY,
        s.otel_chart_version,
        collector_values(s, b.region, b.annotations(role)),
        [*after, *b.association(role)],
    )
    b.out.otlp_endpoint = OTLP_ENDPOINT


def _dashboards(b: _Builder, monitoring: pulumi.Resource, *, provision: bool) -> None:
    """The services dashboard; a ConfigMap for the in-cluster Grafana's sidecar."""
    name = physical_name(f"gridops-{b.stack.name}-services", KUBERNETES_NAME)
    dashboard = services_dashboard(
        f"gridops-{b.stack.name}"[:40],
        f"{pulumi.get_stack()} / {b.stack.name}: services",
        [(svc, svc) for svc in b.s.service_names],  # the EKS backend's namespace is the name
        b.s.slos,
        collector=b.s.otel,
    )
    b.out.dashboards[name] = dashboard
    config_map = dashboard_config_map(name, dashboard)
    b.out.dashboards_json[name] = config_map["data"][f"{name}.json"]
    if provision:
        b.manifest(
            "dashboard_config_map", k8s.core.v1.ConfigMap, config_map, "dashboards", [monitoring]
        )


__all__ = [
    "EKS_CHILD_ROLES",
    "EksObservability",
    "build_eks_observability",
    "iam_role_logical_names",
]
