"""ObservabilityStackArgs: the arguments users write, with each field's default and an example."""

from __future__ import annotations

from typing import Any, TypedDict

from gridops_infra.core.component import Transform
from gridops_infra.observability.slo import Slo


class ObservabilityStackArgs(TypedDict, total=False):
    resources: list[Any]
    """Components to watch (StatelessService, ManagedPostgresWithReplicas, RedisCache,
    SqsWorkerQueue, CdnFrontend, Network for its NAT gateways, EksCluster for its nodes).
    Each gets its golden-signal alarms (a service also the replica lag of the databases it
    links, a queue its workers' CPU and memory).

    Default: none.
    Example: ``[api, db, cache, jobs, cdn, network]``"""
    slos: list[Slo]
    """Service level objectives; each gets multiwindow burn-rate alarms (page and ticket
    tiers). Names must be unique, also once dots read as dashes (alarm names replace them):
    two `Slo.availability(api)` are refused; give the second `name=...`.

    Default: none.
    Example: ``[Slo.availability(api, objective=0.999)]``"""
    alert_emails: list[str]
    """Addresses subscribed to both the page and the ticket topic, and to the alarm topic of
    each watched component's platform (each must confirm the subscription by email).

    Default: none; with neither these nor `webhooks` the stack warns that no one hears its
    alarms (the topics can still be subscribed to later: `page_topic_arn`,
    `ticket_topic_arn`).
    Example: ``["oncall@acme.io"]``"""
    webhooks: list[dict[str, str]]
    """HTTPS endpoints (chat, paging services): `{"url": "https://...", "severity": "page" |
    "ticket"}`.

    Default: none.
    Example: ``[{"url": "https://hooks.slack.com/services/T000/B000/XXXX", "severity": "ticket"}]``"""
    thresholds: dict[str, float]
    """Golden-signal threshold overrides by alarm key, e.g. `{"api.cpu": 70,
    "db.free-storage": 20 * 1024**3}`, in the unit of the alarm's metric. Values must be
    finite numbers (not true/false, NaN or infinity); unknown keys are refused.

    Default: none.
    Example: ``{"api.cpu": 70, "db.free-storage": 20 * 1024**3}``"""
    dashboard: bool
    """Create a CloudWatch dashboard laid out by component.

    Default: true.
    Example: ``False``"""
    cloudwatch_slo_alarms: bool
    """Create the CloudWatch burn-rate alarms for the SLOs. On EKS the Prometheus rules
    evaluate the same SLOs from the app's own metrics; with both, the CloudWatch alarm pages
    (it sees the ALB from outside, so it also pages when the app reports nothing or the
    cluster is down) and Prometheus's fast burn for that SLO goes to the ticket topic: one
    page per incident. False keeps only Prometheus, which then pages (allowed only when
    every SLO's target runs on the EKS cluster).

    Default: true.
    Example: ``False``"""
    prometheus: dict[str, Any]
    """EKS only (watched services on an EksCluster): `{"managed": bool (default false:
    kube-prometheus-stack in the cluster; true: Amazon Managed Prometheus + Managed
    Grafana), "retention_days": int (default 15, 3-365; 3-1095 managed), "storage_gb": int
    (the TSDB size: default 50, 10-16384 on EBS; on the node's disk default a fifth of it,
    at most half), "persistent": bool (default: true when the cluster has the
    aws-ebs-csi-driver add-on, which it requires; false keeps the TSDB on the node, lost
    when the pod moves), "replicas": int (default 1, 1-3), "chart_version": str
    (kube-prometheus-stack, default 79.7.1)}`. Raising `storage_gb` does not grow an
    existing volume (resize its PersistentVolumeClaim; the StorageClass allows it);
    switching `persistent` or `managed` starts an empty TSDB (volumes are retained, never
    deleted).

    Default: every key at its default (in-cluster kube-prometheus-stack).
    Example: ``{"retention_days": 30, "storage_gb": 100}``"""
    grafana: dict[str, Any]
    """EKS only: `{"enabled": bool}` (default true): Grafana with the services dashboard (in
    the cluster, or Managed Grafana with `prometheus.managed`).

    Default: `{"enabled": True}`.
    Example: ``{"enabled": False}``"""
    otel: dict[str, Any]
    """EKS only: `{"enabled": bool (default true), "xray": bool (default true: traces to AWS
    X-Ray), "replicas": int (default 2, 1-10), "chart_version": str
    (opentelemetry-collector, default 0.140.0)}`. Apps send OTLP to `eks.otlp_endpoint`; see
    `observability.eks_contract` for what they must emit.

    Default: every key at its default (a collector with 2 replicas sending traces to X-Ray).
    Example: ``{"replicas": 3, "xray": False}``"""
    tags: dict[str, str]
    """Tags for every resource.

    Default: none.
    Example: ``{"team": "sre"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch: topic_key, page_topic, ticket_topic, subscription, alarm,
    composite_alarm, dashboard, regional_provider, and on EKS the roles of
    `eks_stack.EKS_CHILD_ROLES` (e.g. helm_release, prometheus_rule).

    Default: none.
    Example: ``{"page_topic": {"display_name": "Shop pages"}}``"""
