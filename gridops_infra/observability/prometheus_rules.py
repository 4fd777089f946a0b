"""Prometheus recording and alerting rules for SLOs (SRE Workbook / sloth structure).

For every SLO: one group of recording rules ``slo:sli_error:ratio_rate<window>`` (labels
``slo`` and ``service``) for each window the burn-rate tiers use (5m, 30m, 1h, 2h, 6h, 1d,
3d), and one group with two alerts sharing one name: ``severity=page`` (1h/5m or 6h/30m)
and ``severity=ticket`` (1d/2h or 3d/6h). Pure functions returning plain dicts, ready for
``yaml.safe_dump``; ``promtool check rules`` accepts the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import yaml

from gridops_infra.observability.slo import BurnRateTier, Severity, Slo, format_duration

#: Placeholder for the range in custom SLO queries (the sloth convention).
WINDOW_PLACEHOLDER = "{{.window}}"

SLI_ERROR_RECORD = "slo:sli_error:ratio_rate{window}"


@dataclass(frozen=True)
class SliMetrics:
    """Metric and label names the availability and latency SLIs read.

    Defaults follow the usual HTTP instrumentation: a counter ``http_requests_total``
    with a ``code`` label (errors match ``5..``) and a histogram
    ``http_request_duration_seconds`` (``_bucket`` with ``le``, ``_count``), both selected
    by ``service="<service name>"``.
    """

    requests_metric: str = "http_requests_total"
    duration_metric: str = "http_request_duration_seconds"
    service_label: str = "service"
    code_label: str = "code"
    error_code_regex: str = "5.."


def _num(value: float) -> str:
    """A PromQL number literal without float noise: 14.4, 6, 0.001, 1e-05."""
    return f"{value:.12g}"


def _quote(value: str) -> str:
    """A PromQL double-quoted string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _selector(metric: str, *matchers: tuple[str, str, str]) -> str:
    """``metric{name op "value", ...}`` from (name, op, value) matchers."""
    parts = ", ".join(f"{name}{op}{_quote(value)}" for name, op, value in matchers)
    return f"{metric}{{{parts}}}"


def le_matcher(threshold_ms: float) -> tuple[str, str]:
    """The ``le`` bucket matcher for a threshold in milliseconds, as (operator, value).

    Whole seconds match both client spellings (``"1"`` from Go, ``"1.0"`` from Python).
    The threshold must be one of the histogram's bucket boundaries.
    """
    seconds = threshold_ms / 1000
    text = _num(seconds)
    if float(seconds).is_integer():
        return "=~", f"{re.escape(text)}(\\.0)?"
    return "=", text


def sli_error_expr(slo: Slo, window: str, metrics: SliMetrics | None = None) -> str:
    """The PromQL error ratio (0..1) of ``slo`` over ``window`` (a duration like ``"5m"``).

    ``metrics`` defaults to ``SliMetrics()``.
    """
    metrics = metrics or SliMetrics()
    service = (metrics.service_label, "=", slo.service_name)
    if slo.kind == "availability":
        errors = _selector(
            metrics.requests_metric, service, (metrics.code_label, "=~", metrics.error_code_regex)
        )
        total = _selector(metrics.requests_metric, service)
        return f"(sum(rate({errors}[{window}])) or vector(0))\n/\nsum(rate({total}[{window}]))"
    if slo.kind == "latency":
        assert slo.threshold_ms is not None  # guaranteed by Slo validation
        op, le_value = le_matcher(slo.threshold_ms)
        fast = _selector(f"{metrics.duration_metric}_bucket", service, ("le", op, le_value))
        count = _selector(f"{metrics.duration_metric}_count", service)
        return f"1 - (\n  sum(rate({fast}[{window}]))\n  /\n  sum(rate({count}[{window}]))\n)"
    good = _windowed(slo, "good_query", window)
    total_query = _windowed(slo, "total_query", window)
    return f"1 - (\n  ({good})\n  /\n  ({total_query})\n)"


def _windowed(slo: Slo, field_name: str, window: str) -> str:
    query: str = getattr(slo, field_name)
    if WINDOW_PLACEHOLDER not in query:
        raise ValueError(
            f"{field_name}={query!r} of SLO {slo.name!r} is not allowed for Prometheus: write "
            f"PromQL with {WINDOW_PLACEHOLDER} where the range goes, e.g. "
            f"sum(rate(jobs_ok_total[{WINDOW_PLACEHOLDER}]))"
        )
    return query.replace(WINDOW_PLACEHOLDER, window)


def sli_windows(slo: Slo) -> list[str]:
    """Every long and short window the SLO's tiers use, shortest first (e.g. 5m ... 3d)."""
    spans: set[timedelta] = set()
    for tier in slo.tiers():
        spans.update((tier.long_window, tier.short_window))
    return [format_duration(span) for span in sorted(spans)]


def slo_labels(slo: Slo) -> dict[str, str]:
    """The labels every rule of ``slo`` carries: ``slo`` and ``service``."""
    return {"slo": slo.name, "service": slo.service_name}


def recording_rules(slo: Slo, metrics: SliMetrics | None = None) -> list[dict[str, Any]]:
    """Recording rules: the SLI error ratio per window, plus objective and error budget.

    ``metrics`` defaults to ``SliMetrics()``.
    """
    rules: list[dict[str, Any]] = [
        {
            "record": SLI_ERROR_RECORD.format(window=window),
            "expr": sli_error_expr(slo, window, metrics),
            "labels": slo_labels(slo),
        }
        for window in sli_windows(slo)
    ]
    for record, value in (
        ("slo:objective:ratio", slo.objective),
        ("slo:error_budget:ratio", slo.error_budget),
    ):
        rules.append(
            {"record": record, "expr": f"vector({_num(value)})", "labels": slo_labels(slo)}
        )
    return rules


