"""The EKS part of ObservabilityStack's arguments: `prometheus`, `grafana`, `otel`.

Read and validated before the stack registers anything. The EKS part runs when a
watched resource or an SLO target is a service on an EksCluster (``platform.kind ==
"eks"``); these three arguments are refused otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gridops_infra.core.validation import ArgReader
from gridops_infra.observability.eks.contract import MONITORING_NAMESPACE
from gridops_infra.observability.slo import Slo, service_name_of

CHART_VERSIONS: dict[str, str] = {
    "kube-prometheus-stack": "79.7.1",
    "opentelemetry-collector": "0.140.0",
}
"""Pinned Helm charts (checked 2025-11); override with `prometheus.chart_version` /
`otel.chart_version`."""
CHART_VERSION = r"\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?"
EBS_CSI_ADDON = "aws-ebs-csi-driver"
MIN_RETENTION_DAYS = 3  # the longest burn-rate window (ticket 3d) must fit
DEFAULT_STORAGE_GB = 50
MIN_STORAGE_GB = 10
MAX_STORAGE_GB = 16384

PROMETHEUS_KEYS = (
    "managed", "retention_days", "storage_gb", "persistent", "replicas", "chart_version",
)  # fmt: skip
GRAFANA_KEYS = ("enabled",)
OTEL_KEYS = ("enabled", "xray", "replicas", "chart_version")


@dataclass(frozen=True)
class EksObservabilitySettings:
    """The validated EKS part of an ObservabilityStack."""

    cluster: Any
    """The EksCluster the watched services run on."""
    services: tuple[Any, ...]
    """Watched StatelessServices on that cluster (one dashboard row each)."""
    slos: tuple[Slo, ...]
    """SLOs the Prometheus rules evaluate: targets on the cluster, and custom SLOs."""
    managed: bool
    retention_days: int
    storage_gb: int
    persistent: bool
    prometheus_replicas: int
    prometheus_chart_version: str
    grafana: bool
    otel: bool
    xray: bool
    otel_replicas: int
    otel_chart_version: str
    paged_by_cloudwatch: tuple[str, ...] = ()
    """SLOs whose fast burn CloudWatch already pages for: Alertmanager sends Prometheus's
    page alerts for them to the ticket topic (one page per incident)."""

    @property
    def service_names(self) -> list[str]:
        return [_name(s) for s in self.services]


def _name(component: Any) -> str:
    return service_name_of(component)


def _eks_platform(component: Any) -> Any:
    platform = getattr(component, "platform", None)
    return platform if getattr(platform, "kind", None) == "eks" else None


def _is_service(component: Any) -> bool:
    return any(cls.__name__ == "StatelessService" for cls in type(component).__mro__)


def _sub_reader(a: ArgReader, field: str, keys: Sequence[str]) -> ArgReader:
    """A reader for one nested dict whose errors name `field.key`."""
    raw = a.raw(field, {})
    if not isinstance(raw, Mapping):
        raise a.fail(field, raw, "expected a mapping of " + ", ".join(keys))
    return ArgReader(
        a.component,
        a.name,
        {f"{field}.{k}": v for k, v in raw.items()},
        [f"{field}.{k}" for k in keys],
    )


def _storage_gb(p: ArgReader, cluster: Any, persistent: bool) -> int:
    """The TSDB size. On the node's own disk (no EBS) it may take at most half of it, so
    Prometheus cannot push the node into disk pressure; the default is a fifth."""
    field = "prometheus.storage_gb"
    if persistent:
        return p.integer(field, DEFAULT_STORAGE_GB, MIN_STORAGE_GB, MAX_STORAGE_GB)
    disk = getattr(getattr(cluster, "settings", None), "disk_size_gib", None) or 50
    cap = max(disk // 2, MIN_STORAGE_GB)
    size = p.integer(field, max(disk // 5, MIN_STORAGE_GB), MIN_STORAGE_GB, MAX_STORAGE_GB)
    if size > cap:
        raise p.fail(
            field,
            size,
            f"without the {EBS_CSI_ADDON} add-on the TSDB lives on a node's {disk} GiB disk; "
            f"use at most {cap} (half of it) or give the cluster EBS volumes",
        )
    return size


def read_eks_observability(
    a: ArgReader, resources: Sequence[Any], slos: Sequence[Slo]
) -> EksObservabilitySettings | None:
    """The EKS settings, or None when nothing watched runs on EKS (then `prometheus`,
    `grafana` and `otel` must be absent)."""
    watched = [*resources, *(slo.target for slo in slos if slo.target is not None)]
    clusters: dict[int, Any] = {}
    for component in watched:
        platform = _eks_platform(component)
        if platform is not None:
            clusters.setdefault(id(platform), platform)
    if not clusters:
        for field in ("prometheus", "grafana", "otel"):
            if a.has(field):
                raise a.fail(
                    field,
                    a.raw(field),
                    "it applies when watched services or SLO targets run on an EksCluster",
                )
        return None
    if len(clusters) > 1:
        names = sorted(_name(c) for c in clusters.values())
        raise a.fail(
            "resources",
            names,
            "watched services run on several EksClusters; use one ObservabilityStack per cluster",
        )
    (cluster,) = clusters.values()
    if MONITORING_NAMESPACE in getattr(cluster, "fargate_namespaces", ()):
        raise a.fail(
            "resources",
            f"services on EksCluster '{_name(cluster)}'",
            f"the cluster runs namespace '{MONITORING_NAMESPACE}' on Fargate, which cannot "
            "mount the Prometheus volume or run node-exporter; remove it from fargate_profiles",
        )
    services: list[Any] = []
    for component in watched:
        if (
            _eks_platform(component) is cluster
            and _is_service(component)
            and all(component is not s for s in services)
        ):
            services.append(component)
    on_cluster = tuple(
        slo for slo in slos if slo.kind == "custom" or _eks_platform(slo.target) is cluster
    )

    p = _sub_reader(a, "prometheus", PROMETHEUS_KEYS)
    managed = p.boolean("prometheus.managed", False)
    retention_days = p.integer(
        "prometheus.retention_days", 15, MIN_RETENTION_DAYS, 1095 if managed else 365
    )
    has_ebs = getattr(cluster, "block_storage_provisioner", None) is not None or (
        EBS_CSI_ADDON in (getattr(cluster, "addons", None) or {})
    )
    persistent = p.boolean("prometheus.persistent", has_ebs)
    if persistent and not has_ebs:
        raise p.fail(
            "prometheus.persistent",
            True,
            f"EksCluster '{_name(cluster)}' has no {EBS_CSI_ADDON} add-on (nor Auto Mode's "
            "block storage) to provision EBS volumes; leave it unset (metrics on the node's disk, lost when the pod moves)",
        )
    storage_gb = _storage_gb(p, cluster, persistent)
    replicas = p.integer("prometheus.replicas", 1, 1, 3)
    prom_chart = p.string(
        "prometheus.chart_version",
        CHART_VERSIONS["kube-prometheus-stack"],
        CHART_VERSION,
        "expected a chart version such as '79.7.1'",
    )

    g = _sub_reader(a, "grafana", GRAFANA_KEYS)
    grafana = g.boolean("grafana.enabled", True)

    o = _sub_reader(a, "otel", OTEL_KEYS)
    otel = o.boolean("otel.enabled", True)
    xray = o.boolean("otel.xray", otel)
    if xray and not otel:
        raise o.fail("otel.xray", True, "traces reach X-Ray through the collector (otel.enabled)")
    otel_replicas = o.integer("otel.replicas", 2, 1, 10)
    otel_chart = o.string(
        "otel.chart_version",
        CHART_VERSIONS["opentelemetry-collector"],
        CHART_VERSION,
        "expected a chart version such as '0.140.0'",
    )
    needs_app_metrics = [s.name for s in on_cluster if s.kind != "custom"]
    if needs_app_metrics and not otel:
        raise o.fail(
            "otel.enabled",
            False,
            "the SLOs " + ", ".join(needs_app_metrics) + " read the apps' HTTP metrics, which "
            "reach Prometheus through the collector; keep it enabled or use Slo.custom",
        )
    return EksObservabilitySettings(
        cluster=cluster,
        services=tuple(services),
        slos=on_cluster,
        managed=managed,
        retention_days=retention_days,
        storage_gb=storage_gb,
        persistent=persistent,
        prometheus_replicas=replicas,
        prometheus_chart_version=prom_chart,
        grafana=grafana,
        otel=otel,
        xray=xray,
        otel_replicas=otel_replicas,
        otel_chart_version=otel_chart,
    )


__all__ = ["CHART_VERSIONS", "EksObservabilitySettings", "read_eks_observability"]
