"""Analyzers that read a Plan (from `gridops_infra.testing.preview`) and never run a
program themselves: monthly cost, deploy timing, and architecture diagrams.

    plan = preview(program, stack="fargate")
    print(estimate_cost(plan).render_text())
    print(estimate_timing(plan).render_text())
    print(to_mermaid(plan))
"""

from gridops_infra.analysis.cost.estimate import (
    USAGE_DEFAULTS,
    CostComparison,
    CostLine,
    CostReport,
    PriceTable,
    compare,
    estimate_cost,
    load_prices,
)
from gridops_infra.analysis.graph import Level, PlanIndex, build_diagram, to_dot, to_mermaid, to_png
from gridops_infra.analysis.timing.estimate import (
    Change,
    PathStep,
    TimingReport,
    UpdateReport,
    estimate_timing,
    estimate_update,
    format_seconds,
)

__all__ = [
    "USAGE_DEFAULTS",
    "Change",
    "CostComparison",
    "CostLine",
    "CostReport",
    "Level",
    "PathStep",
    "PlanIndex",
    "PriceTable",
    "TimingReport",
    "UpdateReport",
    "build_diagram",
    "compare",
    "estimate_cost",
    "estimate_timing",
    "estimate_update",
    "format_seconds",
    "load_prices",
    "to_dot",
    "to_mermaid",
    "to_png",
]
