"""The CloudWatch dashboard body: a row per component with its golden signals, and a row
of SLO error ratios against their page thresholds."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from gridops_infra.observability.alarm_spec import AlarmSpec
from gridops_infra.observability.cloudwatch_slo import SloTierAlarms

WIDTH = 24
WIDGET_W = 8
WIDGET_H = 6


def _metric_widget(spec: AlarmSpec, region: str, x: int, y: int) -> dict[str, Any]:
    if spec.metric is not None:
        m = spec.metric
        dims: list[Any] = []
        for key, value in m.dimensions.items():
            dims += [key, value]
        stat = m.statistic
        metrics = [[m.namespace, m.name, *dims, {"stat": stat, "period": m.period_seconds}]]
    else:
        metrics = []
        for q in spec.queries:
            if q.expression is not None:
                metrics.append(
                    [
                        {
                            "expression": q.expression,
                            "id": q.id,
                            "label": q.label or q.id,
                            "visible": q.return_data,
                        }
                    ]
                )
            elif q.metric is not None:
                dims = []
                for key, value in q.metric.dimensions.items():
                    dims += [key, value]
                metrics.append(
                    [
                        q.metric.namespace,
                        q.metric.name,
                        *dims,
                        {
                            "id": q.id,
                            "stat": q.metric.statistic,
                            "period": q.metric.period_seconds,
                            "visible": False,
                        },
                    ]
                )
    return {
        "type": "metric",
        "x": x,
        "y": y,
        "width": WIDGET_W,
        "height": WIDGET_H,
        "properties": {
            "title": spec.description[:120],
            # A widget reads one region: the metric's own (CloudFront: us-east-1).
            "region": next((m.region for m in spec.metrics if m.region), region),
            "view": "timeSeries",
            "metrics": metrics,
            "annotations": {"horizontal": [{"label": "alarm", "value": spec.threshold}]},
        },
    }


def dashboard_body(
    golden: Mapping[str, Sequence[AlarmSpec]], slo_alarms: Sequence[SloTierAlarms], region: str
) -> pulumi.Output[str]:
    """The dashboard JSON, resolved once every dimension value (ARN suffixes, ids) is known."""
    widgets: list[dict[str, Any]] = []
    y = 0
    page_tiers = [t for t in slo_alarms if t.tier.severity == "page" and t.index == 0]
    if page_tiers:
        widgets.append(
            {
                "type": "text",
                "x": 0,
                "y": y,
                "width": WIDTH,
                "height": 1,
                "properties": {"markdown": "## SLO burn (error ratio vs the 1h page threshold)"},
            }
        )
        y += 1
        for i, tier in enumerate(page_tiers):
            widgets.append(
                _metric_widget(tier.long, region, (i % 3) * WIDGET_W, y + (i // 3) * WIDGET_H)
            )
        y += ((len(page_tiers) + 2) // 3) * WIDGET_H
    for component, specs in golden.items():
        widgets.append(
            {
                "type": "text",
                "x": 0,
                "y": y,
                "width": WIDTH,
                "height": 1,
                "properties": {"markdown": f"## {component}"},
            }
        )
        y += 1
        for i, spec in enumerate(specs):
            widgets.append(
                _metric_widget(spec, region, (i % 3) * WIDGET_W, y + (i // 3) * WIDGET_H)
            )
        y += max(1, (len(specs) + 2) // 3) * WIDGET_H
    return pulumi.Output.from_input({"widgets": widgets}).apply(
        lambda body: json.dumps(body, sort_keys=True)
    )
