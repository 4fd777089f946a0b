"""Grafana dashboard JSON for services on EKS: one row per service.

Each row shows traffic, errors and latency from the app's HTTP metrics, its SLOs through
the recording rules (`slo:sli_error:ratio_rate<window>`, `slo:error_budget:ratio`), the
burn rate against the page thresholds, and pods, restarts, CPU and memory from
kube-state-metrics and cAdvisor. A last row watches the collector's export failures.
Every query names only series the rules or the exporters produce
(`eks_contract.EXPORTER_SERIES`); `promql_metric_names` extracts them for checking.

Panels use a `datasource` variable, so the same JSON works on the in-cluster Grafana
(data source uid `prometheus`) and on Amazon Managed Grafana.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from gridops_infra.observability.eks.contract import OTEL_SLI_METRICS
from gridops_infra.observability.prometheus_rules import (
    SLI_ERROR_RECORD,
    SliMetrics,
    _num,
    _quote,
    _selector,
)
from gridops_infra.observability.slo import Slo

DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
PANEL_W = 8
PANEL_H = 8
PER_LINE = 24 // PANEL_W
SCHEMA_VERSION = 39
BUDGET_RECORD = "slo:error_budget:ratio"


def _sel(**labels: str) -> str:
    return "{" + ", ".join(f"{k}={_quote(v)}" for k, v in labels.items()) + "}"


def _panel(
    title: str,
    targets: Sequence[tuple[str, str]],
    unit: str,
    *,
    description: str = "",
    thresholds: Sequence[float] = (),
    kind: str = "timeseries",
) -> dict[str, Any]:
    steps: list[dict[str, Any]] = [{"color": "green", "value": None}]
    steps += [{"color": "red", "value": t} for t in thresholds]
    defaults: dict[str, Any] = {
        "unit": unit,
        "thresholds": {"mode": "absolute", "steps": steps},
    }
    if thresholds and kind == "timeseries":
        defaults["custom"] = {"thresholdsStyle": {"mode": "line"}}
    return {
        "type": kind,
        "title": title,
        "description": description,
        "datasource": dict(DATASOURCE),
        "targets": [
            {
                "refId": chr(ord("A") + i),
                "expr": expr,
                "legendFormat": legend,
                "datasource": dict(DATASOURCE),
            }
            for i, (expr, legend) in enumerate(targets)
        ],
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "options": {},
    }


def _slo_panels(slo: Slo) -> list[dict[str, Any]]:
    labels = _sel(slo=slo.name)
    budget = f"{BUDGET_RECORD}{labels}"
    short = SLI_ERROR_RECORD.format(window="5m") + labels
    hour = SLI_ERROR_RECORD.format(window="1h") + labels
    six = SLI_ERROR_RECORD.format(window="6h") + labels
    three_days = SLI_ERROR_RECORD.format(window="3d") + labels
    what = "failed (5xx)" if slo.kind == "availability" else "bad"
    if slo.threshold_ms is not None:
        what = f"slower than {_num(slo.threshold_ms)} ms"
    sustainable = 3 / slo.window_days
    page_burns = sorted({t.burn_rate for t in slo.tiers() if t.severity == "page"}, reverse=True)
    return [
        _panel(
            f"{slo.name}: share of requests {what}",
            [(short, "5m"), (hour, "1h"), (budget, "error budget")],
            "percentunit",
            description=f"SLO {_num(slo.objective * 100)}% over {slo.window_days}d",
        ),
        _panel(
            f"{slo.name}: burn rate (x error budget)",
            [(f"{hour} / {budget}", "1h"), (f"{six} / {budget}", "6h")],
            "none",
            description="Pages when both the long and the short window burn faster than this",
            thresholds=page_burns,
        ),
        _panel(
            f"{slo.name}: budget spent in the last 3 days",
            [(f"{three_days} / {budget} * {_num(sustainable)}", "share of the budget")],
            "percentunit",
            description=(
                f"Share of the {slo.window_days}-day error budget the last 3 days used; above "
                f"{_num(sustainable * 100)}% it runs out before the window ends"
            ),
            thresholds=[sustainable],
            kind="stat",
        ),
    ]


def _service_panels(
    service: str, namespace: str, slos: Sequence[Slo], metrics: SliMetrics
) -> list[dict[str, Any]]:
    of_service = (metrics.service_label, "=", service)
    count = metrics.requests_metric
    bucket = f"{metrics.duration_metric}_bucket"
    errors = _selector("", of_service, (metrics.code_label, "=~", metrics.error_code_regex))
    all_requests = _selector("", of_service)
    pods = _sel(namespace=namespace, deployment=service)
    containers = _selector("", ("namespace", "=", namespace), ("container", "!=", ""))
    panels = [
        _panel(
            "Requests per second",
            [(f"sum(rate({count}{all_requests}[5m]))", "requests/s")],
            "reqps",
        ),
        _panel(
            "Share of requests answered 5xx",
            [
                (
                    f"(sum(rate({count}{errors}[5m])) or vector(0))\n/\n"
                    f"sum(rate({count}{all_requests}[5m]))",
                    "5xx",
                )
            ],
            "percentunit",
        ),
        _panel(
            "Latency",
            [
                (
                    f"histogram_quantile({q}, sum by (le) (rate({bucket}{all_requests}[5m])))",
                    f"p{round(q * 100)}",
                )
                for q in (0.5, 0.99)
            ],
            "s",
        ),
    ]
    for slo in slos:
        panels += _slo_panels(slo)
    panels += [
        _panel(
            "Pods available / desired",
            [
                (f"sum(kube_deployment_status_replicas_available{pods})", "available"),
                (f"sum(kube_deployment_spec_replicas{pods})", "desired"),
            ],
            "none",
        ),
        _panel(
            "Container restarts (1h)",
            [
                (
                    f"sum(increase(kube_pod_container_status_restarts_total{_sel(namespace=namespace)}[1h]))",
                    "restarts",
                )
            ],
            "none",
        ),
        _panel(
            "CPU (cores)",
            [(f"sum(rate(container_cpu_usage_seconds_total{containers}[5m]))", "cores")],
            "none",
        ),
        _panel(
            "Memory (working set)",
            [(f"sum(container_memory_working_set_bytes{containers})", "bytes")],
            "bytes",
        ),
    ]
    return panels


def _collector_panels() -> list[dict[str, Any]]:
    return [
        _panel(
            "Metric points the collector failed to export",
            [("sum(rate(otelcol_exporter_send_failed_metric_points_total[5m]))", "points/s")],
            "none",
            thresholds=[0],
        ),
        _panel(
            "Spans the collector failed to export",
            [("sum(rate(otelcol_exporter_send_failed_spans_total[5m]))", "spans/s")],
            "none",
            thresholds=[0],
        ),
    ]


def _row(title: str, panels: list[dict[str, Any]], y: int, next_id: int) -> tuple[list, int, int]:
    out: list[dict[str, Any]] = [
        {
            "type": "row",
            "title": title,
            "collapsed": False,
            "panels": [],
            "id": next_id,
            "gridPos": {"h": 1, "w": 24, "x": 0, "y": y},
        }
    ]
    next_id += 1
    y += 1
    for i, panel in enumerate(panels):
        x = (i % PER_LINE) * PANEL_W
        out.append(
            {
                **panel,
                "id": next_id,
                "gridPos": {"h": PANEL_H, "w": PANEL_W, "x": x, "y": y + (i // PER_LINE) * PANEL_H},
            }
        )
        next_id += 1
    y += ((len(panels) + PER_LINE - 1) // PER_LINE) * PANEL_H
    return out, y, next_id


def services_dashboard(
    uid: str,
    title: str,
    services: Sequence[tuple[str, str]],
    slos: Sequence[Slo],
    *,
    metrics: SliMetrics = OTEL_SLI_METRICS,
    collector: bool = True,
) -> dict[str, Any]:
    """The dashboard: a row per `(service name, namespace)`, with that service's SLOs
    (matched by `Slo.service_name`); custom SLOs get a row of their own. `collector`
    adds the collector's row."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", uid):
        raise ValueError(f"uid={uid!r} is not allowed; 1-40 letters, digits, '-' or '_'")
    panels: list[dict[str, Any]] = []
    y, next_id = 0, 1
    for service, namespace in services:
        own = [s for s in slos if s.kind != "custom" and s.service_name == service]
        row, y, next_id = _row(
            service, _service_panels(service, namespace, own, metrics), y, next_id
        )
        panels += row
    custom = [p for s in slos if s.kind == "custom" for p in _slo_panels(s)]
    if custom:
        row, y, next_id = _row("Custom SLOs", custom, y, next_id)
        panels += row
    if collector:
        row, y, next_id = _row("Telemetry pipeline", _collector_panels(), y, next_id)
        panels += row
    return {
        "uid": uid,
        "title": title,
        "tags": ["gridops", "slo"],
        "timezone": "utc",
        "editable": False,
        "refresh": "1m",
        "schemaVersion": SCHEMA_VERSION,
        "time": {"from": "now-6h", "to": "now"},
        "templating": {
            "list": [
                {
                    "name": "datasource",
                    "label": "Data source",
                    "type": "datasource",
                    "query": "prometheus",
                    "current": {},
                    "hide": 0,
                    "refresh": 1,
                }
            ]
        },
        "annotations": {"list": []},
        "panels": panels,
    }


