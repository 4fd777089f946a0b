"""Generated Prometheus SLO rules, checked by the real validator: promtool.

``promtool check rules`` must accept the generated file; ``promtool test rules`` runs unit
tests written here against synthetic series (1000 requests/minute, 1-minute samples) to
prove the page alert fires on a fast burn and stays silent below threshold.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from gridops_infra.observability import (
    SliMetrics,
    Slo,
    alert_name,
    render_rules_yaml,
    rule_groups,
    sli_error_expr,
)
from gridops_infra.observability.prometheus_rules import le_matcher


class _Service:
    def __init__(self, name: str) -> None:
        self.name = name


API = _Service("api")
AVAILABILITY = Slo.availability(API, objective=0.999)
LATENCY = Slo.latency(API, threshold_ms=300, objective=0.99)
LATENCY_1S = Slo.latency(API, threshold_ms=1000, objective=0.99, name="api-latency-1s")
JOBS = Slo.custom(
    "jobs-success",
    good_query='sum(rate(jobs_processed_total{result="ok"}[{{.window}}]))',
    total_query="sum(rate(jobs_processed_total[{{.window}}]))",
    objective=0.995,
    window_days=28,
)
WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]
RATE = 1000  # requests per minute in every scenario


# --- promtool harness -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def promtool() -> str:
    """Path of promtool; fails under CI (env CI set), skips elsewhere when it is missing."""
    path = shutil.which("promtool")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(
                "promtool not installed: apt-get install prometheus (required when CI is set)"
            )
        pytest.skip("promtool not installed: apt-get install prometheus")
    return path


def _run(promtool: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [promtool, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def _write_rules(tmp_path: Path, slos: list[Slo], **kwargs: Any) -> Path:
    rules = tmp_path / "rules.yaml"
    rules.write_text(render_rules_yaml(slos, **kwargs))
    return rules


def _promtool_test(promtool: str, tmp_path: Path, slos: list[Slo], tests: list[dict]) -> str:
    """Write rules + a promtool unit-test file, run ``promtool test rules``, return its output."""
    _write_rules(tmp_path, slos)
    unit = {
        "rule_files": ["rules.yaml"],
        "evaluation_interval": "1m",
        "tests": tests,
    }
    unit_file = tmp_path / "slo_test.yaml"
    unit_file.write_text(yaml.safe_dump(unit, sort_keys=False))
    result = _run(promtool, "test", "rules", unit_file.name, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"promtool test rules failed:\n{output}"
    return output


def _counter(*segments: tuple[int, float]) -> str:
    """A counter sampled every minute from 0: ``(minutes, increase per minute)`` segments."""
    values = [0.0]
    for minutes, per_minute in segments:
        base = values[-1]
        values.extend(base + per_minute * step for step in range(1, minutes + 1))
    return " ".join(repr(round(value, 6)) for value in values)


def _requests(*segments: tuple[int, float]) -> list[dict[str, str]]:
    """http_requests_total for service api: segments of (minutes, error ratio) at RATE/min."""
    ok = [(minutes, RATE * (1 - ratio)) for minutes, ratio in segments]
    errors = [(minutes, RATE * ratio) for minutes, ratio in segments]
    return [
        {"series": 'http_requests_total{service="api", code="200"}', "values": _counter(*ok)},
        {"series": 'http_requests_total{service="api", code="500"}', "values": _counter(*errors)},
    ]


def _latency(minutes: int, slow_ratio: float, bucket: str = "0.3") -> list[dict[str, str]]:
    """http_request_duration_seconds histogram: ``slow_ratio`` of RATE/min above ``bucket``."""
    name = "http_request_duration_seconds"
    fast = RATE * (1 - slow_ratio)
    return [
        {"series": f'{name}_bucket{{service="api", le="0.1"}}', "values": _counter((minutes, 0))},
        {
            "series": f'{name}_bucket{{service="api", le="{bucket}"}}',
            "values": _counter((minutes, fast)),
        },
        {
            "series": f'{name}_bucket{{service="api", le="+Inf"}}',
            "values": _counter((minutes, RATE)),
        },
        {"series": f'{name}_count{{service="api"}}', "values": _counter((minutes, RATE))},
    ]


def _expected_alert(slo: Slo, severity: str) -> dict[str, Any]:
    """The alert promtool must see firing: labels from the SLO, annotations from the rules."""
    for group in rule_groups([slo])["groups"]:
        for rule in group["rules"]:
            if rule.get("alert") and rule["labels"]["severity"] == severity:
                labels = {"severity": severity, "slo": slo.name, "service": slo.service_name}
                return {"exp_labels": labels, "exp_annotations": rule["annotations"]}
    raise AssertionError(f"no {severity} alert for {slo.name}")


def _sli_samples(slo: Slo, eval_time: str, per_10000: int) -> list[dict[str, Any]]:
    """promql_expr_test entries: every SLI window's error ratio, in units of 1/10000."""
    labels = f'{{service="{slo.service_name}", slo="{slo.name}"}}'
    return [
        {
            "expr": f'round(slo:sli_error:ratio_rate{window}{{slo="{slo.name}"}} * 10000)',
            "eval_time": eval_time,
            "exp_samples": [{"labels": labels, "value": per_10000}],
        }
        for window in WINDOWS
    ]


