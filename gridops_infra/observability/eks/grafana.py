"""Grafana on EKS (the kube-prometheus-stack sub-chart): private, with a generated admin
password and the gridops dashboards provisioned from ConfigMaps.

Grafana is a ClusterIP service only (no Ingress, no load balancer); reach it with
`kubectl -n monitoring port-forward svc/grafana 3000:80`. The admin password is a
Pulumi-generated secret stored in the Kubernetes Secret `grafana-admin` (never the
chart's well-known default). Dashboards are ConfigMaps labelled `grafana_dashboard: "1"`,
which the chart's sidecar loads; Grafana keeps no state worth backing up (hand-made
dashboards are lost when its pod restarts: provision them as ConfigMaps).
"""

from __future__ import annotations

import json
from typing import Any

import pulumi

from gridops_infra.observability.eks.contract import MONITORING_NAMESPACE

ADMIN_SECRET = "grafana-admin"
ADMIN_USER_KEY = "admin-user"
ADMIN_PASSWORD_KEY = "admin-password"
DASHBOARD_LABEL = "grafana_dashboard"
DATASOURCE_UID = "prometheus"


def grafana_values(enabled: bool) -> dict[str, Any]:
    """The chart's `grafana` values."""
    if not enabled:
        return {"enabled": False}
    return {
        "enabled": True,
        "fullnameOverride": "grafana",
        "admin": {
            "existingSecret": ADMIN_SECRET,
            "userKey": ADMIN_USER_KEY,
            "passwordKey": ADMIN_PASSWORD_KEY,
        },
        "service": {"type": "ClusterIP"},
        "ingress": {"enabled": False},
        "sidecar": {
            "dashboards": {
                "enabled": True,
                "label": DASHBOARD_LABEL,
                "labelValue": "1",
                "searchNamespace": MONITORING_NAMESPACE,
            },
            "datasources": {
                "enabled": True,
                "defaultDatasourceEnabled": True,
                "uid": DATASOURCE_UID,
            },
        },
        "grafana.ini": {
            "analytics": {"reporting_enabled": False, "check_for_updates": False},
            "users": {"allow_sign_up": False},
            "auth.anonymous": {"enabled": False},
            "security": {"disable_gravatar": True},
        },
    }


def admin_secret_manifest(password: pulumi.Input[str]) -> dict[str, Any]:
    """The Secret Grafana reads its admin login from."""
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {
            "name": ADMIN_SECRET,
            "namespace": MONITORING_NAMESPACE,
            "labels": {"app.kubernetes.io/managed-by": "gridops"},
        },
        "stringData": {ADMIN_USER_KEY: "admin", ADMIN_PASSWORD_KEY: password},
    }


def dashboard_config_map(name: str, dashboard: dict[str, Any]) -> dict[str, Any]:
    """One dashboard as a ConfigMap the Grafana sidecar provisions."""
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": name,
            "namespace": MONITORING_NAMESPACE,
            "labels": {DASHBOARD_LABEL: "1", "app.kubernetes.io/managed-by": "gridops"},
        },
        "data": {f"{name}.json": json.dumps(dashboard, indent=1, sort_keys=True)},
    }


__all__ = ["admin_secret_manifest", "dashboard_config_map", "grafana_values"]
