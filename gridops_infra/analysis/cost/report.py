"""The result of pricing a Plan: one line per priced resource, what was left out, and the
report's text and schema-stable JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from gridops_infra.analysis.cost.prices import PriceTable
from gridops_infra.analysis.graph import short_type


@dataclass(frozen=True)
class CostLine:
    """One priced resource."""

    type: str
    name: str
    urn: str
    component: str
    """`Type/name` of the nearest gridops component above the resource, or `(none)`."""
    monthly_usd: float
    usage_usd: float
    """The part of `monthly_usd` that comes from `usage` assumptions."""
    formula: str

    def to_json(self) -> dict[str, Any]:
        """The fields in declaration order (COST_LINE_KEYS), USD rounded to 4 decimals."""
        rounded = {"monthly_usd": round(self.monthly_usd, 4), "usage_usd": round(self.usage_usd, 4)}
        return {**asdict(self), **rounded}


@dataclass(frozen=True)
class Unpriced:
    """A resource left out of the total, with the reason (unknown type, missing input)."""

    type: str
    name: str
    urn: str
    component: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        """The fields in declaration order (UNPRICED_KEYS)."""
        return asdict(self)


COST_REPORT_KEYS = (
    "schema_version",
    "project",
    "stack",
    "price_table",
    "hours_per_month",
    "total_monthly_usd",
    "usage_monthly_usd",
    "by_component",
    "lines",
    "free",
    "not_priced",
    "assumptions",
    "warnings",
)
"""Top-level keys of `CostReport.to_json()`, in order. `lines` items have COST_LINE_KEYS,
`not_priced` items UNPRICED_KEYS, `free` items FREE_KEYS, `by_component` items
COMPONENT_TOTAL_KEYS; `price_table` has region, currency, as_of, source, pricing_model."""
COST_LINE_KEYS = ("type", "name", "urn", "component", "monthly_usd", "usage_usd", "formula")
UNPRICED_KEYS = ("type", "name", "urn", "component", "reason")
FREE_KEYS = ("type", "name", "component", "reason")
COMPONENT_TOTAL_KEYS = ("component", "monthly_usd", "resources")


@dataclass
class CostReport:
    """Monthly estimate of one Plan. `to_json()` is schema-stable: see COST_REPORT_KEYS."""

    project: str
    stack: str
    table: PriceTable
    lines: list[CostLine]
    free: list[tuple[str, str, str, str]]
    """(type, name, component, reason) of resources that cost nothing."""
    not_priced: list[Unpriced]
    assumptions: list[str]
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(line.monthly_usd for line in self.lines)

    @property
    def usage_total(self) -> float:
        return sum(line.usage_usd for line in self.lines)

    def by_component(self) -> dict[str, float]:
        """Component label -> monthly USD, most expensive first."""
        totals: dict[str, float] = {}
        for line in self.lines:
            totals[line.component] = totals.get(line.component, 0.0) + line.monthly_usd
        return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))

    def by_type(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for line in self.lines:
            totals[line.type] = totals.get(line.type, 0.0) + line.monthly_usd
        return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))

    def line(self, name: str) -> CostLine:
        found = [x for x in self.lines if x.name == name]
        if len(found) != 1:
            raise LookupError(f"expected one cost line named {name!r}, found {len(found)}")
        return found[0]

    def to_json(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for line in self.lines:
            counts[line.component] = counts.get(line.component, 0) + 1
        return {
            "schema_version": 1,
            "project": self.project,
            "stack": self.stack,
            "price_table": self.table.describe(),
            "hours_per_month": self.table.hours_per_month,
            "total_monthly_usd": round(self.total, 2),
            "usage_monthly_usd": round(self.usage_total, 2),
            "by_component": [
                {"component": c, "monthly_usd": round(v, 2), "resources": counts[c]}
                for c, v in self.by_component().items()
            ],
            "lines": [line.to_json() for line in self.lines],
            "free": [
                {"type": t, "name": n, "component": c, "reason": r} for t, n, c, r in self.free
            ],
            "not_priced": [u.to_json() for u in self.not_priced],
            "assumptions": list(self.assumptions),
            "warnings": list(self.warnings),
        }

    def dumps(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_json(), indent=indent)

    def render_text(self) -> str:
        t = self.table
        out = [
            f"Monthly cost estimate for {self.project}/{self.stack}: ${self.total:,.2f} "
            f"({t.currency}, of which ${self.usage_total:,.2f} from usage assumptions)",
            f"Prices: {t.region}, on-demand, as of {t.as_of}. Source: {t.source}",
            "",
        ]
        by_comp: dict[str, list[CostLine]] = {}
        for line in self.lines:
            by_comp.setdefault(line.component, []).append(line)
        for comp, total in self.by_component().items():
            out.append(f"{comp}  ${total:,.2f}")
            for line in sorted(by_comp[comp], key=lambda x: (-x.monthly_usd, x.name)):
                if line.monthly_usd == 0:
                    continue
                out.append(
                    f"  {line.monthly_usd:>10,.2f}  {line.name} ({short_type(line.type)}): "
                    f"{line.formula}"
                )
        out += ["", f"{'TOTAL':<12}${self.total:,.2f}/month"]
        if self.free:
            out.append(f"Free resources: {len(self.free)} (IAM, routing, configuration)")
        if self.not_priced:
            out += ["", "NOT PRICED (left out of the total):"]
            out += [f"  {u.name} ({u.type}): {u.reason}" for u in self.not_priced]
        if self.warnings:
            out += ["", "Warnings:", *[f"  - {w}" for w in self.warnings]]
        out += ["", "Assumptions:", *[f"  - {a}" for a in self.assumptions]]
        return "\n".join(out)