# --- promtool check rules ---------------------------------------------------------------------


def test_promtool_check_rules_accepts_every_kind(promtool: str, tmp_path: Path) -> None:
    rules = _write_rules(
        tmp_path,
        [AVAILABILITY, LATENCY, LATENCY_1S, JOBS],
        runbook_url="https://runbooks.acme.io/slo/{slo}",
    )
    result = _run(promtool, "check", "rules", str(rules), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    # per SLO: 7 SLI windows + objective + error budget, and a page and a ticket alert
    assert "SUCCESS: 44 rules found" in result.stdout


def test_promtool_check_rules_with_custom_metric_names(promtool: str, tmp_path: Path) -> None:
    metrics = SliMetrics(
        requests_metric="nginx_ingress_controller_requests",
        duration_metric="nginx_ingress_controller_request_duration_seconds",
        service_label="ingress",
        code_label="status",
        error_code_regex="5..|429",
    )
    rules = _write_rules(tmp_path, [AVAILABILITY, LATENCY], metrics=metrics)
    text = rules.read_text()
    assert 'nginx_ingress_controller_requests{ingress="api", status=~"5..|429"}[5m]' in text
    assert 'nginx_ingress_controller_request_duration_seconds_bucket{ingress="api", le="0.3"}' in (
        text
    )
    result = _run(promtool, "check", "rules", str(rules), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


# --- promtool test rules: availability --------------------------------------------------------


def test_page_fires_on_sustained_2_percent_errors(promtool: str, tmp_path: Path) -> None:
    # 2% errors for 70 minutes on a 99.9% SLO: 20x the budget, above the 14.4x page tier on
    # both the 1h and 5m windows (and above both ticket tiers too).
    test = {
        "interval": "1m",
        "input_series": _requests((70, 0.02)),
        "alert_rule_test": [
            {
                "eval_time": "65m",
                "alertname": alert_name(AVAILABILITY),
                "exp_alerts": [
                    _expected_alert(AVAILABILITY, "page"),
                    _expected_alert(AVAILABILITY, "ticket"),
                ],
            }
        ],
        "promql_expr_test": _sli_samples(AVAILABILITY, "65m", per_10000=200),
    }
    _promtool_test(promtool, tmp_path, [AVAILABILITY], [test])


def test_silent_when_error_ratio_below_budget(promtool: str, tmp_path: Path) -> None:
    # 0.05% errors for 3h: half the 0.1% budget, under every tier (lowest threshold 1x = 0.1%).
    test = {
        "interval": "1m",
        "input_series": _requests((180, 0.0005)),
        "alert_rule_test": [
            {"eval_time": t, "alertname": alert_name(AVAILABILITY), "exp_alerts": []}
            for t in ("10m", "65m", "3h")
        ],
        "promql_expr_test": _sli_samples(AVAILABILITY, "3h", per_10000=5),
    }
    _promtool_test(promtool, tmp_path, [AVAILABILITY], [test])


def test_page_resets_when_short_windows_recover(promtool: str, tmp_path: Path) -> None:
    # 10% errors for 60 min, then 0.05%. While burning, it pages. 31 min after the fix the
    # long windows are still far over (1h at 4.86% > 1.44%, 6h at 6.61% > 0.6%) but both short
    # windows (5m, 30m) have recovered, so the page resets; the slower ticket keeps firing.
    def sli(window: str, per_10000: int) -> dict[str, Any]:
        return {
            "expr": f'round(slo:sli_error:ratio_rate{window}{{slo="api-availability"}} * 10000)',
            "eval_time": "91m",
            "exp_samples": [
                {"labels": '{service="api", slo="api-availability"}', "value": per_10000}
            ],
        }

    test = {
        "interval": "1m",
        "input_series": _requests((60, 0.10), (40, 0.0005)),
        "alert_rule_test": [
            {
                "eval_time": "50m",
                "alertname": alert_name(AVAILABILITY),
                "exp_alerts": [
                    _expected_alert(AVAILABILITY, "page"),
                    _expected_alert(AVAILABILITY, "ticket"),
                ],
            },
            {
                "eval_time": "91m",
                "alertname": alert_name(AVAILABILITY),
                "exp_alerts": [_expected_alert(AVAILABILITY, "ticket")],
            },
        ],
        "promql_expr_test": [sli("5m", 5), sli("30m", 5), sli("1h", 486), sli("6h", 661)],
    }
    _promtool_test(promtool, tmp_path, [AVAILABILITY], [test])


def test_promtool_catches_a_wrong_expectation(promtool: str, tmp_path: Path) -> None:
    # Guard against vacuous tests: claiming a page at 0.05% errors must make promtool fail.
    _write_rules(tmp_path, [AVAILABILITY])
    unit = {
        "rule_files": ["rules.yaml"],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": _requests((90, 0.0005)),
                "alert_rule_test": [
                    {
                        "eval_time": "65m",
                        "alertname": alert_name(AVAILABILITY),
                        "exp_alerts": [_expected_alert(AVAILABILITY, "page")],
                    }
                ],
            }
        ],
    }
    (tmp_path / "wrong.yaml").write_text(yaml.safe_dump(unit))
    result = _run(promtool, "test", "rules", "wrong.yaml", cwd=tmp_path)
    assert result.returncode != 0
    assert "FAILED" in result.stdout + result.stderr


