"""What a Plan costs a month, from the dated price table shipped with the package.

`estimate_cost(plan, usage)` prices every resource the Plan would create. Capacity comes
from the Plan itself (task counts, instance classes, node counts, disk sizes);
traffic-driven charges come from `usage` (defaults in USAGE_DEFAULTS). A type the table
does not know lands in `not_priced`, never at a silent zero; types that cost nothing are
listed in the table's `free` section with the reason. Then the whole-Plan pricers add what
the Plan causes to be billed beyond its resources' own prices (lines of type `billed:*`,
named after their cause; see docs/estimates.md).

This module runs the pricing; the pieces live beside it: prices.py (the price table),
usage.py (usage defaults and checks), context.py (what a pricer gets and returns),
network / ecs / ec2 / data / ops / messaging / storage / edge (the per-resource pricers),
caused/ (the whole-Plan pricers: observability, tracing, load balancers, network,
storage), pricers.py (which pricer for which type, and the list of whole-Plan pricers),
comparison.py (two reports side by side) and report.py (the report).
Every public name is importable from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gridops_infra.analysis.cost.comparison import COMPARISON_KEYS, CostComparison, compare
from gridops_infra.analysis.cost.context import NotPriced, Price, PricingContext
from gridops_infra.analysis.cost.ecs import split_tasks
from gridops_infra.analysis.cost.pricers import (
    CAUSED_PRICERS,
    NOT_MODELLED,
    PRICERS,
    unpriced_reason,
)
from gridops_infra.analysis.cost.prices import PriceTable, load_prices
from gridops_infra.analysis.cost.report import (
    COMPONENT_TOTAL_KEYS,
    COST_LINE_KEYS,
    COST_REPORT_KEYS,
    FREE_KEYS,
    UNPRICED_KEYS,
    CostLine,
    CostReport,
    Unpriced,
)
from gridops_infra.analysis.cost.usage import USAGE_DEFAULTS
from gridops_infra.analysis.graph import PROVIDER_TYPE_PREFIX, component_label
from gridops_infra.testing.plan import Plan

_ARN_REGION = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d):")


def _plan_regions(plan: Plan) -> set[str]:
    regions: set[str] = set()
    for r in plan.custom_resources:
        arn = r.outputs.get("arn")
        if isinstance(arn, str):
            m = _ARN_REGION.match(arn)
            if m:
                regions.add(m.group(1))
    return regions


def estimate_cost(
    plan: Plan, usage: Mapping[str, Any] | None = None, prices: PriceTable | None = None
) -> CostReport:
    """Price every resource of `plan` a month. `usage` overrides USAGE_DEFAULTS (ValueError
    on an unknown key); `prices` defaults to the shipped us-east-1 table."""
    table = prices or load_prices()
    ctx = PricingContext(plan, table, usage)
    lines: list[CostLine] = []
    free: list[tuple[str, str, str, str]] = []
    not_priced: list[Unpriced] = []
    for rec in plan.resources:
        if not rec.custom or rec.type.startswith(PROVIDER_TYPE_PREFIX):
            continue
        component = component_label(ctx.index.component_of(rec))
        pricer = PRICERS.get(rec.type)
        if pricer is None:
            reason = unpriced_reason(rec)
            if reason is None:
                free_reason = table.free_reason(rec.type)
                if free_reason is not None:
                    free.append((rec.type, rec.name, component, free_reason))
                    continue
                reason = "no price for this type in the table"
            not_priced.append(Unpriced(rec.type, rec.name, rec.urn, component, reason))
            continue
        try:
            price = pricer(rec, ctx)
        except NotPriced as exc:
            not_priced.append(Unpriced(rec.type, rec.name, rec.urn, component, str(exc)))
            continue
        lines.append(
            CostLine(
                rec.type, rec.name, rec.urn, component, price.monthly, price.usage, price.formula
            )
        )
    for caused in CAUSED_PRICERS:
        for charge in caused(ctx):
            component = component_label(ctx.index.component_of(charge.cause))
            lines.append(
                CostLine(
                    charge.type,
                    charge.name,
                    charge.cause.urn,
                    component,
                    charge.price.monthly,
                    charge.price.usage,
                    charge.price.formula,
                )
            )
    warnings = []
    other_regions = sorted(_plan_regions(plan) - {table.region})
    if other_regions:
        warnings.append(
            f"The plan targets {', '.join(other_regions)} but prices are for {table.region}; "
            "expect other regions to differ by roughly 0-30%."
        )
    assumptions = [
        f"{table.hours_per_month:g} hours a month; on-demand list prices in {table.region} "
        f"as of {table.as_of} ({table.source}).",
        "No free tier, Savings Plans, Reserved Instances or taxes.",
        "Charges the Plan causes beyond its resources' own prices (Container Insights, "
        "X-Ray, custom metrics, Ingress ALBs, PersistentVolumes, internet egress, cross-AZ "
        "traffic, backups, Performance Insights) are lines of type billed:*, named "
        "<cause>:<charge>.",
        "ECS services run their autoscaling minimum (minCapacity) when they have a target, "
        "else desiredCount; EKS node groups their desiredSize.",
    ]
    for key in sorted(ctx.used_usage):
        default, meaning = USAGE_DEFAULTS[key]
        shown = "see formula" if default is None else f"{default:g}"
        overridden = ctx.overridden(key)
        assumptions.append(f"usage {key} = {shown if not overridden else 'as given'} ({meaning})")
    assumptions.extend(ctx.notes)
    return CostReport(
        project=plan.project,
        stack=plan.stack,
        table=table,
        lines=lines,
        free=free,
        not_priced=not_priced,
        assumptions=assumptions,
        warnings=warnings,
    )


__all__ = [
    "COMPARISON_KEYS",
    "COMPONENT_TOTAL_KEYS",
    "COST_LINE_KEYS",
    "COST_REPORT_KEYS",
    "FREE_KEYS",
    "NOT_MODELLED",
    "PRICERS",
    "UNPRICED_KEYS",
    "USAGE_DEFAULTS",
    "CostComparison",
    "CostLine",
    "CostReport",
    "NotPriced",
    "Price",
    "PriceTable",
    "Unpriced",
    "compare",
    "estimate_cost",
    "load_prices",
    "split_tasks",
]
