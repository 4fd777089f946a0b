"""Two cost estimates side by side (e.g. the fargate stage against the eks stage), in the
same currency, period and dated price table as each estimate, with each side's warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gridops_infra.analysis.cost.prices import PriceTable
from gridops_infra.analysis.cost.report import CostReport

COMPARISON_KEYS = (
    "schema_version",
    "a",
    "b",
    "currency",
    "period",
    "price_table",
    "hours_per_month",
    "total_a_usd",
    "total_b_usd",
    "delta_usd",
    "usage_a_usd",
    "usage_b_usd",
    "by_component",
    "by_type",
    "not_priced_a",
    "not_priced_b",
    "warnings",
    "notes",
)
"""Top-level keys of `CostComparison.to_json()`, in order. Amounts are USD per month;
`price_table` has region, currency, as_of, source, pricing_model; `warnings` name their side;
`notes` say what both sides were given (config, usage)."""


@dataclass
class CostComparison:
    """Two estimates priced from one table, B minus A, every amount per month."""

    label_a: str
    label_b: str
    table: PriceTable
    total_a: float
    total_b: float
    usage_a: float
    usage_b: float
    by_component: list[tuple[str, float, float]]
    by_type: list[tuple[str, float, float]]
    not_priced_a: int
    not_priced_b: int
    warnings: list[str] = field(default_factory=list)
    """Each side's own warnings (a Plan outside the table's region...), prefixed by its side."""
    notes: list[str] = field(default_factory=list)
    """What the caller gave both sides (config overrides, a usage file), shown as given."""

    @property
    def delta(self) -> float:
        return self.total_b - self.total_a

    def to_json(self) -> dict[str, Any]:
        """Schema-stable: the keys of COMPARISON_KEYS, USD rounded to cents."""

        def rows(items: list[tuple[str, float, float]], key: str) -> list[dict[str, Any]]:
            return [
                {key: k, "a_usd": round(a, 2), "b_usd": round(b, 2), "delta_usd": round(b - a, 2)}
                for k, a, b in items
            ]

        return {
            "schema_version": 1,
            "a": self.label_a,
            "b": self.label_b,
            "currency": self.table.currency,
            "period": "month",
            "price_table": self.table.describe(),
            "hours_per_month": self.table.hours_per_month,
            "total_a_usd": round(self.total_a, 2),
            "total_b_usd": round(self.total_b, 2),
            "delta_usd": round(self.delta, 2),
            "usage_a_usd": round(self.usage_a, 2),
            "usage_b_usd": round(self.usage_b, 2),
            "by_component": rows(self.by_component, "component"),
            "by_type": rows(self.by_type, "type"),
            "not_priced_a": self.not_priced_a,
            "not_priced_b": self.not_priced_b,
            "warnings": list(self.warnings),
            "notes": list(self.notes),
        }

    def render_text(self) -> str:
        a, b, t = self.label_a, self.label_b, self.table
        names = [k for k, _, _ in self.by_component]
        width = max(12, *(len(k) for k in names)) if names else 12
        money = max(14, len(a), len(b), len(f"${max(self.total_a, self.total_b, 0):,.2f}/month"))
        change = max(14, len(_delta(self.delta) + "/month"))
        out = [
            f"Monthly cost comparison, {t.currency} per month: A = {a}, B = {b}",
            f"Prices: {t.region}, on-demand, as of {t.as_of}. Source: {t.source}",
            "",
            f"{'component':<{width}}  {a:>{money}}  {b:>{money}}  {'delta (B-A)':>{change}}",
        ]
        for k, va, vb in self.by_component:
            out.append(
                f"{k:<{width}}  {_usd(va):>{money}}  {_usd(vb):>{money}}  {_delta(vb - va):>{change}}"
            )
        out.append(
            f"{'TOTAL':<{width}}  {_usd(self.total_a) + '/month':>{money}}  "
            f"{_usd(self.total_b) + '/month':>{money}}  {_delta(self.delta) + '/month':>{change}}"
        )
        out.append(
            f"of which from usage assumptions: {_usd(self.usage_a)} in A, {_usd(self.usage_b)} in B"
        )
        if self.not_priced_a or self.not_priced_b:
            out.append(
                f"not priced: {self.not_priced_a} in {a}, {self.not_priced_b} in {b} "
                "(see each report)"
            )
        if self.warnings:
            out += ["", "Warnings:", *[f"  - {w}" for w in self.warnings]]
        if self.notes:
            out += ["", "Notes:", *[f"  - {n}" for n in self.notes]]
        return "\n".join(out)


def _usd(value: float) -> str:
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


def _delta(value: float) -> str:
    return f"+${value:,.2f}" if value >= 0 else f"-${-value:,.2f}"


def compare(report_a: CostReport, report_b: CostReport) -> CostComparison:
    """Side-by-side totals per component and per resource type, B minus A. ValueError when
    the two were priced from different tables (a delta across price dates or regions would
    mix price changes into the architecture's difference)."""
    table_a, table_b = report_a.table.describe(), report_b.table.describe()
    if table_a != table_b or report_a.table.hours_per_month != report_b.table.hours_per_month:
        raise ValueError(
            f"cannot compare estimates priced from different tables: A {table_a['region']} as "
            f"of {table_a['as_of']}, B {table_b['region']} as of {table_b['as_of']}; price "
            "both with the same table"
        )

    def merge(x: dict[str, float], y: dict[str, float]) -> list[tuple[str, float, float]]:
        keys = sorted(x.keys() | y.keys(), key=lambda k: (-max(x.get(k, 0), y.get(k, 0)), k))
        return [(k, x.get(k, 0.0), y.get(k, 0.0)) for k in keys]

    label_a = f"{report_a.project}/{report_a.stack}"
    label_b = f"{report_b.project}/{report_b.stack}"
    if label_a == label_b:
        label_a, label_b = f"A {label_a}", f"B {label_b}"
    side_a = label_a if label_a.startswith("A ") else f"A {label_a}"
    side_b = label_b if label_b.startswith("B ") else f"B {label_b}"
    warnings = [f"{side_a}: {w}" for w in report_a.warnings]
    warnings += [f"{side_b}: {w}" for w in report_b.warnings]
    return CostComparison(
        label_a=label_a,
        label_b=label_b,
        table=report_a.table,
        total_a=report_a.total,
        total_b=report_b.total,
        usage_a=report_a.usage_total,
        usage_b=report_b.usage_total,
        by_component=merge(report_a.by_component(), report_b.by_component()),
        by_type=merge(report_a.by_type(), report_b.by_type()),
        not_priced_a=len(report_a.not_priced),
        not_priced_b=len(report_b.not_priced),
        warnings=warnings,
    )
