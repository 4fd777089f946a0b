"""What a baseline read found: each figure with its source and window, and each figure
that could not be read with the reason (a figure is never invented)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gridops_infra.analysis.baseline.aws import NotMeasured
from gridops_infra.analysis.baseline.window import Window

FIELD_ORDER = (
    "name",
    "current_stage",
    "slo_objective",
    "p95_latency_ms",
    "error_rate_percent",
    "error_rate_during_campaigns_percent",
    "db_p95_query_ms",
    "mttr_minutes",
    "deploy_lead_time_minutes",
    "deploys_per_week",
    "monthly_cost_usd",
    "drill_recovery_minutes",
    "drills",
    "utilization",
)
"""The metrics file's keys in the order they are written (``sources`` comes last)."""

NOT_FROM_AWS = {
    "conversion_change_after_peak_percent": "a business metric (conversion), not in AWS: "
    "take it from your analytics",
    "incident_time_share_percent": "a share of engineering time, not in AWS: take it from "
    "your incident log or time tracking",
}


@dataclass
class Reading:
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    given: dict[str, str] = field(default_factory=dict)
    """Figures not measured over the window (given as options, or detected): how."""
    account: str = ""

    def put(self, name: str, value: Any, source: str, window: Window | None) -> None:
        """A figure read over `window` (its source goes under ``sources``), or given or
        detected (window None: how is said in the file's header, not under ``sources``)."""
        self.values[name] = value
        if window is None:
            self.given[name] = source
        else:
            self.sources[name] = {"source": source, "window": window.text()}
        self.missing.pop(name, None)

    def miss(self, name: str, why: str) -> None:
        """Record why `name` was not read (the first reason stands: it is the cause)."""
        if name not in self.values:
            self.missing.setdefault(name, why)

    def attempt(self, names: tuple[str, ...], read: Callable[[], None]) -> None:
        """Run `read`; when it raises NotMeasured, every name it did not put is missing."""
        try:
            read()
        except NotMeasured as exc:
            for name in names:
                self.miss(name, str(exc))

    def document(self) -> dict[str, Any]:
        """The metrics file's mapping, in :data:`FIELD_ORDER`, ``sources`` last."""
        ordered = {name: self.values[name] for name in FIELD_ORDER if name in self.values}
        extra = {name: value for name, value in self.values.items() if name not in ordered}
        sources = {
            name: self.sources[name] for name in {**ordered, **extra} if name in self.sources
        }
        return {**ordered, **extra, "sources": sources} if sources else {**ordered, **extra}
