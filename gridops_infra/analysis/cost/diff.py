"""The change in monthly cost between two saved estimates (`gridops cost --json` of the
base branch and of a pull request's head), per component and in total, as text, JSON or
a Markdown table for a pull-request comment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gridops_infra.analysis.cost.comparison import CostComparison
from gridops_infra.analysis.cost.prices import PriceTable

REPORT_SCHEMA_VERSION = 1
PRICE_TABLE_KEYS = ("region", "currency", "as_of", "source")


class CostReportError(ValueError):
    """A file that is not a `gridops cost --json` report this version can read."""


def read_report(where: str, data: Any) -> dict[str, Any]:
    """`data` checked as a cost report: the fields the diff reads, with their types."""
    if not isinstance(data, Mapping):
        raise CostReportError(f"{where}: expected the JSON object `gridops cost --json` prints")
    if "total_a_usd" in data:
        raise CostReportError(
            f"{where}: this is a comparison (`gridops cost --vs`); give each side's own "
            "`gridops cost TARGET --json` report"
        )
    if data.get("schema_version") != REPORT_SCHEMA_VERSION:
        raise CostReportError(
            f"{where}: schema_version {data.get('schema_version')!r}; this gridops reads "
            f"version {REPORT_SCHEMA_VERSION} (write both reports with the same gridops)"
        )
    _number(where, data, "total_monthly_usd")
    _number(where, data, "usage_monthly_usd")
    table = data.get("price_table")
    if not isinstance(table, Mapping) or any(
        not isinstance(table.get(k), str) for k in PRICE_TABLE_KEYS
    ):
        raise CostReportError(f"{where}: price_table needs {', '.join(PRICE_TABLE_KEYS)}")
    for key, fields in (("by_component", ("component",)), ("lines", ("type",))):
        rows = data.get(key)
        if not isinstance(rows, list):
            raise CostReportError(f"{where}: {key} is missing or not a list")
        for i, row in enumerate(rows):
            if not isinstance(row, Mapping) or any(not isinstance(row.get(f), str) for f in fields):
                raise CostReportError(f"{where}: {key}[{i}] needs {', '.join(fields)}")
            _number(f"{where}: {key}[{i}]", row, "monthly_usd")
    for key in ("not_priced", "warnings"):
        if not isinstance(data.get(key, []), list):
            raise CostReportError(f"{where}: {key} is not a list")
    return dict(data)


def _number(where: str, data: Mapping[str, Any], key: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise CostReportError(f"{where}: {key} is {value!r}, expected a number of USD >= 0")
    return float(value)


def diff_reports(
    base: Mapping[str, Any], head: Mapping[str, Any], *, base_label: str, head_label: str
) -> CostComparison:
    """Head minus base, per component and per resource type. CostReportError when the two
    were priced from different tables: the delta would mix a price update into the
    change under review."""
    table_a = {k: base["price_table"].get(k) for k in (*PRICE_TABLE_KEYS, "pricing_model")}
    table_b = {k: head["price_table"].get(k) for k in (*PRICE_TABLE_KEYS, "pricing_model")}
    hours = base.get("hours_per_month", 730)
    if table_a != table_b or hours != head.get("hours_per_month", 730):
        raise CostReportError(
            f"{base_label} was priced from {table_a['region']} as of {table_a['as_of']}, "
            f"{head_label} from {table_b['region']} as of {table_b['as_of']}: price both "
            "with the same gridops version and region"
        )
    table = PriceTable({**table_a, "hours_per_month": hours})

    def totals(report: Mapping[str, Any], key: str, field: str) -> dict[str, float]:
        out: dict[str, float] = {}
        for row in report[key]:
            out[row[field]] = out.get(row[field], 0.0) + float(row["monthly_usd"])
        return out

    def merge(x: dict[str, float], y: dict[str, float]) -> list[tuple[str, float, float]]:
        # Largest change first: what a reviewer should look at.
        keys = sorted(x.keys() | y.keys(), key=lambda k: (-abs(y.get(k, 0) - x.get(k, 0)), k))
        return [(k, x.get(k, 0.0), y.get(k, 0.0)) for k in keys]

    warnings = [f"{base_label}: {w}" for w in base.get("warnings", [])]
    warnings += [f"{head_label}: {w}" for w in head.get("warnings", [])]
    return CostComparison(
        label_a=base_label,
        label_b=head_label,
        table=table,
        total_a=float(base["total_monthly_usd"]),
        total_b=float(head["total_monthly_usd"]),
        usage_a=float(base["usage_monthly_usd"]),
        usage_b=float(head["usage_monthly_usd"]),
        by_component=merge(
            totals(base, "by_component", "component"), totals(head, "by_component", "component")
        ),
        by_type=merge(totals(base, "lines", "type"), totals(head, "lines", "type")),
        not_priced_a=len(base.get("not_priced", [])),
        not_priced_b=len(head.get("not_priced", [])),
        warnings=warnings,
        notes=[
            f"{base_label}: {base.get('project')}/{base.get('stack')}",
            f"{head_label}: {head.get('project')}/{head.get('stack')}",
        ],
    )


def render_markdown(comparison: CostComparison) -> str:
    """A pull-request comment section: the components whose cost changed (old, new,
    change), the unchanged ones summed in one row, and the total."""
    c, t = comparison, comparison.table
    changed = [row for row in c.by_component if round(row[2] - row[1], 2) != 0]
    same = [row for row in c.by_component if round(row[2] - row[1], 2) == 0]
    out = [f"| component | {c.label_a} | {c.label_b} | change |", "|---|---:|---:|---:|"]
    for name, old, new in changed:
        out.append(f"| `{_cell(name)}` | {_usd(old)} | {_usd(new)} | {_change(old, new)} |")
    if same:
        amount = sum(old for _, old, _ in same)
        out.append(f"| {len(same)} unchanged | {_usd(amount)} | {_usd(amount)} | $0.00 |")
    out.append(
        f"| **total** | **{_usd(c.total_a)}** | **{_usd(c.total_b)}** | "
        f"**{_change(c.total_a, c.total_b)}** |"
    )
    head = (
        f"Monthly cost: {_usd(c.total_a)} -> {_usd(c.total_b)}, {_change(c.total_a, c.total_b)}"
        if changed
        else f"Monthly cost: no change ({_usd(c.total_b)})"
    )
    lines = [head, "", *out, ""]
    lines.append(
        f"{t.currency} per month, list prices for {t.region} as of {t.as_of}; of which from "
        f"usage assumptions: {_usd(c.usage_a)} ({c.label_a}), {_usd(c.usage_b)} ({c.label_b})."
    )
    if c.not_priced_a or c.not_priced_b:
        lines.append(
            f"Not priced: {c.not_priced_a} resources in {c.label_a}, {c.not_priced_b} in "
            f"{c.label_b} (see `gridops cost`)."
        )
    if c.warnings:
        lines += ["", *[f"- {_cell(w)}" for w in c.warnings]]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _usd(value: float) -> str:
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


def _change(old: float, new: float) -> str:
    delta = new - old
    sign = "+" if delta >= 0 else "-"
    text = f"{sign}${abs(delta):,.2f}"
    if old > 0 and round(delta, 2) != 0:
        text += f" ({sign}{abs(delta) / old:.1%})"
    return text


__all__ = ["CostReportError", "diff_reports", "read_report", "render_markdown"]