# --- promtool test rules: latency and custom --------------------------------------------------


def test_latency_page_fires_when_slow_and_is_silent_when_fast(
    promtool: str, tmp_path: Path
) -> None:
    # 99% under 300 ms: 20% slow requests is 20x the 1% budget (page at 14.4x fires);
    # 0.5% slow is half the budget, under every tier.
    slow = {
        "interval": "1m",
        "input_series": _latency(70, slow_ratio=0.20),
        "alert_rule_test": [
            {
                "eval_time": "65m",
                "alertname": alert_name(LATENCY),
                "exp_alerts": [
                    _expected_alert(LATENCY, "page"),
                    _expected_alert(LATENCY, "ticket"),
                ],
            }
        ],
        "promql_expr_test": _sli_samples(LATENCY, "65m", per_10000=2000),
    }
    fast = {
        "interval": "1m",
        "input_series": _latency(180, slow_ratio=0.005),
        "alert_rule_test": [
            {"eval_time": t, "alertname": alert_name(LATENCY), "exp_alerts": []}
            for t in ("65m", "3h")
        ],
        "promql_expr_test": _sli_samples(LATENCY, "3h", per_10000=50),
    }
    _promtool_test(promtool, tmp_path, [LATENCY], [slow, fast])


@pytest.mark.parametrize("le", ["1", "1.0"])
def test_latency_whole_second_threshold_matches_both_le_spellings(
    promtool: str, tmp_path: Path, le: str
) -> None:
    # Go clients write le="1", Python clients le="1.0": a 1000 ms SLO must read either.
    test = {
        "interval": "1m",
        "input_series": _latency(70, slow_ratio=0.20, bucket=le),
        "alert_rule_test": [
            {
                "eval_time": "65m",
                "alertname": alert_name(LATENCY_1S),
                "exp_alerts": [
                    _expected_alert(LATENCY_1S, "page"),
                    _expected_alert(LATENCY_1S, "ticket"),
                ],
            }
        ],
        "promql_expr_test": _sli_samples(LATENCY_1S, "65m", per_10000=2000),
    }
    _promtool_test(promtool, tmp_path, [LATENCY_1S], [test])


def test_custom_slo_page_fires(promtool: str, tmp_path: Path) -> None:
    # 99.5% over 28 days: page threshold 13.44 * 0.005 = 6.72%; 10% failed jobs fires it.
    series = [
        {
            "series": 'jobs_processed_total{result="ok"}',
            "values": _counter((70, RATE * 0.9)),
        },
        {"series": 'jobs_processed_total{result="failed"}', "values": _counter((70, RATE * 0.1))},
    ]
    test = {
        "interval": "1m",
        "input_series": series,
        "alert_rule_test": [
            {
                "eval_time": "65m",
                "alertname": alert_name(JOBS),
                "exp_alerts": [_expected_alert(JOBS, "page"), _expected_alert(JOBS, "ticket")],
            }
        ],
        "promql_expr_test": _sli_samples(JOBS, "65m", per_10000=1000),
    }
    _promtool_test(promtool, tmp_path, [JOBS], [test])