def dashboard_queries(dashboard: dict[str, Any]) -> list[str]:
    """Every PromQL expression of the dashboard's panels."""
    return [
        target["expr"]
        for panel in dashboard.get("panels", [])
        for target in panel.get("targets", [])
        if "expr" in target
    ]


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGE = re.compile(r"\[[^\]]*\]")
_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_OFFSET = re.compile(r"\boffset\s+-?[0-9a-z]+")
_NUMBER = re.compile(r"(?<![A-Za-z0-9_:])(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_IDENT = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
_KEYWORDS = {
    "and", "or", "unless", "bool", "inf", "nan", "by", "without", "on", "ignoring",
    "group_left", "group_right", "offset",
}  # fmt: skip


def promql_metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads (function and aggregation names,
    label names, keywords and numbers left out)."""
    text = _STRING.sub('""', expr)
    text = _MATCHERS.sub(" ", text)
    text = _RANGE.sub(" ", text)
    text = _GROUPING.sub(" ", text)
    text = _OFFSET.sub(" ", text)
    text = _NUMBER.sub(" ", text)
    names = set()
    for match in _IDENT.finditer(text):
        word = match.group()
        if text[match.end() :].lstrip().startswith("(") or word.lower() in _KEYWORDS:
            continue
        names.add(word)
    return names


__all__ = ["dashboard_queries", "promql_metric_names", "services_dashboard"]
