"""The dashboard builder, the PromQL metric-name reader the dashboard checks rely on, and
the app contract (pure functions, no preview)."""

from __future__ import annotations

import json

import pytest

from gridops_infra.observability import Slo
from gridops_infra.observability.eks.contract import (
    EXPORTER_SERIES,
    OTEL_SLI_METRICS,
    OTLP_ENDPOINT,
    bucket_boundaries_needed,
    otel_environment,
)
from gridops_infra.observability.grafana_dashboards import (
    dashboard_queries,
    promql_metric_names,
    services_dashboard,
)


class _Service:
    def __init__(self, name: str) -> None:
        self.name = name


API, WEB = _Service("api"), _Service("web")
JOBS = Slo.custom(
    "jobs-success",
    good_query='sum(rate(jobs_processed_total{result="ok"}[{{.window}}]))',
    total_query="sum(rate(jobs_processed_total[{{.window}}]))",
    objective=0.995,
)


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        ('sum(rate(http_requests_total{code=~"5.."}[5m]))', {"http_requests_total"}),
        ("up", {"up"}),
        ("up == 0 and on(job) absent(foo_total)", {"up", "foo_total"}),
        (
            'histogram_quantile(0.99, sum by (le) (rate(x_bucket{service_name="a"}[5m])))',
            {"x_bucket"},
        ),
        (
            "sum(rate(a_total[5m])) by (pod) / ignoring(pod) group_left b_info",
            {"a_total", "b_info"},
        ),
        (
            'slo:sli_error:ratio_rate1h{slo="x"} / slo:error_budget:ratio',
            {"slo:sli_error:ratio_rate1h", "slo:error_budget:ratio"},
        ),
        ("rate(c_total[5m] offset 1h) * 1e-05 + 2.5", {"c_total"}),
        ('count(kube_pod_info{node="n-{1}"}) > bool 3', {"kube_pod_info"}),
        ("vector(0) or scalar(z)", {"z"}),
    ],
)
def test_promql_metric_names(expr, names):
    assert promql_metric_names(expr) == names


def test_a_misspelled_series_is_caught():
    dashboard = services_dashboard("d", "t", [("api", "api")], [Slo.availability(API)])
    queries = dashboard_queries(dashboard)
    queries.append("sum(rate(http_server_requests_total[5m]))")  # not what the collector emits
    recorded = {
        "slo:sli_error:ratio_rate5m",
        "slo:sli_error:ratio_rate1h",
        "slo:sli_error:ratio_rate6h",
        "slo:sli_error:ratio_rate3d",
        "slo:error_budget:ratio",
    }
    unknown = (
        set().union(*(promql_metric_names(q) for q in queries)) - recorded - set(EXPORTER_SERIES)
    )
    assert unknown == {"http_server_requests_total"}


def test_one_row_per_service_each_with_its_own_slos():
    slos = [Slo.availability(API), Slo.latency(WEB, threshold_ms=500), JOBS]
    dashboard = services_dashboard("gridops-obs", "t", [("api", "api"), ("web", "web")], slos)
    rows = [p["title"] for p in dashboard["panels"] if p["type"] == "row"]
    assert rows == ["api", "web", "Custom SLOs", "Telemetry pipeline"]
    titles = [p["title"] for p in dashboard["panels"]]
    api_row = titles[titles.index("api") : titles.index("web")]
    assert any(t.startswith("api-availability") for t in api_row)
    assert not any(t.startswith("web-latency") for t in api_row)
    assert any("slower than 500 ms" in t for t in titles)
    api_queries = [
        t["expr"] for p in dashboard["panels"][: titles.index("web")] for t in p.get("targets", [])
    ]
    assert all('"web"' not in q for q in api_queries)
    assert json.loads(json.dumps(dashboard)) == dashboard


def test_burn_rate_panel_marks_the_page_thresholds():
    dashboard = services_dashboard("d", "t", [("api", "api")], [Slo.availability(API, 0.999)])
    (burn,) = [p for p in dashboard["panels"] if p["title"].endswith("burn rate (x error budget)")]
    steps = burn["fieldConfig"]["defaults"]["thresholds"]["steps"]
    assert [s["value"] for s in steps] == [None, 14.4, 6]


def test_without_the_collector_there_is_no_pipeline_row():
    dashboard = services_dashboard("d", "t", [("api", "api")], [], collector=False)
    assert [p["title"] for p in dashboard["panels"] if p["type"] == "row"] == ["api"]


def test_uid_must_fit_grafana():
    with pytest.raises(ValueError, match="uid="):
        services_dashboard("x" * 41, "t", [], [])


def test_the_sli_metrics_are_listed_exporter_series():
    for name in (
        OTEL_SLI_METRICS.requests_metric,
        f"{OTEL_SLI_METRICS.duration_metric}_bucket",
        f"{OTEL_SLI_METRICS.duration_metric}_count",
    ):
        assert name in EXPORTER_SERIES


def test_otel_environment():
    env = otel_environment("api", "eks")
    assert env["OTEL_SERVICE_NAME"] == "api"
    assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == OTLP_ENDPOINT
    assert "k8s.namespace.name=api" in env["OTEL_RESOURCE_ATTRIBUTES"]
    assert "deployment.environment.name=eks" in env["OTEL_RESOURCE_ATTRIBUTES"]
    assert env["OTEL_TRACES_EXPORTER"] == "otlp"
    assert otel_environment("api", "eks", traces=False)["OTEL_TRACES_EXPORTER"] == "none"


def test_bucket_boundaries_needed():
    slos = [Slo.latency(API, threshold_ms=300), Slo.latency(WEB, threshold_ms=1000), JOBS]
    assert bucket_boundaries_needed(slos) == [0.3, 1.0]