# --- structure, without promtool --------------------------------------------------------------


def test_rule_file_structure() -> None:
    doc = rule_groups([AVAILABILITY, LATENCY])
    assert yaml.safe_load(yaml.safe_dump(doc)) == doc  # plain, safe-dumpable data
    assert yaml.safe_load(render_rules_yaml([AVAILABILITY, LATENCY])) == doc
    names = [group["name"] for group in doc["groups"]]
    assert names == [
        "slo-api-availability-sli-recordings",
        "slo-api-availability-alerts",
        "slo-api-latency-sli-recordings",
        "slo-api-latency-alerts",
    ]
    recordings = doc["groups"][0]["rules"]
    assert [r["record"] for r in recordings] == [
        *(f"slo:sli_error:ratio_rate{w}" for w in WINDOWS),
        "slo:objective:ratio",
        "slo:error_budget:ratio",
    ]
    assert all(r["labels"] == {"slo": "api-availability", "service": "api"} for r in recordings)

    page, ticket = doc["groups"][1]["rules"]
    assert page["alert"] == ticket["alert"] == "ApiAvailabilityErrorBudgetBurn"
    assert (page["labels"], ticket["labels"]) == ({"severity": "page"}, {"severity": "ticket"})
    sel = '{slo="api-availability", service="api"}'
    assert f"(slo:sli_error:ratio_rate1h{sel} > (14.4 * 0.001))" in page["expr"]
    assert f"(slo:sli_error:ratio_rate5m{sel} > (14.4 * 0.001))" in page["expr"]
    assert f"(slo:sli_error:ratio_rate6h{sel} > (6 * 0.001))" in page["expr"]
    assert f"(slo:sli_error:ratio_rate30m{sel} > (6 * 0.001))" in page["expr"]
    assert f"(slo:sli_error:ratio_rate1d{sel} > (3 * 0.001))" in ticket["expr"]
    assert f"(slo:sli_error:ratio_rate3d{sel} > (1 * 0.001))" in ticket["expr"]
    assert set(page["annotations"]) == {"summary", "description", "runbook"}
    latency_page = doc["groups"][3]["rules"][0]
    assert "(14.4 * 0.01)" in latency_page["expr"]


def test_sli_expressions() -> None:
    assert sli_error_expr(AVAILABILITY, "5m") == (
        '(sum(rate(http_requests_total{service="api", code=~"5.."}[5m])) or vector(0))\n'
        "/\n"
        'sum(rate(http_requests_total{service="api"}[5m]))'
    )
    latency = sli_error_expr(LATENCY, "1h")
    assert latency.startswith("1 - (")
    assert 'rate(http_request_duration_seconds_bucket{service="api", le="0.3"}[1h])' in latency
    assert 'rate(http_request_duration_seconds_count{service="api"}[1h])' in latency
    assert "sum(rate(jobs_processed_total[30m]))" in sli_error_expr(JOBS, "30m")
    assert le_matcher(300) == ("=", "0.3")
    assert le_matcher(2500) == ("=", "2.5")
    assert le_matcher(1000) == ("=~", "1(\\.0)?")


def test_runbook_url_annotation() -> None:
    doc = rule_groups([AVAILABILITY], runbook_url="https://runbooks.acme.io/{service}/{slo}")
    page = doc["groups"][1]["rules"][0]
    assert page["annotations"]["runbook_url"] == "https://runbooks.acme.io/api/api-availability"


def test_alert_names() -> None:
    assert alert_name(JOBS) == "JobsSuccessErrorBudgetBurn"
    assert (
        alert_name(Slo.availability(_Service("9lives"))) == "Slo9livesAvailabilityErrorBudgetBurn"
    )


def test_duplicate_slo_names_refused() -> None:
    with pytest.raises(ValueError, match="two SLOs named 'api-availability'"):
        rule_groups([AVAILABILITY, Slo.availability(API, objective=0.99)])


def test_non_slo_refused() -> None:
    with pytest.raises(ValueError, match="allowed are Slo objects"):
        rule_groups([AVAILABILITY, "api"])  # type: ignore[list-item]


def test_custom_query_without_window_placeholder_refused() -> None:
    cloudwatch_style = Slo.custom("orders", "AWS/ApplicationELB HTTPCode_Target_2XX", "x", 0.99)
    with pytest.raises(ValueError, match=r"good_query=.*\{\{\.window\}\}"):
        rule_groups([cloudwatch_style])
