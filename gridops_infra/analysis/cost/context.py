"""What every pricer receives and returns: the Plan with its price table and usage
(`PricingContext`), a `Price` or `NotPriced`, and the small helpers pricers share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gridops_infra.analysis.cost.prices import PriceTable
from gridops_infra.analysis.cost.usage import USAGE_DEFAULTS, check_usage
from gridops_infra.analysis.graph import PlanIndex
from gridops_infra.testing.plan import Plan, ResourceRecord


@dataclass(frozen=True)
class Price:
    """What a pricer returns: monthly USD, the formula shown, and the part from usage."""

    monthly: float
    formula: str
    usage: float = 0.0


class NotPriced(Exception):
    """Raised by a pricer when the Plan lacks what the price needs."""


class PricingContext:
    """One pricing run: the Plan, the price table, the usage a caller passed, and what the
    pricers used (usage keys, notes) so the report can list its assumptions."""

    def __init__(self, plan: Plan, table: PriceTable, usage: Mapping[str, Any] | None) -> None:
        self.plan = plan
        self.index = PlanIndex(plan)
        self.table = table
        self.hours = table.hours_per_month
        self.notes: list[str] = []
        self.used_usage: set[str] = set()
        self._usage, self._per_resource = check_usage(usage)
        self._by_output: dict[tuple[str, str], ResourceRecord] = {}
        for r in plan.resources:
            for key in ("arn", "id", "name"):
                value = r.outputs.get(key) if key != "id" else r.id
                if isinstance(value, str) and value:
                    self._by_output.setdefault((key, value), r)

    def rate(self, *path: str) -> float:
        return self.table.rate(*path)

    def usage(self, rec: ResourceRecord, key: str) -> float | None:
        self.used_usage.add(key)
        per = self._per_resource.get(rec.name, {})
        if key in per:
            return float(per[key])
        if key in self._usage:
            return float(self._usage[key])
        return USAGE_DEFAULTS[key][0]

    def overridden(self, key: str) -> bool:
        """Whether the caller gave usage `key`, for every resource or for one."""
        return key in self._usage or any(key in v for v in self._per_resource.values())

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def referenced(self, rec: ResourceRecord, prop: str, type_token: str) -> ResourceRecord | None:
        """The resource of `type_token` that `rec`'s input `prop` points at: by property
        dependency first, then by matching the value against ARNs, ids and names."""
        for urn in rec.property_dependencies.get(prop, []):
            dep = self.index.by_urn.get(urn)
            if dep is not None and dep.type == type_token:
                return dep
        value = rec.inputs.get(prop)
        if isinstance(value, dict):
            value = value.get("id") or value.get("name")
        if isinstance(value, str):
            for key in ("arn", "id", "name"):
                found = self._by_output.get((key, value))
                if found is not None and found.type == type_token:
                    return found
        return None


def money(x: float) -> str:
    return f"${x:g}"


Pricer = Callable[[ResourceRecord, PricingContext], Price]


def hourly(ctx: PricingContext, rate: float, what: str, count: float = 1) -> tuple[float, str]:
    """(monthly cost, formula) of `count` things billed `rate` an hour."""
    monthly = count * rate * ctx.hours
    prefix = f"{count:g} x " if count != 1 else ""
    return monthly, f"{prefix}{what} {money(rate)}/h x {ctx.hours:g} h"


def flat_monthly(section: str, key: str, what: str) -> Pricer:
    """A pricer for a type that costs one fixed rate a month."""

    def price(rec: ResourceRecord, ctx: PricingContext) -> Price:
        rate = ctx.rate(section, key)
        return Price(rate, f"{what} {money(rate)}/month")

    return price