def alert_name(slo: Slo) -> str:
    """The alert name of an SLO: its name in CamelCase + ``ErrorBudgetBurn``."""
    words = re.split(r"[^0-9A-Za-z]+", slo.name)
    camel = "".join(word[:1].upper() + word[1:] for word in words if word)
    if not camel or camel[0].isdigit():
        camel = "Slo" + camel
    return f"{camel}ErrorBudgetBurn"


def _tier_expr(slo: Slo, tier: BurnRateTier) -> str:
    matchers = _selector("", *((name, "=", value) for name, value in slo_labels(slo).items()))
    threshold = f"({_num(tier.burn_rate)} * {_num(slo.error_budget)})"
    long_rec = SLI_ERROR_RECORD.format(window=tier.long_window_label) + matchers
    short_rec = SLI_ERROR_RECORD.format(window=tier.short_window_label) + matchers
    return f"(\n  ({long_rec} > {threshold})\n  and\n  ({short_rec} > {threshold})\n)"


def _tier_text(slo: Slo, tier: BurnRateTier) -> str:
    days_left = slo.window_days / tier.burn_rate
    return (
        f"{_num(tier.burn_rate)}x over {tier.long_window_label} and {tier.short_window_label} "
        f"(error ratio > {_num(tier.error_ratio_threshold)}; "
        f"{_num(tier.budget_consumed * 100)}% of the budget in {tier.long_window_label}, "
        f"all of it in {days_left:.1f} days)"
    )


def alert_rule(
    slo: Slo, severity: Severity, runbook_url: str | None = None
) -> dict[str, Any] | None:
    """The alert for one severity: any of its tiers with both windows over threshold.

    ``runbook_url`` may use ``{slo}`` and ``{service}``; None leaves only a runbook hint.
    Returns None if the SLO has no tier of that severity.
    """
    tiers = [tier for tier in slo.tiers() if tier.severity == severity]
    if not tiers:
        return None
    kind = f"{slo.kind} SLO"
    if slo.threshold_ms is not None:
        kind += f" ({_num(slo.threshold_ms)} ms)"
    burn = "fast" if severity == "page" else "steadily"
    annotations = {
        "summary": f"{slo.name}: error budget burning {burn} ({severity})",
        "description": (
            f"{slo.service_name} {kind} {_num(slo.objective * 100)}% over {slo.window_days}d "
            f"is burning its error budget at " + " or ".join(_tier_text(slo, t) for t in tiers)
        ),
        "runbook": (
            f"Check recent deploys and dependencies of {slo.service_name}; "
            f"compare slo:sli_error:ratio_rate5m{{slo={_quote(slo.name)}}} with the error budget "
            f"{_num(slo.error_budget)}; roll back if a deploy started it."
        ),
    }
    if runbook_url is not None:
        annotations["runbook_url"] = runbook_url.format(slo=slo.name, service=slo.service_name)
    return {
        "alert": alert_name(slo),
        "expr": "\nor\n".join(_tier_expr(slo, tier) for tier in tiers),
        "labels": {"severity": severity},
        "annotations": annotations,
    }


def _check_unique(slos: Sequence[Slo]) -> None:
    seen: dict[str, Slo] = {}
    for slo in slos:
        if not isinstance(slo, Slo):
            raise ValueError(f"slos contains {slo!r}: allowed are Slo objects only")
        if slo.name in seen:
            raise ValueError(
                f"slos has two SLOs named {slo.name!r}: names must be unique (pass name=...)"
            )
        seen[slo.name] = slo


def rule_groups(
    slos: Iterable[Slo],
    metrics: SliMetrics | None = None,
    runbook_url: str | None = None,
) -> dict[str, Any]:
    """A Prometheus rule file (``{"groups": [...]}``) for ``slos``.

    Two groups per SLO: ``slo-<name>-sli-recordings`` and ``slo-<name>-alerts``.
    ``metrics`` names the metrics/labels the SLIs read (None means ``SliMetrics()``);
    ``runbook_url`` (optional, may use ``{slo}``/``{service}``) adds a ``runbook_url`` annotation.
    Raises ValueError on duplicate SLO names or custom queries without ``{{.window}}``.
    """
    slo_list = list(slos)
    _check_unique(slo_list)
    groups: list[dict[str, Any]] = []
    for slo in slo_list:
        groups.append(
            {"name": f"slo-{slo.name}-sli-recordings", "rules": recording_rules(slo, metrics)}
        )
        alerts = [alert_rule(slo, severity, runbook_url) for severity in ("page", "ticket")]
        groups.append(
            {"name": f"slo-{slo.name}-alerts", "rules": [a for a in alerts if a is not None]}
        )
    return {"groups": groups}


class _BlockDumper(yaml.SafeDumper):
    """SafeDumper writing multi-line strings (PromQL) as ``|`` blocks, never aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_str)


def render_rules_yaml(
    slos: Iterable[Slo],
    metrics: SliMetrics | None = None,
    runbook_url: str | None = None,
) -> str:
    """``rule_groups(...)`` as YAML text for a Prometheus ``rule_files`` entry."""
    return yaml.dump(
        rule_groups(slos, metrics, runbook_url),
        Dumper=_BlockDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=4096,
    )
